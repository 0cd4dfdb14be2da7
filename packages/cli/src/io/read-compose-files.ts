import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatBytes } from '@shoal/common';

export interface ComposeFile {
  path: string;
  content: Buffer;
}

/**
 * The largest compose file the CLI reads (Docker sets no limit): tens of times the largest real
 * stacks, room for inline configs, and small enough that loading it takes seconds (the loader
 * needed 18 s for a 5 MiB file), not minutes and gigabytes.
 */
export const MAX_COMPOSE_FILE_BYTES = 2 * 1024 * 1024;

function tooLarge(name: string, bytes: number | undefined): Error {
  const size = bytes === undefined ? `more than ${formatBytes(MAX_COMPOSE_FILE_BYTES)}` : formatBytes(bytes);
  return new Error(`compose file ${name} is ${size}; the limit is ${formatBytes(MAX_COMPOSE_FILE_BYTES)}`);
}

/** Reads a stream, giving up as soon as it passes the limit (standard input, pipes). */
async function readBounded(stream: AsyncIterable<unknown>, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    bytes += (chunk as Buffer).length;
    if (bytes > MAX_COMPOSE_FILE_BYTES) throw tooLarge(name, undefined);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function readFileBounded(p: string, path: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `open ${p}: no such file or directory` : `cannot read ${p}: ${(e as Error).message}`);
  }
  try {
    const stat = await handle.stat();
    if (stat.isFile() && stat.size > MAX_COMPOSE_FILE_BYTES) throw tooLarge(p, stat.size);
    return await readBounded(handle.createReadStream({ autoClose: false }), p);
  } finally {
    await handle.close();
  }
}

/** The files given with -c, relative to the working directory; `-` reads standard input. Each is size-checked before it is parsed. */
export async function readComposeFiles(paths: readonly string[]): Promise<ComposeFile[]> {
  return Promise.all(
    paths.map(async (p) => {
      if (p === '-') return { path: resolve('stdin.yml'), content: await readBounded(process.stdin, '-') };
      const path = resolve(p);
      return { path, content: await readFileBounded(p, path) };
    }),
  );
}
