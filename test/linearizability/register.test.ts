import { describe, expect, it } from 'vitest';
import { checkOperations } from './checker.js';
import { registerModel, type RegisterOp } from './models.js';

const model = registerModel(0);
const w = (clientId: number, value: number, call: number, ret: number): RegisterOp => ({
  clientId,
  input: { kind: 'write', value },
  call,
  output: undefined,
  return: ret,
});
const r = (clientId: number, value: number, call: number, ret: number): RegisterOp => ({
  clientId,
  input: { kind: 'read' },
  call,
  output: value,
  return: ret,
});

describe('register model', () => {
  it('accepts sequential histories', () => {
    expect(checkOperations(model, []).result).toBe('ok');
    const h = [r(0, 0, 0, 1), w(0, 1, 2, 3), r(1, 1, 4, 5), w(1, 2, 6, 7), r(0, 2, 8, 9)];
    expect(checkOperations(model, h).result).toBe('ok');
  });

  it('accepts concurrent but linearizable histories', () => {
    // Reads overlapping a write may see either value, and may disagree with each other
    // as long as a single order explains them.
    expect(checkOperations(model, [w(0, 1, 0, 10), r(1, 0, 1, 2), r(2, 1, 3, 4), r(1, 1, 5, 6)]).result).toBe('ok');
    // Two concurrent writes, read-back in the order opposite to their calls.
    expect(checkOperations(model, [w(0, 1, 0, 5), w(1, 2, 1, 6), r(2, 1, 7, 8)]).result).toBe('ok');
    expect(checkOperations(model, [w(0, 1, 0, 5), w(1, 2, 1, 6), r(2, 2, 7, 8)]).result).toBe('ok');
    // The history from Herlihy & Wing's paper: it must linearize as write(1) < read 1 < write(2) < read 2.
    expect(checkOperations(model, [w(0, 1, 0, 4), r(1, 1, 1, 5), w(1, 2, 6, 9), r(0, 2, 7, 10)]).result).toBe('ok');
    // Touching intervals are concurrent (closed intervals).
    expect(checkOperations(model, [w(0, 1, 0, 5), r(1, 0, 5, 6)]).result).toBe('ok');
  });

  it('rejects a stale read after a completed write', () => {
    const res = checkOperations(model, [w(0, 1, 0, 2), r(1, 0, 3, 4)]);
    expect(res.result).toBe('illegal');
    if (res.result !== 'illegal') return;
    expect(res.stuck).toEqual(r(1, 0, 3, 4));
    expect(res.longestPrefix).toEqual([w(0, 1, 0, 2)]);
    expect(res.explanation).toContain('could not place next: client 1: read() -> 0 [3, 4]');
  });

  it('rejects a stale read among overlapping operations', () => {
    const h = [w(0, 1, 0, 2), w(1, 2, 1, 3), r(2, 2, 4, 5), r(3, 1, 6, 7)];
    expect(checkOperations(model, h).result).toBe('illegal');
  });

  it('rejects a write seen and then unseen', () => {
    // The write is still in flight, but once a read sees it, a later read cannot miss it.
    const h = [w(0, 1, 0, 100), r(1, 1, 10, 20), r(2, 0, 30, 40)];
    const res = checkOperations(model, h);
    expect(res.result).toBe('illegal');
    if (res.result === 'illegal') expect(res.explanation).toMatch(/not linearizable/);
  });

  it('accepts a write that never returned, whether or not it took effect', () => {
    expect(checkOperations(model, [w(0, 1, 0, Infinity), r(1, 1, 5, 6), r(2, 1, 7, 8)]).result).toBe('ok');
    expect(checkOperations(model, [w(0, 1, 0, Infinity), r(1, 0, 5, 6)]).result).toBe('ok');
    expect(checkOperations(model, [w(0, 1, 0, Infinity), r(1, 1, 5, 6), r(2, 0, 7, 8)]).result).toBe('illegal');
  });

  it('rejects a read of a value never written', () => {
    expect(checkOperations(model, [w(0, 1, 0, 5), r(1, 7, 1, 6)]).result).toBe('illegal');
  });

  it('rejects malformed operations', () => {
    expect(() => checkOperations(model, [r(0, 0, 5, 1)])).toThrow(/before its call/);
  });
});
