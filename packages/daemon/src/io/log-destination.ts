import { writeSync } from 'node:fs';

/**
 * Where shoald's log lines go (a file descriptor, stderr by default), written synchronously. A
 * write that fails (a full disk under the log file, a closed pipe) drops the line instead of
 * crashing the daemon; the next line that gets through is preceded by how many were lost.
 */
export class LogDestination {
  private dropped = 0;
  private lastError = '';

  constructor(private readonly fd: number) {}

  write(line: string): void {
    if (this.dropped > 0 && !this.tryWrite(`{"level":40,"msg":"${this.dropped} log lines were lost","error":${JSON.stringify(this.lastError)}}\n`)) {
      this.dropped++;
      return;
    }
    this.dropped = 0;
    if (!this.tryWrite(line)) this.dropped++;
  }

  private tryWrite(text: string): boolean {
    try {
      const buf = Buffer.from(text);
      for (let off = 0; off < buf.length; ) off += writeSync(this.fd, buf, off);
      return true;
    } catch (e) {
      this.lastError = (e as Error).message;
      return false;
    }
  }
}
