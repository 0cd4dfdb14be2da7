import { seededRng, type ServiceSpec } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { createService, updateService } from '../../src/control/services.js';
import { makeService } from '../scheduler/fixtures.js';
import { batchingStore } from '../allocator/fixtures.js';


const spec = (name: string): ServiceSpec => ({ ...makeService('x').spec, annotations: { name, labels: {} } });

describe('service names at apply time', () => {
  it('lets only one of two concurrent creates of one name commit', async () => {
    const { store, flush } = batchingStore();
    const rng = seededRng(1);
    const first = createService(store, rng, spec('web'));
    const second = createService(store, rng, spec('web'));
    flush();
    const outcomes = await Promise.allSettled([first, second]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe('service web already exists');
    expect(store.view().list('services').map((s) => s.spec.annotations.name)).toEqual(['web']);
  });

  it('refuses a rename onto a name created meanwhile, and allows swapping names in one transaction', async () => {
    const { store, flush } = batchingStore();
    const rng = seededRng(2);
    const a = createService(store, rng, spec('a'));
    const b = createService(store, rng, spec('b'));
    flush();
    const [sa, sb] = await Promise.all([a, b]);
    const created = createService(store, rng, spec('c'));
    const renamed = updateService(store, sb.id, 0, spec('c'));
    flush();
    const outcomes = await Promise.allSettled([created, renamed]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);

    const swapped = store.update((tx) => {
      const x = tx.get('services', sa.id)!;
      const y = tx.get('services', sb.id)!;
      tx.update('services', { ...x, spec: spec('b') });
      tx.update('services', { ...y, spec: spec('a') });
    });
    flush();
    await swapped;
    expect(store.view().get('services', sa.id)!.spec.annotations.name).toBe('b');
    expect(store.view().byIndex('services', 'name', 'a').map((s) => s.id)).toEqual([sb.id]);
  });
});
