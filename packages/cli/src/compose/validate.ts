import { invalidArgument } from '@shoal/common';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { checkExternalConflicts } from './check-external.js';
import { composeSchema } from './compose-schema.js';
import { formatPath } from './interpolate.js';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, strict: false }).compile(composeSchema);
  return compiled;
}

function pathKeys(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

const ARTICLE: Record<string, string> = {
  integer: 'an integer',
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

function orList(words: string[]): string {
  const uniq = [...new Set(words)];
  return uniq.length <= 1 ? (uniq[0] ?? '') : `${uniq.slice(0, -1).join(', ')} or ${uniq[uniq.length - 1]}`;
}

function typeWords(e: ErrorObject): string[] {
  const t = (e.params as { type: string | string[] }).type;
  return (Array.isArray(t) ? t : String(t).split(',')).map((w) => ARTICLE[w] ?? w);
}

/** Which errors say most: the deepest path, then the most specific keyword. */
const RANK: Record<string, number> = { additionalProperties: 0, required: 1, enum: 2, minimum: 3, maximum: 3, uniqueItems: 3, type: 5 };
const depth = (e: ErrorObject) => pathKeys(e.instancePath).length;
const rank = (e: ErrorObject) => RANK[e.keyword] ?? 4;

function message(e: ErrorObject, sameSpot: ErrorObject[]): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `additional property "${String(p.additionalProperty)}" is not allowed`;
    case 'required':
      return `missing required key "${String(p.missingProperty)}"`;
    case 'enum':
      return `must be one of: ${(p.allowedValues as unknown[]).join(', ')}`;
    case 'type':
      return `must be ${orList(sameSpot.filter((s) => s.keyword === 'type').flatMap(typeWords))}`;
    case 'uniqueItems':
      return 'must not contain duplicates';
    default:
      return e.message ?? 'is invalid';
  }
}

/** The one error worth showing, as `FILE: key.path: message`. */
export function describeErrors(file: string, errors: ErrorObject[]): string {
  const useful = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
  const pool = useful.length > 0 ? useful : errors;
  const best = [...pool].sort((a, b) => depth(b) - depth(a) || rank(a) - rank(b))[0]!;
  const sameSpot = pool.filter((e) => e.instancePath === best.instancePath);
  const path = formatPath(pathKeys(best.instancePath));
  return `${file}: ${path ? `${path}: ` : ''}${message(best, sameSpot)}`;
}

function checkVersion(file: string, doc: Record<string, unknown>): void {
  const v = doc.version;
  if (v === undefined || v === null) return;
  // Docker reads `version: 3` as the number 3 and refuses it; so does a bare `version: 3.8`.
  if (typeof v !== 'string') throw invalidArgument(`${file}: version: must be a string`);
  if (!/^3(\.\d+)?$/.test(String(v))) throw invalidArgument(`${file}: version: unsupported Compose file version "${String(v)}"; use 3.x or leave it out`);
}

/** Validates one parsed, interpolated file; throws INVALID_ARGUMENT naming the file and key path. */
export function validateComposeFile(file: string, doc: Record<string, unknown>): void {
  checkVersion(file, doc);
  const validate = validator();
  if (!validate(doc)) throw invalidArgument(describeErrors(file, validate.errors ?? []));
  checkExternalConflicts(file, doc);
}
