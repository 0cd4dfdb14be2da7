import { describe, expect, it } from 'vitest';
import { checkOperations } from './checker.js';
import { kvModel, type KvOp } from './models.js';

const model = kvModel();
const put = (clientId: number, key: string, value: string, call: number, ret: number): KvOp => ({
  clientId,
  input: { kind: 'put', key, value },
  call,
  output: undefined,
  return: ret,
});
const del = (clientId: number, key: string, call: number, ret: number): KvOp => ({
  clientId,
  input: { kind: 'delete', key },
  call,
  output: undefined,
  return: ret,
});
const get = (clientId: number, key: string, value: string | null, call: number, ret: number): KvOp => ({
  clientId,
  input: { kind: 'get', key },
  call,
  output: value,
  return: ret,
});

describe('key-value model', () => {
  it('partitions by key', () => {
    const h = [put(0, 'a', '1', 0, 1), put(1, 'b', '2', 0, 1), get(2, 'a', '1', 2, 3), get(2, 'c', null, 4, 5)];
    expect(model.partition?.(h).map((p) => p.length)).toEqual([2, 1, 1]);
    expect(checkOperations(model, h)).toEqual({ result: 'ok', partitions: 3 });
  });

  it('accepts concurrent puts, gets and deletes that linearize per key', () => {
    const h = [
      put(0, 'a', 'x', 0, 10),
      del(1, 'a', 2, 12),
      get(2, 'a', null, 3, 4),
      get(2, 'a', 'x', 5, 6),
      get(2, 'a', null, 13, 14),
      put(3, 'b', 'y', 0, 1),
      get(0, 'b', 'y', 11, 20),
    ];
    expect(checkOperations(model, h).result).toBe('ok');
  });

  it('rejects a stale read on one key while others are fine, naming that key', () => {
    const h = [
      put(0, 'a', '1', 0, 1),
      get(1, 'a', '1', 2, 3),
      put(0, 'b', '1', 0, 1),
      put(0, 'b', '2', 2, 3),
      get(1, 'b', '1', 4, 5),
    ];
    const res = checkOperations(model, h);
    expect(res.result).toBe('illegal');
    if (res.result !== 'illegal') return;
    expect(res.partition).toBe(1);
    expect(res.stuck).toEqual(get(1, 'b', '1', 4, 5));
    expect(res.explanation).toContain('get("b") -> "1"');
  });

  it('rejects a get that sees a key deleted before it started', () => {
    const h = [put(0, 'k', 'v', 0, 1), del(1, 'k', 2, 3), get(2, 'k', 'v', 4, 5)];
    expect(checkOperations(model, h).result).toBe('illegal');
  });

  it('checks unpartitioned histories against the whole map too', () => {
    const whole = { ...model, partition: undefined };
    const h = [put(0, 'a', '1', 0, 5), put(1, 'b', '2', 1, 6), get(2, 'a', '1', 7, 8), get(2, 'b', '2', 9, 10)];
    expect(checkOperations(whole, h)).toEqual({ result: 'ok', partitions: 1 });
    expect(checkOperations(whole, [...h, get(3, 'a', null, 11, 12)]).result).toBe('illegal');
  });
});
