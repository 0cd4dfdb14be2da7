import { describe, expect, it } from 'vitest';
import { seededRng } from '@shoal/common';
import { checkOperations } from './checker.js';
import { randomRegisterHistory } from './history.js';
import { registerModel, type RegisterOp } from './models.js';

const model = registerModel(0);

function corrupt(history: RegisterOp[], pick: (h: RegisterOp[]) => { index: number; value: number }): RegisterOp[] {
  const { index, value } = pick(history);
  return history.map((op, i) => (i === index ? { ...op, output: value } : op));
}

describe('random histories from linearizable executions', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`accepts the history and rejects a corrupted read (seed ${seed})`, () => {
      const h = randomRegisterHistory(seededRng(seed), { clients: 5, operations: 100 });
      expect(checkOperations(model, h).result).toBe('ok');
      // The intervals really overlap: most operations are concurrent with another client's.
      const overlapping = h.filter((a) => h.some((b) => b.clientId !== a.clientId && b.call <= a.return && a.call <= b.return));
      expect(overlapping.length).toBeGreaterThan(h.length / 2);

      // A read of a value no one wrote.
      const reads = h.map((op, i) => ({ op, i })).filter(({ op }) => op.input.kind === 'read');
      expect(reads.length).toBeGreaterThan(0);
      const bogus = corrupt(h, () => ({ index: (reads[seed % reads.length] as { i: number }).i, value: -1 }));
      expect(checkOperations(model, bogus).result).toBe('illegal');

      // A read of a value whose (only) write started after the read returned.
      const future = reads
        .map(({ op, i }) => ({ i, w: h.find((x) => x.input.kind === 'write' && x.call > op.return) }))
        .find(({ w }) => w !== undefined);
      expect(future).toBeDefined();
      if (future?.w && future.w.input.kind === 'write') {
        const value = future.w.input.value;
        const res = checkOperations(model, corrupt(h, () => ({ index: future.i, value })));
        expect(res.result).toBe('illegal');
      }
    });
  }

  it('decides a 200-operation, 8-client history both ways (memoisation keeps the search small)', () => {
    const h = randomRegisterHistory(seededRng(42), { clients: 8, operations: 200, writeRatio: 0.3, spacing: 4 });
    expect(checkOperations(model, h, { timeoutMs: 5000 }).result).toBe('ok');
    const lastRead = h.map((op) => op.input.kind).lastIndexOf('read');
    const bad = corrupt(h, () => ({ index: lastRead, value: -1 }));
    expect(checkOperations(model, bad, { timeoutMs: 5000 }).result).toBe('illegal');
  });

  it('memoisation collapses the orderings of many concurrent writes', () => {
    // 12 overlapping writes and a read of a value none wrote: 12! orderings, but only
    // (linearized set, last value) configurations need visiting.
    const writes: RegisterOp[] = Array.from({ length: 12 }, (_, i) => ({
      clientId: i,
      input: { kind: 'write', value: i + 1 },
      call: i,
      output: undefined,
      return: 100 + i,
    }));
    const read: RegisterOp = { clientId: 99, input: { kind: 'read' }, call: 50, output: -1, return: 60 };
    expect(checkOperations(model, [...writes, read], { timeoutMs: 5000 }).result).toBe('illegal');
  });

  it('reports unknown on timeout', () => {
    const h = randomRegisterHistory(seededRng(7), { clients: 8, operations: 200, writeRatio: 0.3, spacing: 4 });
    let t = 0;
    const res = checkOperations(model, h, { timeoutMs: 1, now: () => t++ });
    expect(res.result).toBe('unknown');
  });
});
