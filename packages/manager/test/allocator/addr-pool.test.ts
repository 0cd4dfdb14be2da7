import { seededRng } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { bootstrapCluster } from '../../src/bootstrap.js';
import { createNetwork } from '../../src/control/networks.js';
import { localStore } from '../scheduler/fixtures.js';
import { networkSpec } from './fixtures.js';

describe('swarm init --default-addr-pool / --default-addr-pool-mask-len', () => {
  it('stores the pool in the cluster spec, and networks are cut from it, skipping the node address', async () => {
    const { store } = localStore();
    await bootstrapCluster(store, { clusterId: 'c1', nodeId: 'n1', hostname: 'h1', addr: '10.99.0.2:4242', defaultAddrPool: ['10.99.0.0/16', '10.200.0.0/16'], subnetSize: 26 });
    expect(store.view().list('clusters')[0]!.spec).toMatchObject({ defaultAddrPool: ['10.99.0.0/16', '10.200.0.0/16'], subnetSize: 26 });
    const rng = seededRng(1);
    const a = await createNetwork(store, rng, networkSpec('a'));
    const b = await createNetwork(store, rng, networkSpec('b'));
    // 10.99.0.0/26 holds the manager's address (10.99.0.2): skipped.
    expect([a.allocation!.subnet, b.allocation!.subnet]).toEqual(['10.99.0.64/26', '10.99.0.128/26']);
  });

  it('keeps Docker defaults when none are given', async () => {
    const { store } = localStore();
    await bootstrapCluster(store, { clusterId: 'c1', nodeId: 'n1', hostname: 'h1', addr: '10.99.0.2' });
    expect(store.view().list('clusters')[0]!.spec.defaultAddrPool).toBeUndefined();
    expect((await createNetwork(store, seededRng(2), networkSpec('a'))).allocation!.subnet).toBe('10.0.0.0/24');
  });
});
