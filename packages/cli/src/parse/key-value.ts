import { MAX_REPLICAS_CEILING } from '@shoal/common';

/** `K=V` into [K, V]; a bare `K` gives [K, ''] (Docker's labels). */
export function splitKeyValue(text: string, what: string): [string, string] {
  const eq = text.indexOf('=');
  const key = eq < 0 ? text : text.slice(0, eq);
  if (key.trim() === '') throw new Error(`invalid ${what} "${text}": use KEY=VALUE`);
  return [key, eq < 0 ? '' : text.slice(eq + 1)];
}

export function keyValues(texts: readonly string[] | undefined, what: string): Record<string, string> {
  return Object.fromEntries((texts ?? []).map((t) => splitKeyValue(t, what)));
}

/** Repeated `--filter k=v` flags as the daemon's filters: several values of a key are comma-joined (OR). */
export function parseFilters(texts: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of texts ?? []) {
    const eq = t.indexOf('=');
    if (eq <= 0) throw new Error(`bad format of filter "${t}" (expected name=value)`);
    const key = t.slice(0, eq).trim().toLowerCase();
    const value = t.slice(eq + 1).trim();
    out[key] = out[key] ? `${out[key]},${value}` : value;
  }
  return out;
}

/** Commander's collector for repeatable options. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * A replica count. Counts above the most any swarm allows are refused here, before anything is
 * sent; the daemon checks the cluster's own limit (`swarm update --max-replicas`).
 */
export function parseReplicas(text: string, what = 'replicas'): number {
  const n = parseCount(text, what);
  if (n > MAX_REPLICAS_CEILING) {
    throw new Error(`${what} ${text.trim()} is more than any swarm allows (at most ${MAX_REPLICAS_CEILING}; see shoal swarm update --max-replicas)`);
  }
  return n;
}

/** A non-negative integer option value. */
export function parseCount(text: string, what: string): number {
  if (!/^\d+$/.test(text.trim())) throw new Error(`invalid ${what} "${text}": expected a non-negative integer`);
  return Number(text);
}
