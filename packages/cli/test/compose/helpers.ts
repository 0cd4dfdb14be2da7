import { readFileSync } from 'node:fs';
import { loadCompose, toServiceSpecs } from '../../src/compose/index.js';
import type { LoadComposeOptions } from '../../src/compose/index.js';

export const DIR = '/srv/app';

/** One in-memory file at /srv/app/NAME. */
export function file(content: string | Buffer, name = 'compose.yml') {
  return { path: `${DIR}/${name}`, content: typeof content === 'string' ? Buffer.from(content) : content };
}

export function load(content: string, env: Record<string, string | undefined> = {}, opts: LoadComposeOptions = {}) {
  return loadCompose([file(content)], env, opts);
}

/** The first service spec of a one-file stack named "st". */
export function spec(content: string, env: Record<string, string | undefined> = {}) {
  return toServiceSpecs(load(content, env).project, 'st').services[0]!;
}

export function fixture(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
}
