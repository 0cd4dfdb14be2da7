import { invalidArgument, TEXT_CONTROL_CHARS, type ShoalError } from '@shoal/common';

/**
 * Readers for fields of a decoded request, each with its path for the error line. They take
 * `unknown`: protobuf decoding fixes scalar types but leaves absent messages as null, and an
 * in-process caller could hand anything.
 */
export class FieldReader {
  constructor(private readonly what: string) {}

  fail(path: string, problem: string): ShoalError {
    return invalidArgument(`${this.what}: ${path} ${problem}`);
  }

  object(v: unknown, path: string): Record<string, unknown> {
    if (v === null || v === undefined) throw this.fail(path, 'is missing');
    if (typeof v !== 'object' || Array.isArray(v)) throw this.fail(path, `must be an object, not ${kindOf(v)}`);
    return v as Record<string, unknown>;
  }

  /** A string of at most `max` characters; `name` strings hold no whitespace or control characters. */
  string(v: unknown, path: string, max: number, o: { name?: boolean; required?: boolean } = {}): string {
    if (typeof v !== 'string') throw this.fail(path, `must be a string, not ${kindOf(v)}`);
    if (v.length > max) throw this.fail(path, `has ${v.length} characters (limit ${max})`);
    if (o.required && v.length === 0) throw this.fail(path, 'must not be empty');
    const bad = o.name ? NAME_UNSAFE : TEXT_UNSAFE;
    if (bad.test(v)) throw this.fail(path, o.name ? 'must not contain whitespace or control characters' : 'must not contain control characters');
    return v;
  }

  /** An integer in [min, max]; int64 fields arrive as decimal strings. */
  integer(v: unknown, path: string, min: number, max: number): number {
    const n = typeof v === 'string' && /^-?\d{1,20}$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw this.fail(path, `must be an integer, not ${typeof v === 'string' ? JSON.stringify(v.slice(0, 32)) : kindOf(v)}`);
    if (n < min || n > max) throw this.fail(path, `is ${n}, outside ${min}..${max}`);
    return n;
  }

  /** A string map of at most `maxEntries` entries, keys and values bounded. */
  stringMap(v: unknown, path: string, maxEntries: number, keyMax: number, valueMax: number): Record<string, string> {
    const m = this.object(v, path);
    const keys = Object.keys(m);
    if (keys.length > maxEntries) throw this.fail(path, `has ${keys.length} entries (limit ${maxEntries})`);
    const entries = keys.map((k) => {
      this.string(k, `${path} key`, keyMax, { name: true, required: true });
      return [k, this.string(m[k], `${path}[${JSON.stringify(k.slice(0, 64))}]`, valueMax)] as const;
    });
    // fromEntries defines own properties: a key "__proto__" stays a key.
    return Object.fromEntries(entries);
  }
}

/** Whitespace and control characters (C0, DEL, C1): never in names, addresses and IDs. */
const NAME_UNSAFE = /[\s\u0000-\u001f\u007f-\u009f]/;
/** The same class as TEXT_CONTROL_CHARS, without the global flag (whose `test` keeps state). */
const TEXT_UNSAFE = new RegExp(TEXT_CONTROL_CHARS.source);

function kindOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}
