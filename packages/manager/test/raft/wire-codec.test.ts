import fc from 'fast-check';
import type { Entry, Message } from '@shoal/raft';
import { message } from '@shoal/raft';
import { loadProtos } from '@shoal/common/rpc';
import { describe, expect, it } from 'vitest';
import { chunk, decodeEntry, decodeMessage, encodeEntry, encodeMessage } from '../../src/raft/wire-codec.js';

/**
 * Raft messages travel between managers as JSON (split into chunks under gRPC's message limit):
 * whatever one manager sends, the other must decode to the same message, bytes and all.
 */

const base = (over: Partial<Message>): Message => message({ type: 'MsgApp', from: 1, to: 2, term: 3, ...over });

describe('encodeMessage / decodeMessage', () => {
  it('round-trips an append with string and byte entries', () => {
    const m = base({
      index: 9,
      logTerm: 2,
      commit: 8,
      entries: [
        { term: 3, index: 10, type: 'normal', data: '{"p":"1.1","x":[]}' },
        { term: 3, index: 11, type: 'normal', data: new Uint8Array(0) },
        { term: 3, index: 12, type: 'normal', data: new Uint8Array([0, 1, 2, 127, 128, 255]) },
        { term: 3, index: 13, type: 'conf', data: '{"type":"addVoter","node":4,"context":""}' },
        { term: 3, index: 14, type: 'normal', data: 'unicode ✓ \u{1F600} "quoted" \\ \n' },
      ],
    });
    const back = decodeMessage(encodeMessage(m));
    expect(back).toEqual(m);
    expect(back.entries[2]!.data).toBeInstanceOf(Uint8Array);
    expect(typeof back.entries[0]!.data).toBe('string');
  });

  it('round-trips a snapshot message', () => {
    const m = base({
      type: 'MsgSnap',
      snapshot: { index: 100, term: 4, voters: [1, 2, 3], learners: [5], data: JSON.stringify({ store: { clusters: [{ id: 'c' }] } }) },
    });
    expect(decodeMessage(encodeMessage(m))).toEqual(m);
    const bytes = base({ type: 'MsgSnap', snapshot: { index: 7, term: 1, voters: [1], learners: [], data: new Uint8Array([9, 8, 7]) } });
    expect(decodeMessage(encodeMessage(bytes))).toEqual(bytes);
  });

  it('round-trips the other fields of a response', () => {
    const m = base({ type: 'MsgAppResp', reject: true, rejectHint: 41, context: 'read-7' });
    const back = decodeMessage(encodeMessage(m));
    expect(back).toEqual(m);
    expect(back.snapshot).toBeUndefined();
  });

  it('puts string data after the JSON unescaped, once (not JSON inside JSON)', () => {
    const data = '{"p":"1.1","t":5,"x":[[{"kind":"create"}]]}';
    const encoded = encodeMessage(base({ entries: [{ term: 3, index: 10, type: 'normal', data }, { term: 3, index: 11, type: 'normal', data }] }));
    expect(encoded.endsWith(data + data)).toBe(true);
    expect(encoded).not.toContain('\\"');
    // A message without string data (a heartbeat, an answer) stays plain JSON.
    expect(JSON.parse(encodeMessage(base({ type: 'MsgHeartbeat' }))).type).toBe('MsgHeartbeat');
  });

  it('reads a message in the layout before (data escaped inside the JSON)', () => {
    const m = base({ index: 9, entries: [{ term: 3, index: 10, type: 'normal', data: '{"p":"1.1","x":[]}' }, { term: 3, index: 11, type: 'normal', data: new Uint8Array([1, 2]) }] });
    const { entries, ...rest } = m;
    const before = JSON.stringify({ ...rest, entries: entries.map((e) => encodeEntry(e)) });
    expect(before).toContain('"s":"{\\"p\\"');
    expect(decodeMessage(before)).toEqual(m);
  });

  it('refuses data lengths that do not match the text after the JSON', () => {
    const encoded = encodeMessage(base({ entries: [{ term: 3, index: 10, type: 'normal', data: 'abcdef' }] }));
    expect(decodeMessage(encoded).entries[0]!.data).toBe('abcdef');
    expect(() => decodeMessage(encoded.slice(0, -1))).toThrow(/malformed/);
    expect(() => decodeMessage(encoded + 'x')).toThrow(/malformed/);
    expect(() => decodeMessage(encoded.replace('"n":6', '"n":-1'))).toThrow(/malformed/);
    // A length without the data after the JSON is not data.
    expect(() => decodeMessage(encoded.slice(1, encoded.indexOf('\n')))).toThrow(/malformed/);
  });

  it('refuses what is not a raft message', () => {
    expect(() => decodeMessage('{"hello":1}')).toThrow(/malformed/);
    expect(() => decodeMessage(JSON.stringify({ type: 'MsgApp', entries: [{ index: 'x', term: 1, type: 'normal', data: { s: '' } }] }))).toThrow(/malformed/);
    expect(() => decodeMessage('not json')).toThrow();
  });
});

describe('chunk', () => {
  it('leaves a small payload whole', () => {
    expect(chunk('abc', 10)).toEqual(['abc']);
  });

  it('splits a 3 MB encoded message into parts under the limit that concatenate back to it', () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    const encoded = encodeMessage(base({ entries: [{ term: 3, index: 1, type: 'normal', data: big }] }));
    const limit = 512 * 1024;
    const parts = chunk(encoded);
    expect(parts.length).toBeGreaterThanOrEqual(Math.ceil(encoded.length / limit));
    for (const p of parts) {
      expect(p.length).toBeGreaterThan(0);
      expect(p.length).toBeLessThanOrEqual(limit);
    }
    expect(parts.join('')).toBe(encoded);
    expect(decodeMessage(parts.join('')).entries[0]!.data).toBe(big);
  });

  it('a large message with non-ASCII text survives the real gRPC chunk encoding', () => {
    // RaftChunk.payload is a protobuf string (UTF-8 on the wire): a part that ends or starts in
    // the middle of a surrogate pair would arrive as U+FFFD, silently changing the entry's data.
    type Codec = { requestSerialize(v: object): Buffer; requestDeserialize(b: Buffer): { payload: string } };
    const stream = (loadProtos().Raft as unknown as { service: { Stream: Codec } }).service.Stream;
    for (const filler of ['', 'x']) {
      const data = filler + '\u{1F600}'.repeat(800 * 1024);
      const encoded = encodeMessage(base({ entries: [{ term: 3, index: 1, type: 'normal', data }] }));
      const received = chunk(encoded).map((payload) => stream.requestDeserialize(stream.requestSerialize({ payload, more: true })).payload);
      const got = decodeMessage(received.join('')).entries[0]!.data as string;
      let at = 0;
      while (at < data.length && got[at] === data[at]) at++;
      // (compared by hand: a diff of two 1.6 M-character strings is unreadable)
      expect(got === data ? 'intact' : `differs from character ${at} (${JSON.stringify(got.slice(at, at + 4))})`).toBe('intact');
    }
  });

  it('splits at any size into parts that concatenate back', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), fc.integer({ min: 1, max: 64 }), (s, size) => {
        const parts = chunk(s, size);
        expect(parts.join('')).toBe(s);
        for (const p of parts) expect(p.length).toBeLessThanOrEqual(size);
      }),
    );
  });
});

const arbData: fc.Arbitrary<Entry['data']> = fc.oneof(fc.string({ unit: 'grapheme' }), fc.uint8Array({ maxLength: 64 }));
const arbEntry: fc.Arbitrary<Entry> = fc.record({
  term: fc.nat({ max: 2 ** 40 }),
  index: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
  type: fc.constantFrom<Entry['type']>('normal', 'conf'),
  data: arbData,
});

describe('property: random entries survive the wire', () => {
  it('encodeEntry / decodeEntry through JSON', () => {
    fc.assert(
      fc.property(arbEntry, (e) => {
        expect(decodeEntry(JSON.parse(JSON.stringify(encodeEntry(e))))).toEqual(e);
      }),
      { numRuns: 300 },
    );
  });

  it('messages carrying random entries, through encode, chunk and decode', () => {
    fc.assert(
      fc.property(fc.array(arbEntry, { maxLength: 8 }), fc.integer({ min: 1, max: 200 }), fc.boolean(), (entries, size, reject) => {
        const m = base({ entries, reject, commit: entries.length });
        expect(decodeMessage(chunk(encodeMessage(m), size).join(''))).toEqual(m);
      }),
      { numRuns: 200 },
    );
  });
});
