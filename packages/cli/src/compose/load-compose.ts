import { invalidArgument } from '@shoal/common';
import { decodeComposeText } from './decode.js';
import { parseDotenv, type EnvLookup } from './dotenv.js';
import { ignoredKeyWarnings } from './ignored-keys.js';
import { interpolateTree, unsetWarnings, type InterpolateContext } from './interpolate.js';
import { keyValueMap, mergeComposeFiles } from './merge.js';
import { parseComposeYaml } from './parse-yaml.js';
import { dirname, isHostPath, resolvePath } from './paths.js';
import type { ComposeFileInput, ComposeProject, ComposeService, LoadComposeOptions } from './types.js';
import { validateComposeFile } from './validate.js';

type Obj = Record<string, unknown>;

/** How messages name a file: relative to the first file's directory when inside it. */
function displayName(path: string, workingDir: string): string {
  return path.startsWith(`${workingDir}/`) ? path.slice(workingDir.length + 1) : path;
}

function loadOne(file: ComposeFileInput, name: string, ctx: InterpolateContext): Obj {
  const doc = parseComposeYaml(name, decodeComposeText(name, file.content));
  const interpolated = interpolateTree(doc, name, ctx) as Obj;
  validateComposeFile(name, interpolated);
  return interpolated;
}

const stringMap = (value: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(keyValueMap(value)).map(([k, v]) => [k, v === null ? '' : String(v)]));

function envFileList(svc: ComposeService): string[] {
  const v = svc.env_file;
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** env_file contents (when given), then `environment`; a bare `KEY` takes its value from `env`. */
function resolveEnvironment(name: string, svc: ComposeService, env: EnvLookup, opts: LoadComposeOptions): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (opts.envFiles) {
    for (const path of envFileList(svc)) {
      const text = opts.envFiles[path];
      if (text === undefined) throw invalidArgument(`services.${name}.env_file: couldn't find env file: ${path}`);
      Object.assign(out, parseDotenv(text, path, env));
    }
  }
  for (const [k, v] of Object.entries(keyValueMap(svc.environment))) {
    if (v !== null) out[k] = String(v);
    else if (env[k] !== undefined) out[k] = env[k]!;
    else if (!(k in out)) out[k] = null;
  }
  return out;
}

function resolveVolume(v: unknown, dir: string, home: string | undefined): unknown {
  if (typeof v === 'string') {
    const parts = v.split(':');
    if (parts.length < 2 || !isHostPath(parts[0]!)) return v;
    return [resolvePath(dir, parts[0]!, home), ...parts.slice(1)].join(':');
  }
  const long = v as Obj;
  if (long.type === 'bind' && typeof long.source === 'string') return { ...long, source: resolvePath(dir, long.source, home) };
  return v;
}

function resolveService(name: string, raw: Obj, dir: string, env: EnvLookup, opts: LoadComposeOptions): ComposeService {
  const svc: ComposeService = { ...raw };
  if (svc.env_file !== undefined) svc.env_file = envFileList(svc).map((p) => resolvePath(dir, p, env.HOME));
  if (svc.environment !== undefined || svc.env_file !== undefined) svc.environment = resolveEnvironment(name, svc, env, opts);
  if (svc.labels !== undefined) svc.labels = stringMap(svc.labels);
  if (svc.deploy?.labels !== undefined) svc.deploy = { ...svc.deploy, labels: stringMap(svc.deploy.labels) };
  if (svc.volumes) svc.volumes = svc.volumes.map((v) => resolveVolume(v, dir, env.HOME) as NonNullable<ComposeService['volumes']>[number]);
  return svc;
}

function highestVersion(docs: readonly Obj[]): string | undefined {
  const versions = docs.map((d) => d.version).filter((v) => v !== undefined && v !== null).map(String);
  return versions.sort((a, b) => Number(a) - Number(b)).pop();
}

function buildProject(merged: Obj, docs: readonly Obj[], dir: string, env: EnvLookup, opts: LoadComposeOptions): ComposeProject {
  const { version: _v, name, services = {}, networks = {}, volumes = {}, configs = {}, secrets = {}, ...extensions } = merged;
  const resolved: Record<string, ComposeService> = {};
  for (const [n, svc] of Object.entries(services as Obj)) resolved[n] = resolveService(n, svc as Obj, dir, env, opts);
  const envFilePaths = [...new Set(Object.values(resolved).flatMap(envFileList))];
  return {
    ...(highestVersion(docs) !== undefined ? { version: highestVersion(docs) } : {}),
    ...(typeof name === 'string' ? { name } : {}),
    workingDir: dir,
    services: resolved,
    networks: networks as ComposeProject['networks'],
    volumes: volumes as ComposeProject['volumes'],
    configs: configs as ComposeProject['configs'],
    secrets: secrets as ComposeProject['secrets'],
    extensions,
    envFilePaths,
    envFilesResolved: opts.envFiles !== undefined,
  };
}

/**
 * Loads compose files given their contents: decode, parse (YAML 1.1), interpolate from `env`,
 * validate each file, merge in order, then resolve environment and relative paths. Pure: env
 * files are passed in through `opts.envFiles` (see read-compose-files.ts). Throws
 * INVALID_ARGUMENT with one line naming the file and key path.
 */
export function loadCompose(
  files: readonly ComposeFileInput[],
  env: EnvLookup,
  opts: LoadComposeOptions = {},
): { project: ComposeProject; warnings: string[] } {
  if (files.length === 0) throw invalidArgument('no compose file given');
  const dir = dirname(files[0]!.path);
  const ctx: InterpolateContext = { env, unset: new Set() };
  const docs = files.map((f) => loadOne(f, displayName(f.path, dir), ctx));
  const project = buildProject(mergeComposeFiles(docs), docs, dir, env, opts);
  return { project, warnings: [...unsetWarnings(ctx.unset), ...ignoredKeyWarnings(project.services)] };
}
