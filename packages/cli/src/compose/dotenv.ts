import { invalidArgument } from '@shoal/common';

export type EnvLookup = Record<string, string | undefined>;

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' };

function unquoteDouble(body: string): string {
  return body.replace(/\\(.)/g, (all, c: string) => ESCAPES[c] ?? all);
}

/** The value part of a line: quoted ('…' literal, "…" with escapes) or bare up to an inline ` #`. */
function parseValue(raw: string, where: string): string {
  const v = raw.trim();
  const q = v[0];
  if (q === "'" || q === '"') {
    const end = v.indexOf(q, 1);
    let close = end;
    if (q === '"') {
      close = 1;
      while (close < v.length && v[close] !== '"') close += v[close] === '\\' ? 2 : 1;
    }
    if (end < 0 || close >= v.length) throw invalidArgument(`${where}: unterminated quoted value`);
    const body = v.slice(1, close);
    return q === '"' ? unquoteDouble(body) : body;
  }
  const hash = v.search(/\s#/);
  return (hash < 0 ? v : v.slice(0, hash)).trim();
}

/**
 * Parses a dotenv file (`.env` or an `env_file`): `KEY=VALUE` lines, `export ` prefixes, quotes,
 * blank lines and `#` comments. A bare `KEY` takes its value from `lookup`, and is left out when
 * the lookup has none. Later lines win.
 */
export function parseDotenv(text: string, file: string, lookup: EnvLookup = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n?|\n/);
  lines.forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const body = trimmed.replace(/^export\s+/, '');
    const eq = body.indexOf('=');
    const key = (eq < 0 ? body : body.slice(0, eq)).trim();
    const where = `${file}:${i + 1}`;
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) throw invalidArgument(`${where}: invalid variable name "${key}"`);
    if (eq >= 0) out[key] = parseValue(body.slice(eq + 1), where);
    else if (lookup[key] !== undefined) out[key] = lookup[key]!;
  });
  return out;
}
