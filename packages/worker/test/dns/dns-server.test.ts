import dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkTable } from '@shoal/common';
import { DnsServer } from '../../src/dns/io/dns-server.js';
import { addressesIn, fakeUpstream, query, tcpAsk, udpAsk, type FakeUpstream } from './dns-client.js';
import { endpoint, network, service } from './fixtures.js';

/**
 * The server on loopback: the network's "gateway" is 127.0.3.1 (all of 127/8 is local), callers
 * bind their task's address 127.0.3.x, and the port is a high one, so no root is needed.
 */
const PORT = 20_000 + Math.floor(Math.random() * 20_000);
const UPSTREAM_PORT = PORT + 1;
const GW = { host: '127.0.3.1', port: PORT };
const TASK = '127.0.3.10';

function loopbackTable(): NetworkTable {
  const net = { ...network('net-a', 'app_default', 3, [], []), allocation: { subnet: '127.0.3.0/24', gateway: '127.0.3.1', vxlanId: 4097 } };
  const many = Array.from({ length: 100 }, (_, i) => endpoint(`t-many${i}`, 'svc-many', `127.0.3.${100 + i}`));
  net.services = [service('svc-redis', 'app_redis', { aliases: ['redis'], vip: '127.0.3.3' }), service('svc-many', 'app_many', { aliases: ['many'], endpointMode: 'dnsrr' })];
  net.endpoints = [endpoint('t-web', 'svc-web', TASK), endpoint('t-redis1', 'svc-redis', '127.0.3.11'), endpoint('t-redis2', 'svc-redis', '127.0.3.12'), ...many];
  return { networks: [net] };
}

const warnings: string[] = [];
const debugs: string[] = [];
const log = { info: () => {}, debug: (_o: object, msg?: string) => void debugs.push(msg ?? ''), warn: (_o: object, msg?: string) => void warnings.push(msg ?? '') };
let upstream: FakeUpstream;
let server: DnsServer;

beforeAll(async () => {
  upstream = await fakeUpstream('127.0.0.1', UPSTREAM_PORT);
});
afterAll(async () => {
  await upstream.close();
});
afterEach(async () => {
  await server?.close();
  warnings.length = 0;
  debugs.length = 0;
});

async function started(o: Partial<ConstructorParameters<typeof DnsServer>[0]> = {}): Promise<DnsServer> {
  server = new DnsServer({ log, port: PORT, upstreams: [`127.0.0.1:${UPSTREAM_PORT}`], forwardTimeoutMs: 300, ...o });
  await server.apply(loopbackTable());
  expect(await server.whenListening('127.0.3.1', 2000)).toBe(true);
  expect(server.boundAddresses()).toEqual(['127.0.3.1']);
  return server;
}

describe('DnsServer on loopback', () => {
  it('answers a service name over UDP with its VIP (authoritative, TTL 0, the query ID)', async () => {
    await started();
    const r = await udpAsk(query('Redis', 'A', 77), GW, TASK);
    expect(r?.packet.id).toBe(77);
    expect(r?.packet.rcode).toBe('NOERROR');
    expect(r?.packet.flag_aa).toBe(true);
    expect(r?.packet.answers).toEqual([expect.objectContaining({ name: 'Redis', type: 'A', ttl: 0, data: '127.0.3.3' })]);
  });

  it('answers tasks.NAME over TCP', async () => {
    await started();
    expect(addressesIn(await tcpAsk(query('tasks.redis'), GW, TASK))).toEqual(['127.0.3.11', '127.0.3.12']);
  });

  it("answers no one outside the network's subnet (no open resolver): UDP dropped, TCP REFUSED", async () => {
    await started();
    expect(await udpAsk(query('outside.example'), GW, '127.0.0.1', 300)).toBeUndefined();
    expect((await tcpAsk(query('redis'), GW, '127.0.4.10'))?.rcode).toBe('REFUSED');
  });

  it('answers an unknown single label NXDOMAIN without asking the upstream', async () => {
    await started();
    const before = upstream.queries.length;
    const r = await udpAsk(query('nosuch'), GW, TASK);
    expect(r?.packet.rcode).toBe('NXDOMAIN');
    expect(upstream.queries.length).toBe(before);
  });

  it('forwards other names to the upstream and returns its answer with the client ID', async () => {
    await started();
    const r = await udpAsk(query('outside.example', 'A', 999), GW, TASK);
    expect(r?.packet.id).toBe(999);
    expect(addressesIn(r?.packet)).toEqual(['192.0.2.7']);
    expect(upstream.queries.at(-1)).toEqual({ name: 'outside.example', transport: 'udp' });
  });

  it('retries over TCP when the upstream truncates; a UDP client gets TC to come back over TCP', async () => {
    await started();
    const viaTcp = await tcpAsk(query('big.example'), GW, TASK);
    expect(addressesIn(viaTcp)).toHaveLength(60);
    expect(upstream.queries.slice(-2)).toEqual([{ name: 'big.example', transport: 'udp' }, { name: 'big.example', transport: 'tcp' }]);
    const viaUdp = await udpAsk(query('big.example'), GW, TASK);
    expect(viaUdp?.packet.flag_tc).toBe(true);
    expect(viaUdp!.bytes).toBeLessThanOrEqual(512);
  });

  it('answers SERVFAIL and logs one clear line when no upstream answers', async () => {
    await started();
    const r = await udpAsk(query('slow.example'), GW, TASK, 2000);
    expect(r?.packet.rcode).toBe('SERVFAIL');
    expect(warnings.some((w) => w.includes('no upstream DNS server answered (tried 127.0.0.1:'))).toBe(true);
  });

  it("reads upstreams from the host's resolv.conf when no --dns is given; none: SERVFAIL and a clear line", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shoal-dns-'));
    writeFileSync(join(dir, 'resolv.conf'), '# nothing\nsearch example.com\n');
    await started({ upstreams: [], resolvConfPath: join(dir, 'resolv.conf') });
    expect((await udpAsk(query('outside.example'), GW, TASK))?.packet.rcode).toBe('SERVFAIL');
    expect(warnings).toEqual([`DNS: no upstream DNS server configured (--dns) or found in ${join(dir, 'resolv.conf')}; answered SERVFAIL`]);
    rmSync(dir, { recursive: true });
  });

  it('answers SERVFAIL at once beyond the forwards in flight', async () => {
    await started({ maxForwardsInFlight: 1 });
    const slow = udpAsk(query('slow.example'), GW, TASK, 2000);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    const second = await udpAsk(query('outside.example'), GW, '127.0.3.11');
    expect(second?.packet.rcode).toBe('SERVFAIL');
    expect(Date.now() - t0).toBeLessThan(200);
    expect((await slow)?.packet.rcode).toBe('SERVFAIL');
  });

  it('cuts a large answer to what fits in 512 bytes with TC over UDP (more with EDNS), whole over TCP', async () => {
    await started();
    const udp = await udpAsk(query('many'), GW, TASK);
    expect(udp?.packet.flag_tc).toBe(true);
    expect(udp!.bytes).toBeLessThanOrEqual(512);
    expect(addressesIn(udp?.packet).length).toBeGreaterThan(20);
    const edns = await udpAsk(query('many', 'A', 1, { udpPayloadSize: 1232 }), GW, TASK);
    expect(edns!.bytes).toBeGreaterThan(512);
    expect(edns!.bytes).toBeLessThanOrEqual(1232);
    expect(edns?.packet.additionals).toEqual([expect.objectContaining({ type: 'OPT', udpPayloadSize: 1232 })]);
    expect(udp?.packet.additionals).toEqual([]);
    expect(addressesIn(await tcpAsk(query('many'), GW, TASK))).toHaveLength(100);
  });

  it('limits queries per second per source: UDP beyond is dropped, TCP is REFUSED', async () => {
    await started({ rateLimits: { perSecond: 1, burst: 2, maxSources: 16 } });
    expect((await udpAsk(query('redis'), GW, TASK))?.packet.rcode).toBe('NOERROR');
    expect((await udpAsk(query('redis'), GW, TASK))?.packet.rcode).toBe('NOERROR');
    expect(await udpAsk(query('redis'), GW, TASK, 300)).toBeUndefined();
    expect((await tcpAsk(query('redis'), GW, TASK))?.rcode).toBe('REFUSED');
    // Another source has its own bucket.
    expect((await udpAsk(query('redis'), GW, '127.0.3.11'))?.packet.rcode).toBe('NOERROR');
  });

  it('swaps tables: a stopped task leaves the answer at once; a network that goes closes its port', async () => {
    await started();
    const table = loopbackTable();
    table.networks[0]!.endpoints = table.networks[0]!.endpoints.map((e) => (e.taskId === 't-redis2' ? { ...e, serving: false } : e));
    await server.apply(table);
    expect(addressesIn(await tcpAsk(query('tasks.redis'), GW, TASK))).toEqual(['127.0.3.11']);
    await server.apply({ networks: [] });
    expect(server.boundAddresses()).toEqual([]);
    expect(await udpAsk(query('redis'), GW, TASK, 200)).toBeUndefined();
  });

  it('keeps trying to bind a gateway that is not (yet) a local address, and says so once', async () => {
    server = new DnsServer({ log, port: PORT, upstreams: ['127.0.0.1'], bindRetryMs: 20 });
    const table = loopbackTable();
    table.networks[0]!.allocation = { ...table.networks[0]!.allocation, gateway: '192.0.2.1' };
    await server.apply(table);
    expect(await server.whenListening('192.0.2.1', 100)).toBe(false);
    expect(server.boundAddresses()).toEqual([]);
    expect(debugs.filter((w) => w.includes('waits for the network bridge'))).toHaveLength(1);
    expect(warnings).toEqual([]);
    expect(await server.whenListening('192.0.2.99', 10)).toBe(false);
  });

  it('warns when the port is taken, and binds once it is free', async () => {
    const squatter = dgram.createSocket('udp4');
    await new Promise<void>((r) => squatter.bind({ address: '127.0.3.1', port: PORT }, () => r()));
    server = new DnsServer({ log, port: PORT, upstreams: ['127.0.0.1'], bindRetryMs: 20 });
    await server.apply(loopbackTable());
    expect(await server.whenListening('127.0.3.1', 100)).toBe(false);
    expect(warnings).toEqual(['DNS server cannot bind; retrying']);
    await new Promise<void>((r) => squatter.close(() => r()));
    expect(await server.whenListening('127.0.3.1', 1000)).toBe(true);
    expect((await udpAsk(query('redis'), GW, TASK))?.packet.answers).toHaveLength(1);
  });

  it('refuses an upstream that is not an address', () => {
    expect(() => new DnsServer({ log, upstreams: ['dns.example'] })).toThrow('invalid DNS server address "dns.example"');
  });
});
