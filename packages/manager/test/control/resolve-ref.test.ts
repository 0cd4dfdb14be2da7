import { describe, expect, it } from 'vitest';
import type { Node } from '@shoal/common';
import { resolveRef } from '../../src/control/resolve-ref.js';
import { MemoryStore, type ReadTx } from '../../src/store/index.js';

function node(id: string, hostname: string): Node {
  return { id, description: { hostname } } as Node;
}

/** A read view of a store holding a fixed list of nodes. */
function view(nodes: Node[]): ReadTx {
  const store = new MemoryStore();
  store.applyEntry({ index: 1, time: 0, transactions: [nodes.map((object) => ({ kind: 'create', table: 'nodes', object }))] });
  return store.view();
}

describe('resolveRef', () => {
  const tx = view([node('abc111', 'h1'), node('abd222', 'web'), node('xyz333', 'web')]);

  it('finds by ID, by name and by unambiguous prefix', () => {
    expect(resolveRef(tx, 'nodes', 'abc111').id).toBe('abc111');
    expect(resolveRef(tx, 'nodes', 'h1').id).toBe('abc111');
    expect(resolveRef(tx, 'nodes', 'xy').id).toBe('xyz333');
  });

  it("names the candidates when two nodes share a hostname, after Docker's line", () => {
    expect(() => resolveRef(tx, 'nodes', 'web')).toThrow('node web is ambiguous (2 matches found): abd222, xyz333; use an ID');
  });

  it('names the candidates of an ambiguous ID prefix, at most ten of them', () => {
    expect(() => resolveRef(tx, 'nodes', 'ab')).toThrow('node ab is ambiguous (2 matches found): abc111, abd222; use an ID');
    const many = view(Array.from({ length: 12 }, (_, i) => node(`n${String(i).padStart(2, '0')}`, 'same')));
    expect(() => resolveRef(many, 'nodes', 'same')).toThrow('(12 matches found): n00, n01, n02, n03, n04, n05, n06, n07, n08, n09, and 2 more; use an ID');
  });
});
