/**
 * Output that outlives its reader. When `shoal ... | head` closes the pipe, a write fails with
 * EPIPE; Node reports that as an 'error' event on the stream, and an unhandled one kills the
 * process with a stack trace — in the middle of whatever the command was doing (a `stack rm`
 * stopped after its first service). Here a failed stream is marked closed and later writes to it
 * are dropped, so the command finishes its work and exits with its own status, as if its output
 * had been read.
 */
export interface LineSink {
  write(line: string): void;
  /** False once the reader went away. */
  readonly open: boolean;
}

/** Anything that can be written to and reports write failures as 'error' events (process.stdout). */
export interface WritableLike {
  write(chunk: string): boolean;
  on(event: 'error', listener: (error: Error) => void): unknown;
  readonly destroyed?: boolean;
}

export function quietSink(stream: WritableLike): LineSink {
  let open = true;
  stream.on('error', () => {
    open = false;
  });
  return {
    write(line) {
      if (!open || stream.destroyed) return;
      try {
        stream.write(`${line}\n`);
      } catch {
        open = false;
      }
    },
    get open() {
      return open && !stream.destroyed;
    },
  };
}
