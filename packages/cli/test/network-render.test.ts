import { describe, expect, it } from 'vitest';
import type { Service, Task } from '@shoal/common';
import { inspectService, prettyService } from '../src/render/inspect.js';
import { renderListing } from '../src/render/listing.js';
import { filterNetworks, inspectNetwork, networkListing, sortNetworks } from '../src/render/networks.js';
import { taskListing, taskRows } from '../src/render/tasks.js';
import { network, networkSpec, node, service, spec, task, T0 } from './fixtures.js';

const back = network('b1c2d3e4f5a6b7c8d9e0', networkSpec('st_back', { annotations: { name: 'st_back', labels: { 'com.docker.stack.namespace': 'st' } }, internal: true }), 2);
const front = network('f00000000000000000001', networkSpec('front', { driverOpts: { encrypted: '' } }), 3);

describe('network ls', () => {
  it('lists by name with Docker\'s columns; -q and --no-trunc as Docker', () => {
    const rows = sortNetworks([back, front]);
    expect(renderListing(rows, networkListing(false), {})).toEqual([
      'NETWORK ID     NAME      DRIVER    SCOPE',
      'f00000000000   front     overlay   swarm',
      'b1c2d3e4f5a6   st_back   overlay   swarm',
    ]);
    expect(renderListing(rows, networkListing(false), { quiet: true })).toEqual(['f00000000000', 'b1c2d3e4f5a6']);
    expect(renderListing(rows, networkListing(true), { quiet: true })).toEqual([front.id, back.id]);
  });

  it('prints Docker\'s JSON keys with --format json', () => {
    expect(renderListing([back], networkListing(false), { format: 'json' })).toEqual([
      `{"CreatedAt":"${back.meta.createdAt}","Driver":"overlay","ID":"b1c2d3e4f5a6","IPv6":"false","Internal":"true","Labels":"com.docker.stack.namespace=st","Name":"st_back","Scope":"swarm"}`,
    ]);
  });

  it('filters as Docker: name substring, id prefix, label, driver, scope, type; unknown keys refused', () => {
    const names = (f: Record<string, string>) => filterNetworks([back, front], f).map((n) => n.spec.annotations.name);
    expect(names({ name: 'back' })).toEqual(['st_back']);
    expect(names({ name: 'ack,ron' })).toEqual(['st_back', 'front']);
    expect(names({ id: 'f0' })).toEqual(['front']);
    expect(names({ label: 'com.docker.stack.namespace=st' })).toEqual(['st_back']);
    expect(names({ label: 'com.docker.stack.namespace' })).toEqual(['st_back']);
    expect(names({ driver: 'bridge' })).toEqual([]);
    expect(names({ scope: 'swarm', type: 'custom', driver: 'overlay' })).toEqual(['st_back', 'front']);
    expect(names({ type: 'builtin' })).toEqual([]);
    expect(() => names({ dangling: 'true' })).toThrow("invalid filter 'dangling'");
  });
});

function attachedTask(id: string, svc: Service, nodeId: string, address: string, over: Partial<Task['status']> = {}): Task {
  const t = task(id, svc, { nodeId, slot: Number(id.slice(1)) });
  t.status = { ...t.status, ...over };
  t.networks = [{ networkId: back.id, name: 'st_back', address, aliases: [], allocation: back.allocation!, internal: true, attachable: false, driverOpts: {} }];
  return t;
}

describe('network inspect', () => {
  const onBack = (s: ReturnType<typeof spec>) => ({ ...s, task: { ...s.task, networks: [{ target: 'st_back', aliases: ['db'] }] } });
  const db: Service = { ...service('svc-db', onBack(spec('st_db'))), endpoint: { virtualIps: [{ networkId: back.id, address: '10.0.2.2/24' }] } };
  const other = service('svc-other', spec('lonely'));

  it('shows Docker\'s fields, the allocation, the services with their VIPs and the attached tasks per node', () => {
    const tasks = [
      attachedTask('t2', db, 'n2', '10.0.2.4/24', { health: 'healthy' }),
      attachedTask('t1', db, 'n1', '10.0.2.3/24'),
      { ...attachedTask('t3', db, 'n1', '10.0.2.5/24'), desiredState: 'shutdown' as const },
    ];
    const out = inspectNetwork(back, [db, other], tasks, [node('n1', 'h1'), node('n2', 'h2')]);
    expect(out).toEqual({
      Name: 'st_back',
      Id: back.id,
      Created: new Date(T0).toISOString(),
      Scope: 'swarm',
      Driver: 'overlay',
      EnableIPv6: false,
      IPAM: { Driver: 'default', Options: null, Config: [{ Subnet: '10.0.2.0/24', Gateway: '10.0.2.1' }] },
      Internal: true,
      Attachable: false,
      Ingress: false,
      Options: { 'com.docker.network.driver.overlay.vxlanid_list': String(0x400002) },
      Labels: { 'com.docker.stack.namespace': 'st' },
      Allocation: { Subnet: '10.0.2.0/24', Gateway: '10.0.2.1', VXLANID: 0x400002 },
      Services: [{ ID: 'svc-db', Name: 'st_db', EndpointMode: 'vip', VIP: '10.0.2.2' }],
      Nodes: [
        { ID: 'n1', Hostname: 'h1', Tasks: [{ Name: 'st_db.1', ID: 't1', ServiceID: 'svc-db', Address: '10.0.2.3/24', State: 'running' }] },
        { ID: 'n2', Hostname: 'h2', Tasks: [{ Name: 'st_db.2', ID: 't2', ServiceID: 'svc-db', Address: '10.0.2.4/24', State: 'running', Health: 'healthy' }] },
      ],
    });
  });

  it('shows the ingress network as Docker (Ingress: true), the services that publish through it and every node\'s own address', () => {
    const mesh = network('i0000000000000000001', networkSpec('ingress', { ingress: true }), 0);
    const web: Service = { ...service('svc-web', { ...spec('web'), endpoint: { ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' }] } }) };
    const hostOnly = service('svc-h', { ...spec('h'), endpoint: { ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 9090, publishMode: 'host' }] } });
    const n1 = { ...node('n1', 'h1'), ingress: { networkId: mesh.id, address: '10.0.0.2/24' } };
    const n2 = node('n2', 'h2');
    const out = inspectNetwork(mesh, [web, hostOnly], [], [n2, n1]);
    expect(out).toMatchObject({ Name: 'ingress', Ingress: true, Attachable: false, Services: [{ ID: 'svc-web', Name: 'web', EndpointMode: 'vip' }] });
    expect(out.Peers).toEqual([{ ID: 'n1', Hostname: 'h1', Address: '10.0.0.2/24', NodeAddr: n1.status.addr }]);
    expect(inspectNetwork(front, [], [], [n1])).not.toHaveProperty('Peers');
    expect(renderListing([mesh], networkListing(false), {})).toEqual(['NETWORK ID     NAME      DRIVER    SCOPE', 'i00000000000   ingress   overlay   swarm']);
  });

  it('keeps the user\'s driver options beside the VXLAN ID', () => {
    expect(inspectNetwork(front, [], [], []).Options).toEqual({ 'com.docker.network.driver.overlay.vxlanid_list': String(0x400003), encrypted: '' });
  });
});

describe('health and VIPs in service listings', () => {
  const svc = service('svc1', spec('web'));

  it('service ps shows the healthcheck\'s verdict after the current state', () => {
    const now = T0 + 5_000;
    const cells = (health?: 'starting' | 'healthy' | 'unhealthy') => {
      const t = task('t1', svc);
      if (health) t.status.health = health;
      const listing = taskListing(now, false);
      return listing.columns.find((c) => c.key === 'CurrentState')!.value(taskRows([t], new Map())[0]!);
    };
    expect(cells()).toBe('Running 5 seconds ago');
    expect(cells('healthy')).toBe('Running 5 seconds ago (healthy)');
    expect(cells('starting')).toBe('Running 5 seconds ago (starting)');
    expect(cells('unhealthy')).toBe('Running 5 seconds ago (unhealthy)');
  });

  it('service inspect shows Endpoint.VirtualIPs as Docker, and the mode in --pretty', () => {
    const withVip: Service = { ...svc, endpoint: { virtualIps: [{ networkId: 'net1', address: '10.0.1.2/24' }] } };
    expect(inspectService(withVip).Endpoint).toEqual({ Spec: { Mode: 'vip' }, Ports: [], VirtualIPs: [{ NetworkID: 'net1', Addr: '10.0.1.2/24' }] });
    expect(inspectService(svc).Endpoint).toEqual({ Spec: { Mode: 'vip' }, Ports: [], VirtualIPs: [] });
    expect(prettyService(withVip)).toEqual(expect.arrayContaining(['Endpoint Mode:  vip', 'Virtual IPs:', ' 10.0.1.2/24 (network net1)']));
  });
});
