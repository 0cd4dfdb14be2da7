import { addressOf, seededRng } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { createNetwork, filterNetworks, removeNetwork } from '../../src/control/networks.js';
import { createService, removeService, updateService } from '../../src/control/services.js';
import { VXLAN_ID_BASE } from '../../src/allocator/vxlan-ids.js';
import { localStore } from '../scheduler/fixtures.js';
import { networkSpec, serviceSpec } from './fixtures.js';

const errorOf = async (p: Promise<unknown>) => (await p.then(() => undefined, (e: Error) => e))?.message;

describe('network control calls', () => {
  it('creates networks with distinct subnets and VXLAN IDs, refuses duplicates and clashes', async () => {
    const { store } = localStore();
    const rng = seededRng(1);
    const a = await createNetwork(store, rng, networkSpec('web_front'));
    const b = await createNetwork(store, rng, { annotations: { name: 'web_back' }, ipam: [{ subnet: '10.20.0.0/16' }] });
    expect(a.allocation).toEqual({ subnet: '10.0.0.0/24', gateway: '10.0.0.1', vxlanId: VXLAN_ID_BASE });
    expect(b.allocation).toEqual({ subnet: '10.20.0.0/16', gateway: '10.20.0.1', vxlanId: VXLAN_ID_BASE + 1 });
    expect(b.spec).toMatchObject({ driver: 'overlay', attachable: false, internal: false, driverOpts: {} });
    expect(await errorOf(createNetwork(store, rng, networkSpec('web_front')))).toBe('network web_front already exists');
    expect(await errorOf(createNetwork(store, rng, networkSpec('x', { subnet: '10.20.0.0/24' })))).toBe('subnet 10.20.0.0/24 overlaps network web_back (10.20.0.0/16)');
    expect(await errorOf(createNetwork(store, rng, { ...networkSpec('x'), driver: 'bridge' }))).toBe('network driver "bridge" is not supported: only overlay networks can be created');
    expect(await errorOf(createNetwork(store, rng, { ...networkSpec('x'), driverOpts: { 'com.docker.network.driver.mtu': '40' } }))).toContain('a number from 68 to 65535');
    expect(await errorOf(createNetwork(store, rng, { ...networkSpec('x'), ipam: [{ subnet: '10.30.0.0/24' }, { subnet: '10.31.0.0/24' }] }))).toContain('at most one IPAM config');
    expect(await errorOf(createNetwork(store, rng, networkSpec('host')))).toBe('network name host is reserved by Docker');
    expect(await errorOf(createNetwork(store, rng, networkSpec('-bad')))).toContain('invalid name "-bad"');
    expect(filterNetworks(store.view().list('networks'), { name: 'back' }).map((n) => n.spec.annotations.name)).toEqual(['web_back']);
    expect(filterNetworks(store.view().list('networks'), { id: a.id.slice(0, 4) }).map((n) => n.id)).toEqual([a.id]);
  });

  it('gives services a VIP per network, keeps it across updates, frees those of networks left', async () => {
    const { store } = localStore();
    const rng = seededRng(2);
    const front = await createNetwork(store, rng, networkSpec('front'));
    const back = await createNetwork(store, rng, networkSpec('back'));
    const web = await createService(store, rng, serviceSpec('web', ['front', back.id]));
    expect(web.spec.task.networks.map((n) => n.target)).toEqual(['front', 'back']);
    const vips = web.endpoint!.virtualIps;
    expect(vips.map((v) => v.networkId)).toEqual([front.id, back.id]);
    expect(vips.map((v) => v.address)).toEqual(['10.0.0.2/24', '10.0.1.2/24']);
    const api = await createService(store, rng, serviceSpec('api', ['back']));
    expect(api.endpoint!.virtualIps.map((v) => addressOf(v.address))).toEqual(['10.0.1.3']);

    const moved = await updateService(store, web.id, 0, serviceSpec('web', ['back'], { replicas: 2 }));
    expect(moved.endpoint!.virtualIps).toEqual([vips[1]]);
    expect(store.view().count('services', 'vip', `${front.id}|10.0.0.2`)).toBe(0);
    const dnsrr = await updateService(store, api.id, 0, serviceSpec('api', ['back'], { mode: 'dnsrr' }));
    expect(dnsrr.endpoint).toBeUndefined();

    expect(await errorOf(createService(store, rng, serviceSpec('x', ['nowhere'])))).toBe('network nowhere not found');
    expect(await errorOf(removeNetwork(store, 'back'))).toBe('network back is in use by service web');
    await removeService(store, 'web');
    await removeService(store, 'api');
    await removeNetwork(store, 'back');
    expect(store.view().list('networks').map((n) => n.spec.annotations.name)).toEqual(['front']);
    expect(store.view().indexKeys('services', 'vip')).toEqual([]);
  });

  it("refuses dnsrr with ingress ports, as Docker", async () => {
    const { store } = localStore();
    const spec = serviceSpec('web', [], { mode: 'dnsrr' });
    spec.endpoint.ports = [{ protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' }];
    expect(await errorOf(createService(store, seededRng(3), spec))).toBe("port published with ingress mode can't be used with dnsrr mode");
  });

  it('keeps targets an existing service had that name no network (clusters from before)', async () => {
    const { store } = localStore();
    const rng = seededRng(4);
    await store.update((tx) => tx.create('services', { id: 'old', spec: serviceSpec('old', ['stack_default']) }));
    const updated = await updateService(store, 'old', 0, serviceSpec('old', ['stack_default'], { replicas: 3 }));
    expect(updated.spec.task.networks.map((n) => n.target)).toEqual(['stack_default']);
    expect(updated.endpoint).toBeUndefined();
    expect(await errorOf(updateService(store, 'old', 0, serviceSpec('old', ['stack_default', 'other'])))).toBe('network other not found');
    void rng;
  });
});
