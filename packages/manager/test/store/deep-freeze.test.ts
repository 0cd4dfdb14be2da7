import { describe, expect, it } from 'vitest';
import { deepFreeze, frozenCopy } from '../../src/store/deep-freeze.js';

describe('frozenCopy', () => {
  it('copies and freezes what the caller still owns, and shares what is frozen already', () => {
    const stored = deepFreeze({ spec: { image: 'busybox', env: ['A=1'] } });
    const mine = { env: ['B=2'], nested: { n: 1 } };
    const copy = frozenCopy({ ...stored, mine, list: [mine.nested] });
    mine.env.push('C=3');
    mine.nested.n = 2;
    expect(copy.mine).toEqual({ env: ['B=2'], nested: { n: 1 } });
    expect(copy.list).toEqual([{ n: 1 }]);
    expect(Object.isFrozen(copy.mine.env) && Object.isFrozen(copy.list[0]) && Object.isFrozen(copy)).toBe(true);
    expect(copy.spec).toBe(stored.spec);
  });
});
