import { describe, expect, it } from 'vitest';
import { DYNAMIC_PORT_FIRST, ERROR_CODES, type PortConfig } from '@shoal/common';
import { ingressNetworkSpec } from '../../src/bootstrap.js';
import { createNetwork } from '../../src/control/networks.js';
import { createService, updateService } from '../../src/control/services.js';
import { assignPublishedPorts } from '../../src/control/published-ports.js';
import { batchingStore, leaderLoops, serviceSpec } from '../allocator/fixtures.js';

const port = (publishedPort: number, targetPort = 80, protocol: 'tcp' | 'udp' = 'tcp'): PortConfig => ({ protocol, targetPort, publishedPort, publishMode: 'ingress' });
const publishing = (name: string, ports: PortConfig[]) => {
  const spec = serviceSpec(name, []);
  return { ...spec, endpoint: { ...spec.endpoint, ports } };
};
const publishedOf = (spec: { endpoint: { ports: PortConfig[] } }) => spec.endpoint.ports.map((p) => `${p.publishedPort}/${p.protocol}`);

describe('assignPublishedPorts (Docker: -p 80 publishes a port from 30000-32767)', () => {
  it('gives each unnumbered ingress port the lowest free one, per protocol, and leaves numbered and host ports alone', () => {
    const spec = publishing('web', [port(0), port(0, 81), port(0, 53, 'udp'), port(8080, 82), { ...port(0, 83), publishMode: 'host' }]);
    const out = assignPublishedPorts(spec, new Set([`${DYNAMIC_PORT_FIRST}/tcp`]));
    expect(publishedOf(out)).toEqual(['30001/tcp', '30002/tcp', '30000/udp', '8080/tcp', '0/tcp']);
  });

  it('keeps the port an update had for the same target and protocol', () => {
    const before = publishing('web', [port(30005), port(30006, 81)]);
    const out = assignPublishedPorts(publishing('web', [port(0, 81), port(0)]), new Set(), before);
    expect(publishedOf(out)).toEqual(['30006/tcp', '30005/tcp']);
  });

  it('says so when the range is used up', () => {
    const all = new Set(Array.from({ length: 2_768 }, (_, i) => `${DYNAMIC_PORT_FIRST + i}/tcp`));
    expect(() => assignPublishedPorts(publishing('web', [port(0)]), all)).toThrow('service web: no free ingress port left in 30000-32767');
  });
});

describe('published ports through control and the store', () => {
  it('numbers `-p 80` at create, keeps the number across updates, and refuses a port another service has', async () => {
    const t = leaderLoops();
    t.start();
    await createNetwork(t.store, t.rng, ingressNetworkSpec());
    const a = await createService(t.store, t.rng, publishing('a', [port(0)]));
    const b = await createService(t.store, t.rng, publishing('b', [port(0)]));
    expect(publishedOf(a.spec)).toEqual(['30000/tcp']);
    expect(publishedOf(b.spec)).toEqual(['30001/tcp']);
    const updated = await updateService(t.store, a.id, 0, publishing('a', [port(0), port(9090, 90)]));
    expect(publishedOf(updated.spec)).toEqual(['30000/tcp', '9090/tcp']);
    await expect(createService(t.store, t.rng, publishing('c', [port(30001)]))).rejects.toThrow(`port '30001' is already in use by service 'b' (${b.id}) as an ingress port`);
  });

  it('refuses, at apply time, a port another service took on the same view', async () => {
    const { store, flush } = batchingStore();
    const first = store.update((tx) => tx.create('services', { id: 'S1', spec: publishing('one', [port(8080)]) }));
    const second = store.update((tx) => tx.create('services', { id: 'S2', spec: publishing('two', [port(8080)]) }));
    flush();
    await first;
    await expect(second).rejects.toMatchObject({ code: ERROR_CODES.CONFLICT, message: "port '8080' is already in use by service 'one' (S1) as an ingress port" });
  });
});
