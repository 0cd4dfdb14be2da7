import { describe, expect, it } from 'vitest';
import { IdentityCache } from '../../src/ca/identity-cache.js';

const id = (n: number) => ({ nodeId: `node${n}`, role: 'manager' as const, clusterId: 'c1' });

describe('the identity cache of peer certificates', () => {
  it('answers for a certificate it has read', () => {
    const cache = new IdentityCache(4);
    cache.set('der-1', id(1));
    expect(cache.get('der-1')).toEqual(id(1));
    expect(cache.get('der-2')).toBeUndefined();
  });

  it('holds at most its bound, forgetting the oldest certificate first', () => {
    const cache = new IdentityCache(3);
    for (let n = 1; n <= 5; n++) cache.set(`der-${n}`, id(n));
    expect(cache.size).toBe(3);
    expect(cache.get('der-1')).toBeUndefined();
    expect(cache.get('der-2')).toBeUndefined();
    expect(cache.get('der-5')).toEqual(id(5));
    cache.set('der-5', id(5));
    expect(cache.size).toBe(3);
    expect(cache.get('der-3')).toEqual(id(3));
  });
});
