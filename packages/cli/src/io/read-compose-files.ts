import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

export interface ComposeFile {
  path: string;
  content: Buffer;
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The files given with -c, relative to the working directory; `-` reads standard input. */
export async function readComposeFiles(paths: readonly string[]): Promise<ComposeFile[]> {
  return Promise.all(
    paths.map(async (p) => {
      if (p === '-') return { path: resolve('stdin.yml'), content: await readStdin() };
      const path = resolve(p);
      try {
        return { path, content: await readFile(path) };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new Error(code === 'ENOENT' ? `open ${p}: no such file or directory` : `cannot read ${p}: ${(e as Error).message}`);
      }
    }),
  );
}
