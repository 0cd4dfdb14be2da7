import type { Entry, Message, Snapshot } from '@shoal/raft';

/**
 * Raft entries, snapshots and messages as text. Entry and snapshot data are strings (JSON written
 * by the host) or bytes (the empty entry a new leader appends). A message, a stored entry or a
 * stored snapshot is JSON; when it holds string data, that data follows the JSON unescaped
 * (`RAW` + JSON + newline + the data strings in order, `{ n: length }` in the JSON), so that the
 * proposal's JSON is neither escaped inside another JSON nor parsed twice. Bytes travel as base64
 * under `b`; `{ s }` (data escaped inside the JSON) is the layout before, still read.
 */
type EncodedData = { s: string } | { b: string } | { n: number };

const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

/** Marks the layout with raw data after the JSON: JSON text never starts with it. */
const RAW = '\u0001';

/** Collects the string data an encoder puts after its JSON. */
export class RawDataOut {
  readonly parts: string[] = [];
  put(data: Uint8Array | string): EncodedData {
    if (typeof data !== 'string') return { b: toBase64(data) };
    this.parts.push(data);
    return { n: data.length };
  }
}

/** Reads the string data after the JSON, in the order it was put. */
export class RawDataIn {
  constructor(
    private readonly text: string,
    private at: number,
  ) {}
  take(n: number): string {
    if (!isCount(n) || this.at + n > this.text.length) throw new Error('malformed data');
    const data = this.text.slice(this.at, this.at + n);
    this.at += n;
    return data;
  }
  end(): void {
    if (this.at !== this.text.length) throw new Error('malformed data: trailing text');
  }
}

/** JSON of what `build` returns, with the string data it put through `out` after it. */
export function withRawData(build: (out: RawDataOut) => unknown): string {
  const out = new RawDataOut();
  const json = JSON.stringify(build(out));
  return out.parts.length === 0 ? json : `${RAW}${json}\n${out.parts.join('')}`;
}

/** The inverse of withRawData: `read` gets the parsed JSON and the data after it (if any). */
export function readRawData<T>(text: string, read: (json: unknown, input: RawDataIn | undefined) => T): T {
  if (!text.startsWith(RAW)) return read(JSON.parse(text), undefined);
  const newline = text.indexOf('\n');
  if (newline < 0) throw new Error('malformed data: no end of header');
  const input = new RawDataIn(text, newline + 1);
  const result = read(JSON.parse(text.slice(RAW.length, newline)), input);
  input.end();
  return result;
}

const encodeData = (data: Uint8Array | string, out?: RawDataOut): EncodedData =>
  out ? out.put(data) : typeof data === 'string' ? { s: data } : { b: toBase64(data) };

function decodeData(d: EncodedData | undefined, input: RawDataIn | undefined): Uint8Array | string {
  if (d && 'n' in d && input) return input.take(d.n);
  if (d && 's' in d && typeof d.s === 'string') return d.s;
  if (d && 'b' in d && typeof d.b === 'string') return fromBase64(d.b);
  throw new Error('malformed data');
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    throw new Error('malformed data');
  }
}

export interface EncodedEntry {
  term: number;
  index: number;
  type: Entry['type'];
  data: EncodedData;
}

export const encodeEntry = (e: Entry, out?: RawDataOut): EncodedEntry => ({ term: e.term, index: e.index, type: e.type, data: encodeData(e.data, out) });

export function decodeEntry(e: EncodedEntry, input?: RawDataIn): Entry {
  if (!isCount(e?.index) || !isCount(e.term) || (e.type !== 'normal' && e.type !== 'conf')) {
    throw new Error('malformed entry');
  }
  return { term: e.term, index: e.index, type: e.type, data: decodeData(e.data, input) };
}

export type EncodedSnapshot = Omit<Snapshot, 'data'> & { data: EncodedData };

export const encodeSnapshot = (s: Snapshot, out?: RawDataOut): EncodedSnapshot => ({ ...s, data: encodeData(s.data, out) });

const isIdList = (l: unknown): l is number[] => Array.isArray(l) && l.every((id) => isCount(id) && id > 0);

export function decodeSnapshot(s: EncodedSnapshot, input?: RawDataIn): Snapshot {
  if (!isCount(s?.index) || !isCount(s.term) || !isIdList(s.voters) || !(s.learners === undefined || isIdList(s.learners))) throw new Error('malformed snapshot');
  return { index: s.index, term: s.term, voters: s.voters, learners: s.learners ?? [], data: decodeData(s.data, input) };
}

/** Entries' data first, then the snapshot's, in the order decodeMessage takes them. */
export function encodeMessage(m: Message): string {
  const { entries, snapshot, ...rest } = m;
  return withRawData((out) => {
    const encoded = entries.map((e) => encodeEntry(e, out));
    return { ...rest, entries: encoded, ...(snapshot ? { snapshot: encodeSnapshot(snapshot, out) } : {}) };
  });
}

const MESSAGE_TYPES: ReadonlySet<string> = new Set<Message['type']>([
  'MsgVote', 'MsgVoteResp', 'MsgPreVote', 'MsgPreVoteResp', 'MsgApp', 'MsgAppResp', 'MsgHeartbeat',
  'MsgHeartbeatResp', 'MsgProp', 'MsgReadIndex', 'MsgReadIndexResp', 'MsgTimeoutNow', 'MsgSnap',
]);
const NUMBER_FIELDS = ['from', 'to', 'term', 'logTerm', 'index', 'commit', 'rejectHint'] as const;
/** A request context is an ID the host chose (a read request, 'transfer'): never large. */
const MAX_CONTEXT_CHARS = 1024;

/**
 * A message from a peer, checked field by field: whatever a peer sends, the core only ever sees
 * a message of a known type with non-negative integer counters (it asserts on what cannot happen,
 * and a peer must not be able to make it).
 */
export function decodeMessage(text: string): Message {
  return readRawData(text, (json, input) => {
    const m = json as Record<string, unknown> | null;
    if (typeof m !== 'object' || m === null || typeof m.type !== 'string' || !MESSAGE_TYPES.has(m.type)) throw new Error('malformed raft message: unknown type');
    const bad = NUMBER_FIELDS.find((f) => !isCount(m[f]));
    if (bad) throw new Error(`malformed raft message: ${bad} is not a non-negative integer`);
    if (typeof m.reject !== 'boolean') throw new Error('malformed raft message: reject is not a boolean');
    if (typeof m.context !== 'string' || m.context.length > MAX_CONTEXT_CHARS) throw new Error('malformed raft message: bad context');
    if (!Array.isArray(m.entries)) throw new Error('malformed raft message: entries is not a list');
    const { snapshot, entries, ...rest } = m as unknown as Omit<Message, 'entries' | 'snapshot'> & { entries: EncodedEntry[]; snapshot?: EncodedSnapshot };
    const decoded = entries.map((e) => decodeEntry(e, input));
    return { ...rest, entries: decoded, ...(snapshot ? { snapshot: decodeSnapshot(snapshot, input) } : {}) };
  });
}

/** Splits an encoded message into payloads of at most `size` characters (gRPC's limit is 4 MiB). */
export function chunk(encoded: string, size = 512 * 1024): string[] {
  if (encoded.length <= size) return [encoded];
  const parts: string[] = [];
  for (let i = 0; i < encoded.length; ) {
    let end = Math.min(i + size, encoded.length);
    // Never split a surrogate pair: each half would arrive as U+FFFD (payloads are UTF-8 strings).
    if (end < encoded.length && end - 1 > i && isHighSurrogate(encoded.charCodeAt(end - 1))) end--;
    parts.push(encoded.slice(i, end));
    i = end;
  }
  return parts;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
