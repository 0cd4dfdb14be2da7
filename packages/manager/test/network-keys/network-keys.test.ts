import type { Network, NetworkKey } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { NetworkKeyRotator } from '../../src/network-keys/key-rotator.js';
import { DEFAULT_KEY_POLICY, planNetworkKeys, type KeyPolicy } from '../../src/network-keys/plan-keys.js';
import { localStore, manualSchedule } from '../scheduler/fixtures.js';

const HOUR = 3600_000;
const policy: KeyPolicy = DEFAULT_KEY_POLICY;

/** Distinct, recognisable "random" bytes: the n-th call fills 32 bytes with n. */
function counterBytes() {
  let n = 0;
  return (len: number) => new Uint8Array(len).fill(++n);
}

function network(id: string, driverOpts: Record<string, string>, keys?: NetworkKey[]): Network {
  return {
    id,
    meta: { version: 1, createdAt: '', updatedAt: '' },
    spec: { annotations: { name: id, labels: {} }, driver: 'overlay', attachable: false, internal: false, ingress: false, driverOpts, ipam: [] },
    allocation: { subnet: '10.0.1.0/24', gateway: '10.0.1.1', vxlanId: 4097 },
    ...(keys ? { keys } : {}),
  };
}

describe('planNetworkKeys', () => {
  it('gives a new encrypted network its first key, usable at once; plain networks get none', () => {
    const plan = planNetworkKeys([network('a', { encrypted: '' }), network('b', {})], 1_000, policy, counterBytes());
    expect(plan.updates).toHaveLength(1);
    const [key] = plan.updates[0]!.keys!;
    expect(key).toMatchObject({ id: 1, createdAt: 1_000, sendFrom: 1_000 });
    expect(Buffer.from(key!.keyB64, 'base64')).toEqual(Buffer.alloc(32, 1));
    expect(plan.wakeAt).toBe(1_000 + 12 * HOUR);
  });

  it('rotates every 12 h: the new key is staged, the previous stays valid for another period', () => {
    const random = counterBytes();
    let keys = planNetworkKeys([network('a', { encrypted: '' })], 0, policy, random).updates[0]!.keys!;
    expect(planNetworkKeys([network('a', { encrypted: '' }, keys)], 12 * HOUR - 1, policy, random).updates).toEqual([]);
    keys = planNetworkKeys([network('a', { encrypted: '' }, keys)], 12 * HOUR, policy, random).updates[0]!.keys!;
    expect(keys.map((k) => k.id)).toEqual([1, 2]);
    expect(keys[1]).toMatchObject({ createdAt: 12 * HOUR, sendFrom: 12 * HOUR + 30_000 });
    expect(keys[0]!.notAfter).toBeGreaterThan(24 * HOUR); // the old key outlives the next period's start
    // 36 h later: key 1 expired, keys 2 and 3 (and 4 after another period) are kept, never more than maxKeys.
    for (const t of [24, 36, 48]) keys = planNetworkKeys([network('a', { encrypted: '' }, keys)], t * HOUR, policy, random).updates[0]!.keys!;
    expect(keys.map((k) => k.id)).toEqual([3, 4, 5]);
    expect(keys.every((k) => k.notAfter > 48 * HOUR)).toBe(true);
    expect(new Set(keys.map((k) => k.keyB64)).size).toBe(3);
  });

  it('removes the keys of a network that is no longer encrypted', () => {
    const keys = planNetworkKeys([network('a', { encrypted: '' })], 0, policy, counterBytes()).updates[0]!.keys!;
    expect(planNetworkKeys([network('a', {}, keys)], 1, policy, counterBytes()).updates).toEqual([{ networkId: 'a', keys: undefined }]);
  });

  it('after a long outage (every key expired) starts again with a key usable at once', () => {
    const keys = planNetworkKeys([network('a', { encrypted: '' })], 0, policy, counterBytes()).updates[0]!.keys!;
    const later = planNetworkKeys([network('a', { encrypted: '' }, keys)], 100 * HOUR, policy, counterBytes()).updates[0]!.keys!;
    expect(later).toHaveLength(1);
    expect(later[0]).toMatchObject({ id: 2, sendFrom: 100 * HOUR });
  });
});

describe('NetworkKeyRotator (in-memory store, injected clock)', () => {
  it('keys a new encrypted network, then rotates when the clock reaches the next period', async () => {
    const { store, clock } = localStore(0);
    const timers = manualSchedule();
    const rotator = new NetworkKeyRotator({ store, clock, randomBytes: counterBytes(), schedule: (ms, fn) => timers.delayed(ms, fn, clock.now()) });
    rotator.start();
    await store.update((tx) => tx.create('networks', network('net1', { encrypted: '' })));
    const settle = async () => {
      for (let i = 0; i < 5; i++) {
        timers.runDue(clock.now());
        await new Promise((r) => setImmediate(r));
      }
    };
    await settle();
    expect(store.view().get('networks', 'net1')!.keys!.map((k) => k.id)).toEqual([1]);
    clock.advance(12 * HOUR - 1);
    await settle();
    expect(store.view().get('networks', 'net1')!.keys!.map((k) => k.id)).toEqual([1]);
    clock.advance(1);
    await settle();
    expect(store.view().get('networks', 'net1')!.keys!.map((k) => k.id)).toEqual([1, 2]);
    rotator.stop();
    expect(timers.queue.filter((e) => !e.cancelled)).toEqual([]);
  });
});
