import { invalidArgument } from '@shoal/common';
import type { EnvLookup } from './dotenv.js';
import { castInterpolated } from './type-cast.js';

/** What interpolation needs: the variables, and where to report unset ones (once each). */
export interface InterpolateContext {
  env: EnvLookup;
  /** Names of unset variables used without a default, in order of first use. */
  unset: Set<string>;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** The index of the `}` closing the `${` that starts at `open`, honouring nested `${…}`. */
function closingBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '$' && s[i + 1] === '{') {
      depth++;
      i++;
    } else if (s[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function lookupVar(name: string, ctx: InterpolateContext): string | undefined {
  return ctx.env[name];
}

/** Applies `${NAME<op>arg}` once the braces are found. */
function substituteBraced(inner: string, path: string, ctx: InterpolateContext, whole: string): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(inner);
  if (!m) throw badFormat(path, whole);
  const [, name, op, argRaw = ''] = m as unknown as [string, string, string | undefined, string | undefined];
  const value = lookupVar(name, ctx);
  const empty = value === undefined || (op?.startsWith(':') === true && value === '');
  switch (op) {
    case undefined:
      if (value === undefined) ctx.unset.add(name);
      return value ?? '';
    case ':-':
    case '-':
      return empty ? interpolateArgument(argRaw, path, ctx) : value!;
    case ':?':
    case '?':
      if (empty) throw invalidArgument(`${path}: required variable ${name} is missing a value: ${interpolateArgument(argRaw, path, ctx)}`);
      return value!;
    default:
      return empty ? '' : interpolateArgument(argRaw, path, ctx);
  }
}

/**
 * The text after `:-`, `-`, `:?`, `?`, `:+` or `+`. Docker's stack loader takes it literally, so a
 * bcrypt hash (`${AUTH:-admin:$2y$05$Kz8…}`, common in Traefik basic-auth labels) passes as it is
 * written: `$NAME`, `$$` and a `$` before anything else stay as they are. Only a nested `${…}` is
 * substituted, as the Compose Spec allows (`${A:-${B}:5432}`).
 */
function interpolateArgument(arg: string, path: string, ctx: InterpolateContext): string {
  let out = '';
  let i = 0;
  for (let open = arg.indexOf('${'); open >= 0; open = arg.indexOf('${', i)) {
    const close = closingBrace(arg, open);
    if (close < 0) break;
    out += arg.slice(i, open) + substituteBraced(arg.slice(open + 2, close), path, ctx, arg);
    i = close + 1;
  }
  return out + arg.slice(i);
}

function badFormat(path: string, text: string): Error {
  return invalidArgument(`${path}: invalid interpolation format "${text}"; you may need to escape any $ with another $`);
}

/**
 * Compose variable substitution on one string: `$VAR`, `${VAR}`, `${VAR:-default}`,
 * `${VAR-default}`, `${VAR:?message}`, `${VAR?message}`, `${VAR:+alt}`, `${VAR+alt}` and `$$`
 * for a literal `$`. The text of a default, message or alternative is literal but for a nested
 * `${…}` (`${A:-${B}}`). `path` prefixes error messages.
 */
export function interpolateString(s: string, path: string, ctx: InterpolateContext): string {
  if (!s.includes('$')) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const dollar = s.indexOf('$', i);
    if (dollar < 0) return out + s.slice(i);
    out += s.slice(i, dollar);
    const next = s[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const close = closingBrace(s, dollar);
      if (close < 0) throw badFormat(path, s);
      out += substituteBraced(s.slice(dollar + 2, close), path, ctx, s);
      i = close + 1;
    } else {
      const name = NAME.exec(s.slice(dollar + 1))?.[0];
      if (!name) throw badFormat(path, s);
      const value = lookupVar(name, ctx);
      if (value === undefined) ctx.unset.add(name);
      out += value ?? '';
      i = dollar + 1 + name.length;
    }
  }
  return out;
}

/** A key path as messages show it: `services.web.ports[0].published`. */
export function formatPath(keys: readonly (string | number)[]): string {
  return keys.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k), '');
}

/**
 * Interpolates every string value (not keys) of a parsed document. Values that contained a `$`
 * are then cast where the schema wants a number or boolean (`replicas: ${N:-2}`), as Docker does.
 */
export function interpolateTree(value: unknown, file: string, ctx: InterpolateContext, keys: (string | number)[] = []): unknown {
  if (typeof value === 'string') {
    const out = interpolateString(value, `${file}: ${formatPath(keys)}`, ctx);
    return value.includes('$') ? castInterpolated(keys, out) : out;
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateTree(v, file, ctx, [...keys, i]));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolateTree(v, file, ctx, [...keys, k]);
    return out;
  }
  return value;
}

export function unsetWarnings(unset: Iterable<string>): string[] {
  return [...unset].map((name) => `The ${name} variable is not set. Defaulting to a blank string.`);
}
