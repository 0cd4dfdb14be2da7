import { invalidArgument } from '@shoal/common';
import { parseDocument, type Tags, type YAMLError } from 'yaml';

/** How many nodes one alias may expand to before the file is refused (the "billion laughs" guard). */
export const MAX_ALIAS_COUNT = 100;

const TIMESTAMP = 'tag:yaml.org,2002:timestamp';
const FLOAT = 'tag:yaml.org,2002:float';
/** A plain float needs a digit: YAML 1.1's own pattern also takes a lone "." (`build: .`). */
const PLAIN_FLOAT = /^[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)$/;

/**
 * YAML 1.1 tags less those Docker's parser does not apply: sexagesimal numbers (`22:22` stays a
 * port mapping, not 1342) and timestamps (dates stay strings).
 */
function dockerTags(tags: Tags): Tags {
  return tags
    .filter((t) => typeof t !== 'object' || (t.format !== 'TIME' && t.tag !== TIMESTAMP))
    .map((t) => (typeof t === 'object' && t.tag === FLOAT && !t.format && t.test?.source.includes('\\.[0-9_]*$') ? { ...t, test: PLAIN_FLOAT } : t));
}

function describe(text: string, err: YAMLError): string {
  const line = err.linePos?.[0]?.line;
  const where = line === undefined ? '' : `line ${line}: `;
  if (err.code === 'DUPLICATE_KEY') {
    const key = /^\s*(?:-\s+)?("[^"]*"|'[^']*'|[^:#]+?)\s*:/.exec(text.slice(err.pos[0]))?.[1];
    return `${where}duplicate key ${key === undefined ? '' : JSON.stringify(key.replace(/^["']|["']$/g, ''))}`.trim();
  }
  const first = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return `${where}${first}`;
}

/**
 * Parses one compose file with YAML 1.1 semantics, as Docker reads them (`0440` is octal, merge
 * keys `<<` work, `yes`/`no`/`on`/`off` are booleans; no sexagesimals or timestamps). Duplicate keys are errors, and alias
 * expansion is bounded so a hostile file fails fast in bounded memory.
 */
export function parseComposeYaml(file: string, text: string): Record<string, unknown> {
  const doc = parseDocument(text, { version: '1.1', merge: true, uniqueKeys: true, prettyErrors: true, customTags: dockerTags });
  const err = doc.errors[0];
  if (err) throw invalidArgument(`${file}: ${describe(text, err)}`);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    throw invalidArgument(`${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (value === null || value === undefined) throw invalidArgument(`${file}: empty compose file`);
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidArgument(`${file}: top-level object must be a mapping`);
  return value as Record<string, unknown>;
}
