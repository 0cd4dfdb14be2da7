import fc from 'fast-check';
import { addressOf, type Network, type Task } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/control/networks.js';
import { createService, removeService, updateService } from '../../src/control/services.js';
import { hostRange, parseAddress, parseCidr } from '../../src/allocator/ipv4.js';
import { makeNode } from '../scheduler/fixtures.js';
import { leaderLoops, serviceSpec, networkSpec } from './fixtures.js';

type Op =
  | { kind: 'create'; name: number; nets: readonly boolean[]; replicas: number; dnsrr: boolean }
  | { kind: 'scale'; name: number; replicas: number }
  | { kind: 'remove'; name: number }
  | { kind: 'report'; which: number; state: 'running' | 'failed' | 'shutdown' }
  | { kind: 'wait' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), name: fc.integer({ min: 0, max: 3 }), nets: fc.constantFrom([true, false], [false, true], [true, true]), replicas: fc.integer({ min: 2, max: 12 }), dnsrr: fc.boolean() }),
  fc.record({ kind: fc.constant('scale' as const), name: fc.integer({ min: 0, max: 3 }), replicas: fc.integer({ min: 0, max: 14 }) }),
  fc.record({ kind: fc.constant('remove' as const), name: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('report' as const), which: fc.nat(), state: fc.constantFrom('running' as const, 'failed' as const, 'shutdown' as const) }),
  fc.record({ kind: fc.constant('wait' as const) }),
);

/** The rule, written out again: a task holds its addresses until it stops, or until it is not meant to run if it never reached a node. */
const holds = (x: Task) =>
  (x.networks ?? []).length > 0 && !['complete', 'shutdown', 'failed', 'rejected', 'remove'].includes(x.status.state) && (x.desiredState === 'running' || !['new', 'pending'].includes(x.status.state));
export const seen = { full: 0 };

/** Every address held on a network (live tasks' and VIPs'), each exactly once, inside the subnet, never the gateway. */
function checkNetwork(t: ReturnType<typeof leaderLoops>, network: Network): void {
  const view = t.store.view();
  const held = [
    ...view.list('tasks').filter(holds).flatMap((x) => x.networks!.filter((n) => n.networkId === network.id).map((n) => addressOf(n.address))),
    ...view.list('services').flatMap((s) => (s.endpoint?.virtualIps ?? []).filter((v) => v.networkId === network.id).map((v) => addressOf(v.address))),
  ];
  expect(new Set(held).size).toBe(held.length);
  const cidr = parseCidr(network.allocation!.subnet)!;
  const { first, last } = hostRange(cidr);
  for (const a of held) {
    const n = parseAddress(a)!;
    expect(n >= first && n <= last && a !== network.allocation!.gateway).toBe(true);
  }
  // Freed addresses are reused: a task waits for an address only while its network is full.
  const capacity = last - first;
  const waiting = view.list('tasks').filter((x) => x.status.state === 'new' && x.desiredState === 'running' && x.status.err === `no free address on network ${network.spec.annotations.name}`);
  if (waiting.length > 0) {
    expect(held.length).toBe(capacity);
    seen.full++;
  }
}

describe('allocation through control and the leader loops', () => {
  it('never hands an address out twice, and reuses every address freed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), async (ops) => {
        const t = leaderLoops();
        await t.store.update((tx) => {
          for (const id of ['a', 'b']) {
            const { meta: _m, ...node } = makeNode(id);
            tx.create('nodes', node);
          }
        });
        t.start();
        // Small subnets (/28: 13 addresses besides the gateway) so that they fill up.
        const nets = [await createNetwork(t.store, t.rng, networkSpec('n0', { subnet: '10.60.0.0/28' })), await createNetwork(t.store, t.rng, networkSpec('n1', { subnet: '10.60.1.0/28' }))];
        const names = (o: { nets: readonly boolean[] }) => nets.filter((_, i) => o.nets[i]).map((n) => n.spec.annotations.name);
        for (const o of ops) {
          const service = () => t.store.view().byIndex('services', 'name', `s${'name' in o ? o.name : 0}`)[0];
          const ignore = () => undefined;
          if (o.kind === 'create' && !service()) await createService(t.store, t.rng, serviceSpec(`s${o.name}`, names(o), { replicas: o.replicas, mode: o.dnsrr ? 'dnsrr' : 'vip' })).catch(ignore);
          if (o.kind === 'scale' && service()) {
            const s = service()!;
            await updateService(t.store, s.id, 0, { ...s.spec, mode: { kind: 'replicated', replicas: o.replicas } }).catch(ignore);
          }
          if (o.kind === 'remove' && service()) await removeService(t.store, service()!.id);
          if (o.kind === 'report') {
            const onNodes = t.store.view().list('tasks').filter((x) => x.nodeId !== '' && x.status.state !== 'new' && x.status.state !== 'failed' && x.status.state !== 'shutdown');
            const victim = onNodes[o.which % Math.max(1, onNodes.length)];
            if (victim) await t.report(victim, o.state);
          }
          if (o.kind === 'wait') t.clock.advance(6_000);
          await t.settle();
          for (const n of nets) checkNetwork(t, n);
        }
      }),
      { numRuns: 100 },
    );
    // The runs did fill networks up (else the reuse half of the property was never tried).
    expect(seen.full).toBeGreaterThan(0);
  }, 120_000);
});
