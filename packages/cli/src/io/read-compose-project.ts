import { readFile } from 'node:fs/promises';
import { readComposeFiles } from './read-compose-files.js';
import { parseDotenv, type EnvLookup } from '../compose/dotenv.js';
import { loadCompose } from '../compose/load-compose.js';
import { dirname } from '../compose/paths.js';
import type { ComposeFileInput, ComposeProject } from '../compose/types.js';

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Variables for interpolation: the `.env` beside the first file, overridden by the process env. */
export async function readComposeEnv(firstFile: string, processEnv: EnvLookup): Promise<EnvLookup> {
  const path = `${dirname(firstFile)}/.env`;
  const text = await readText(path);
  const dotenv = text === undefined ? {} : parseDotenv(text, path, processEnv);
  const out: EnvLookup = { ...dotenv };
  for (const [k, v] of Object.entries(processEnv)) if (v !== undefined) out[k] = v;
  return out;
}

async function readEnvFiles(paths: readonly string[]): Promise<Record<string, string>> {
  const entries = await Promise.all(paths.map(async (p) => [p, await readText(p)] as const));
  return Object.fromEntries(entries.filter((e): e is readonly [string, string] => e[1] !== undefined));
}

/**
 * Reads compose files (`-` is standard input) and loads them: `.env` beside the first file
 * (the process environment wins), then every `env_file` the services name. A missing env file
 * is reported by loadCompose.
 */
export async function readComposeProject(paths: readonly string[], processEnv: EnvLookup): Promise<{ project: ComposeProject; warnings: string[]; files: ComposeFileInput[] }> {
  const files = await readComposeFiles(paths);
  const env = await readComposeEnv(files[0]?.path ?? './compose.yml', processEnv);
  const first = loadCompose(files, env);
  if (first.project.envFilePaths.length === 0) return { ...first, files };
  const envFiles = await readEnvFiles(first.project.envFilePaths);
  return { ...loadCompose(files, env, { envFiles }), files };
}
