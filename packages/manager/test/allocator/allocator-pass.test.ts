import { addressOf, type Task } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/control/networks.js';
import { createService, removeService, updateService } from '../../src/control/services.js';
import { tasksForNode } from '../../src/dispatcher/assignments.js';
import { isWaitingForNode } from '../../src/scheduler/scheduler.js';
import { makeNode, makeTask } from '../scheduler/fixtures.js';
import { leaderLoops, networkSpec, serviceSpec } from './fixtures.js';

const strip = <T extends { meta: unknown }>(o: T): Omit<T, 'meta'> => {
  const { meta: _m, ...rest } = o;
  return rest;
};
const addresses = (tasks: Task[], networkId: string) => tasks.flatMap((t) => (t.networks ?? []).filter((n) => n.networkId === networkId).map((n) => addressOf(n.address)));

describe('the allocation pass', () => {
  it('gives NEW tasks an address on each network, then the scheduler places them', async () => {
    const t = leaderLoops();
    await t.store.update((tx) => {
      tx.create('nodes', strip(makeNode('a')));
      tx.create('nodes', strip(makeNode('b')));
    });
    t.start();
    const front = await createNetwork(t.store, t.rng, networkSpec('front'));
    const back = await createNetwork(t.store, t.rng, networkSpec('back'));
    const web = await createService(t.store, t.rng, serviceSpec('web', ['front', 'back'], { replicas: 3 }));
    const agent = await createService(t.store, t.rng, serviceSpec('agent', ['back'], { global: true }));
    await t.settle();
    const tasks = t.store.view().list('tasks');
    expect(tasks.map((x) => x.status.state).sort()).toEqual(['assigned', 'assigned', 'assigned', 'assigned', 'assigned']);
    const webTasks = tasks.filter((x) => x.serviceId === web.id);
    for (const task of webTasks) {
      expect(task.networks!.map((n) => n.name)).toEqual(['front', 'back']);
      expect(task.networks![0]).toMatchObject({ networkId: front.id, aliases: ['web'], allocation: front.allocation, internal: false, attachable: false, driverOpts: {} });
    }
    // Subnets are 10.0.1.0/24 and 10.0.2.0/24 (10.0.0.0/24 holds the nodes' address); .1 is the gateway, VIPs come first.
    expect(web.endpoint!.virtualIps.map((v) => v.address)).toEqual(['10.0.1.2/24', '10.0.2.2/24']);
    const onBack = [...addresses(tasks, back.id), ...[web, agent].map((s) => addressOf(s.endpoint!.virtualIps.find((v) => v.networkId === back.id)!.address))];
    expect(new Set(onBack).size).toBe(onBack.length);
    expect(onBack).toHaveLength(7);
    expect(tasks.filter((x) => x.serviceId === agent.id).map((x) => x.nodeId).sort()).toEqual(['a', 'b']);
  });

  it('leaves tasks on no overlay network as before, with no NEW step', async () => {
    const t = leaderLoops();
    await t.store.update((tx) => tx.create('nodes', strip(makeNode('a'))));
    t.start();
    await createService(t.store, t.rng, serviceSpec('plain', []));
    await t.store.update((tx) => tx.create('services', { id: 'legacy', spec: serviceSpec('legacy', ['stack_default']) }));
    await t.settle();
    const tasks = t.store.view().list('tasks');
    expect(tasks.map((x) => [x.serviceAnnotations.name, x.status.state, x.networks]).sort()).toEqual([
      ['legacy', 'assigned', undefined],
      ['plain', 'assigned', undefined],
    ]);
  });

  it('keeps a task NEW with the reason when its network is full, and allocates it once an address frees', async () => {
    const t = leaderLoops();
    await t.store.update((tx) => tx.create('nodes', strip(makeNode('a'))));
    t.start();
    // A /29: hosts .1-.6, .1 the gateway, one VIP: four tasks fit.
    const tiny = await createNetwork(t.store, t.rng, networkSpec('tiny', { subnet: '10.50.0.0/29' }));
    const web = await createService(t.store, t.rng, serviceSpec('web', ['tiny'], { replicas: 5 }));
    await t.settle();
    const waiting = () => t.store.view().list('tasks').filter((x) => x.status.state === 'new');
    expect(waiting().map((x) => x.status.err)).toEqual(['no free address on network tiny']);
    expect(addresses(t.store.view().list('tasks'), tiny.id).sort()).toEqual(['10.50.0.3', '10.50.0.4', '10.50.0.5', '10.50.0.6']);

    // One task fails: its address is freed, the waiting task gets it; the orchestrator's replacement waits in turn.
    const victim = t.store.view().list('tasks').find((x) => x.status.state === 'assigned')!;
    const freed = addressOf(victim.networks![0]!.address);
    await t.report(victim, 'failed');
    await t.settle();
    const live = t.store.view().list('tasks').filter((x) => x.desiredState === 'running' && x.status.state !== 'failed');
    expect(live.filter((x) => x.status.state === 'assigned').flatMap((x) => x.networks!.map((n) => addressOf(n.address)))).toContain(freed);
    // After the restart delay the failed task's replacement is created, and waits for an address.
    expect(waiting()).toHaveLength(0);
    t.clock.advance(6_000);
    await t.settle();
    expect(waiting().map((x) => x.status.err)).toEqual(['no free address on network tiny']);

    // Scaling down: the tasks told to stop keep their addresses until their worker says they stopped.
    await updateService(t.store, web.id, 0, serviceSpec('web', ['tiny'], { replicas: 2 }));
    await t.settle();
    const stopping = t.store.view().list('tasks').filter((x) => x.desiredState === 'shutdown' && x.status.state === 'assigned');
    expect(stopping.length).toBeGreaterThan(0);
    for (const task of stopping) await t.report(task, 'shutdown');
    await t.settle();
    expect(waiting().filter((x) => x.desiredState === 'running')).toHaveLength(0);
    const held = t.store.view().indexKeys('tasks', 'address');
    expect(held).toHaveLength(t.store.view().list('tasks').filter((x) => x.desiredState === 'running').length);
    await removeService(t.store, web.id);
    await t.settle();
  });

  it('NEW tasks are neither placed by the scheduler nor sent to a node', () => {
    const replicated = makeTask('r', { state: 'new', nodeId: '' });
    const global = makeTask('g', { state: 'new', nodeId: 'a' });
    expect(isWaitingForNode(replicated)).toBe(false);
    expect(tasksForNode([global], 'a')).toEqual([]);
  });
});
