import { describe, expect, it } from 'vitest';
import type { WatchEvent } from '../../src/store/index.js';
import { localStore, makeNode, makeService, makeTask } from '../scheduler/fixtures.js';

const names = (events: WatchEvent[]) => events.map((e) => `${e.kind} ${e.table} ${e.object.id}`);

describe('filtered watches', () => {
  it('hears only the events a filter names, one call per entry, never an empty one', async () => {
    const { store } = localStore();
    const heard: Record<string, string[][]> = { all: [], n1: [], n2: [], s2: [], nodes: [], n1s2: [] };
    store.watch((e) => heard.all!.push(names(e)));
    store.watch((e) => heard.n1!.push(names(e)), { nodeId: 'n1' });
    store.watch((e) => heard.n2!.push(names(e)), { nodeId: 'n2', tables: ['tasks'] });
    store.watch((e) => heard.s2!.push(names(e)), { serviceId: 's2' });
    store.watch((e) => heard.nodes!.push(names(e)), { tables: ['nodes'] });
    store.watch((e) => heard.n1s2!.push(names(e)), { nodeId: 'n1', serviceId: 's2' });

    await store.update((tx) => {
      tx.create('nodes', makeNode('n1'));
      tx.create('services', makeService('s2'));
      tx.create('tasks', makeTask('a', { serviceId: 's1', nodeId: 'n1' }));
      tx.create('tasks', makeTask('b', { serviceId: 's2', nodeId: 'n1' }));
    });
    // Moving a task from n1 to n2 is heard on both nodes.
    await store.update((tx) => tx.update('tasks', { ...tx.get('tasks', 'b')!, nodeId: 'n2' }));
    await store.update((tx) => tx.remove('tasks', 'a'));

    expect(heard.all).toHaveLength(3);
    expect(heard.n1).toEqual([['create nodes n1', 'create tasks a', 'create tasks b'], ['update tasks b'], ['remove tasks a']]);
    expect(heard.n2).toEqual([['update tasks b']]);
    expect(heard.s2).toEqual([['create services s2', 'create tasks b'], ['update tasks b']]);
    expect(heard.nodes).toEqual([['create nodes n1']]);
    expect(heard.n1s2).toEqual([['create tasks b'], ['update tasks b']]);
  });

  it('stops a listener when it unsubscribes, and calls listeners in the order they were added', async () => {
    const { store } = localStore();
    const order: string[] = [];
    const stop = store.watch(() => order.push('first'), { nodeId: 'n1' });
    store.watch(() => order.push('second'));
    store.watch(() => order.push('third'), { serviceId: 's1' });
    await store.update((tx) => tx.create('tasks', makeTask('a', { serviceId: 's1', nodeId: 'n1' })));
    stop();
    await store.update((tx) => tx.create('tasks', makeTask('b', { serviceId: 's1', nodeId: 'n1' })));
    expect(order).toEqual(['first', 'second', 'third', 'second', 'third']);
  });
});
