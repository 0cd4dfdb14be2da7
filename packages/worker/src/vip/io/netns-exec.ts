import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';

/** Output of a command cut to this many bytes (a conntrack listing is the largest we read). */
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
const TIMEOUT_MS = 10_000;

/**
 * Runs a host binary inside a network namespace (`nsenter --net=PATH cmd ...`): the host's `nft`
 * and `conntrack` work on the container's namespace, so containers need no tools of their own.
 * Resolves with stdout; rejects with the command's first line of stderr.
 */
export function runInNetns(nsPath: string, cmd: string, args: readonly string[], input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('nsenter', [`--net=${nsPath}`, cmd, ...args], { stdio: ['pipe', 'pipe', 'pipe'], timeout: TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < MAX_OUTPUT_BYTES) stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${cmd} in ${nsPath} failed (${code ?? 'killed'}): ${firstLine(stderr)}`));
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0] ?? '';
}

/** Whether the namespace still exists (a container that stopped takes its namespace with it). */
export async function netnsExists(nsPath: string): Promise<boolean> {
  try {
    await access(nsPath);
    return true;
  } catch {
    return false;
  }
}
