/**
 * Merges compose files in order, as the Compose Specification says: mappings merge key by key,
 * later scalars win, `environment`, `labels`, `deploy.labels`, `extra_hosts` and `sysctls`
 * merge by key (list or map form), `ports` and `volumes` merge by target, `secrets` and
 * `configs` by source, service `networks` by name; other lists are replaced.
 */
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `["A=1", "B"]` or `{A: 1}` as a map; a bare `B` maps to null. */
export function keyValueMap(value: unknown, sep = '='): Obj {
  if (isObj(value)) return { ...value };
  const out: Obj = {};
  for (const item of (value as unknown[] | undefined) ?? []) {
    const s = String(item);
    const at = s.indexOf(sep);
    if (at < 0) out[s] = null;
    else out[s.slice(0, at)] = s.slice(at + 1);
  }
  return out;
}

function portKey(p: unknown): string {
  if (isObj(p)) return `${String(p.target)}/${String(p.protocol ?? 'tcp')}`;
  const [ports = '', proto = 'tcp'] = String(p).split('/');
  return `${ports.split(':').pop()}/${proto}`;
}

function volumeKey(v: unknown): string {
  if (isObj(v)) return String(v.target);
  const parts = String(v).split(':');
  return parts.length === 1 ? parts[0]! : parts[1]!;
}

function sourceKey(v: unknown): string {
  return isObj(v) ? String(v.source) : String(v);
}

function mergeByKey(base: unknown, over: unknown, key: (v: unknown) => string): unknown[] {
  const out = new Map<string, unknown>();
  for (const v of [...((base as unknown[]) ?? []), ...((over as unknown[]) ?? [])]) {
    out.delete(key(v));
    out.set(key(v), v);
  }
  return [...out.values()];
}

function networksMap(value: unknown): Obj {
  if (isObj(value)) return value;
  return Object.fromEntries(((value as unknown[]) ?? []).map((n) => [String(n), null]));
}

const SERVICE_RULES: Record<string, (a: unknown, b: unknown) => unknown> = {
  environment: (a, b) => ({ ...keyValueMap(a), ...keyValueMap(b) }),
  labels: (a, b) => ({ ...keyValueMap(a), ...keyValueMap(b) }),
  extra_hosts: (a, b) => ({ ...keyValueMap(a, ':'), ...keyValueMap(b, ':') }),
  sysctls: (a, b) => ({ ...keyValueMap(a), ...keyValueMap(b) }),
  ports: (a, b) => mergeByKey(a, b, portKey),
  volumes: (a, b) => mergeByKey(a, b, volumeKey),
  secrets: (a, b) => mergeByKey(a, b, sourceKey),
  configs: (a, b) => mergeByKey(a, b, sourceKey),
  networks: (a, b) => mergeMaps(networksMap(a), networksMap(b)),
  deploy: (a, b) => mergeDeploy(a, b),
};

function mergeDeploy(a: unknown, b: unknown): unknown {
  if (!isObj(a) || !isObj(b)) return b;
  const out = mergeMaps(a, b);
  if (a.labels !== undefined && b.labels !== undefined) out.labels = { ...keyValueMap(a.labels), ...keyValueMap(b.labels) };
  return out;
}

/** Recursive map merge; lists and scalars from `b` replace those of `a`. */
export function mergeMaps(a: Obj, b: Obj): Obj {
  const out: Obj = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObj(v) && isObj(out[k]) ? mergeMaps(out[k] as Obj, v) : v;
  return out;
}

function mergeService(a: Obj, b: Obj): Obj {
  const out: Obj = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const rule = SERVICE_RULES[k];
    if (out[k] === undefined || v === undefined) out[k] = v;
    else if (rule) out[k] = rule(out[k], v);
    else out[k] = isObj(v) && isObj(out[k]) ? mergeMaps(out[k] as Obj, v) : v;
  }
  return out;
}

/** Merges parsed, interpolated and validated files; later files override earlier ones. */
export function mergeComposeFiles(docs: readonly Obj[]): Obj {
  let out: Obj = {};
  for (const doc of docs) {
    const services = { ...((out.services as Obj | undefined) ?? {}) };
    for (const [name, svc] of Object.entries((doc.services as Obj | undefined) ?? {})) {
      services[name] = isObj(services[name]) && isObj(svc) ? mergeService(services[name] as Obj, svc) : svc;
    }
    out = mergeMaps(out, { ...doc, services: {} });
    out.services = services;
  }
  return out;
}
