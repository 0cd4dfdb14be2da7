import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { sleep } from '../exec.js';
import { BRIDGE } from './index.js';

/** How long tcpdump may take to open the interface (it says "listening on ..." once it has). */
const LISTEN_TIMEOUT_MS = 15_000;

/**
 * Runs `during` while tcpdump captures UDP on the hosts' underlay bridge; returns the capture's
 * bytes. Starts `during` only once tcpdump says it is listening: a fixed wait was not enough on a
 * loaded machine, and the start of the transfer was missing from the capture.
 */
export async function captureUnderlayUdp(file: string, during: () => Promise<void>): Promise<Buffer> {
  const dump = spawn('tcpdump', ['-i', BRIDGE, '-U', '-B', '8192', '-s', '0', '-w', file, 'udp'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((resolve) => dump.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    let said = '';
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start listening within ${LISTEN_TIMEOUT_MS} ms: ${said}`)), LISTEN_TIMEOUT_MS);
    dump.stderr!.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    dump.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tcpdump exited (${code}) before listening: ${said}`));
    });
  });
  try {
    await during();
  } finally {
    await sleep(300);
    dump.kill('SIGINT');
    await exited;
  }
  return readFileSync(file);
}
