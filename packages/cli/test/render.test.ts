import { describe, expect, it } from 'vitest';
import { renderTable } from '../src/render/table.js';
import { renderListing } from '../src/render/listing.js';
import { nodeListing, sortNodes } from '../src/render/nodes.js';
import { formatPorts, replicasCell, serviceListing, serviceRows, stackListing, stackRows } from '../src/render/services.js';
import { errorCell, imageCell, taskListing, taskRows } from '../src/render/tasks.js';
import { renderInspect, prettyNode, prettyService } from '../src/render/inspect.js';
import { errorLine } from '../src/render/error-line.js';
import { node, service, spec, task, T0 } from './fixtures.js';

describe('renderTable', () => {
  it('pads every column but the last to its widest cell plus 3, at least 10', () => {
    const lines = renderTable(['ID', 'NAME', 'X'], [['abc', 'a-much-longer-name', 'last cell'], ['d', 'e', '']]);
    expect(lines).toEqual(['ID        NAME                 X', 'abc       a-much-longer-name   last cell', 'd         e']);
  });

  it('counts characters, not bytes', () => {
    const lines = renderTable(['A', 'B'], [['…………………………………', 'x']]);
    expect(lines[1]).toBe('…………………………………   x');
  });
});

describe('renderListing', () => {
  const rows = [{ id: 'one', n: 1 }];
  const listing = { columns: [{ header: 'ID', key: 'ID', value: (r: (typeof rows)[0]) => r.id }, { header: 'N', key: 'Count', value: (r: (typeof rows)[0]) => String(r.n) }], id: (r: (typeof rows)[0]) => r.id };

  it('prints IDs only with -q', () => {
    expect(renderListing(rows, listing, { quiet: true })).toEqual(['one']);
  });

  it('prints one JSON object per line with sorted Docker keys', () => {
    expect(renderListing(rows, listing, { format: 'json' })).toEqual(['{"Count":"1","ID":"one"}']);
  });

  it('rejects Go templates', () => {
    expect(() => renderListing(rows, listing, { format: '{{.ID}}' })).toThrow(/unsupported --format/);
  });
});

describe('node ls', () => {
  const leader = node('aaaa', 'm1', { managerStatus: { leader: true, reachability: 'reachable', addr: '10.0.0.1:4242' }, spec: { annotations: { name: '', labels: {} }, role: 'manager', availability: 'active' } });
  const worker = node('bbbb', 'w1', { status: { state: 'down', message: '', addr: '' }, spec: { annotations: { name: '', labels: {} }, role: 'worker', availability: 'drain' } });

  it('marks the current node with * and capitalises states', () => {
    const lines = renderListing(sortNodes([worker, leader]), nodeListing('aaaa'), {});
    expect(lines).toEqual([
      'ID        HOSTNAME   STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION',
      'aaaa *    m1         Ready     Active         Leader           20.10.24',
      'bbbb      w1         Down      Drain                           20.10.24',
    ]);
  });

  it('carries Self in JSON instead of the star', () => {
    const [line] = renderListing([leader], nodeListing('aaaa'), { format: 'json' });
    expect(JSON.parse(line!)).toEqual({ Availability: 'Active', EngineVersion: '20.10.24', Hostname: 'm1', ID: 'aaaa', ManagerStatus: 'Leader', Self: true, Status: 'Ready' });
  });
});

describe('service ls', () => {
  const web = service('svc000000000web', spec('web', { mode: { kind: 'replicated', replicas: 3 }, endpoint: { ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' }, { protocol: 'udp', targetPort: 53, publishedPort: 53, publishMode: 'host' }] } }));
  const agent = service('svc00000000agent', spec('agent', { mode: { kind: 'global' } }));
  const tasks = [
    task('t1', web, { slot: 1 }),
    task('t2', web, { slot: 2, state: 'pending' }),
    task('t3', web, { slot: 3, state: 'running', desired: 'shutdown' }),
    task('g1', agent, { slot: 0, nodeId: 'n1' }),
    task('g2', agent, { slot: 0, nodeId: 'n2', state: 'starting' }),
  ];

  it('counts running tasks against replicas, or against the tasks meant to run for global', () => {
    expect(replicasCell(web, tasks)).toBe('1/3');
    expect(replicasCell(agent, tasks)).toBe('1/2');
  });

  it('renders the table sorted by name with ingress ports only', () => {
    expect(renderListing(serviceRows([web, agent], tasks), serviceListing, {})).toEqual([
      'ID             NAME      MODE         REPLICAS   IMAGE       PORTS',
      'svc00000000a   agent     global       1/2        busybox:1',
      'svc000000000   web       replicated   1/3        busybox:1   *:8080->80/tcp',
    ]);
  });

  it('uses Docker keys in JSON', () => {
    const [line] = renderListing(serviceRows([web], tasks), serviceListing, { format: 'json' });
    expect(JSON.parse(line!)).toEqual({ ID: 'svc000000000', Image: 'busybox:1', Mode: 'replicated', Name: 'web', Ports: '*:8080->80/tcp', Replicas: '1/3' });
  });

  it('prints full IDs with -q', () => {
    expect(renderListing(serviceRows([web], tasks), serviceListing, { quiet: true })).toEqual(['svc000000000web']);
  });

  it('formats several ports', () => {
    expect(formatPorts([{ protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' }, { protocol: 'udp', targetPort: 53, publishedPort: 5353, publishMode: 'ingress' }])).toBe('*:8080->80/tcp, *:5353->53/udp');
  });
});

describe('stack ls', () => {
  it('counts services per stack label', () => {
    const services = [service('a', spec('b_web', {}, 'b')), service('b', spec('a_db', {}, 'a')), service('c', spec('a_web', {}, 'a')), service('d', spec('loose'))];
    expect(stackRows(services)).toEqual([{ name: 'a', services: 2 }, { name: 'b', services: 1 }]);
    expect(renderListing(stackRows(services), stackListing, {})).toEqual(['NAME      SERVICES', 'a         2', 'b         1']);
    expect(renderListing(stackRows(services), stackListing, { format: 'json' })[0]).toBe('{"Name":"a","Services":"2"}');
  });
});

describe('service ps', () => {
  const web = service('websvc', spec('web', { mode: { kind: 'replicated', replicas: 2 } }));
  const hosts = new Map([['node1', 'host-one']]);
  const tasks = [
    task('task2aaaaaaaaaaaaaaaaaaaa', web, { slot: 2, state: 'pending', nodeId: '', at: T0 - 3000, createdAt: T0 - 3000, err: 'no suitable node (scheduling constraints not satisfied on 1 node)' }),
    task('task1oldaaaaaaaaaaaaaaaaa', web, { slot: 1, state: 'failed', desired: 'shutdown', at: T0 - 60_000, createdAt: T0 - 120_000, err: 'task: non-zero exit (1)' }),
    task('task1newaaaaaaaaaaaaaaaaa', web, { slot: 1, state: 'running', at: T0 - 5000, createdAt: T0 - 50_000 }),
  ];

  it('lists the newest task of each slot first and its history below with \\_', () => {
    const rows = taskRows(tasks, hosts);
    expect(rows.map((r) => r.name)).toEqual(['web.1', ' \\_ web.1', 'web.2']);
    expect(rows.map((r) => r.node)).toEqual(['host-one', 'host-one', '']);
  });

  it('renders states with relative times and quoted, truncated errors', () => {
    const lines = renderListing(taskRows(tasks, hosts), taskListing(T0, false), {});
    expect(lines).toEqual([
      'ID             NAME        IMAGE       NODE       DESIRED STATE   CURRENT STATE               ERROR                              PORTS',
      'task1newaaaa   web.1       busybox:1   host-one   Running         Running 5 seconds ago',
      'task1oldaaaa    \\_ web.1   busybox:1   host-one   Shutdown        Failed About a minute ago   "task: non-zero exit (1)"',
      'task2aaaaaaa   web.2       busybox:1              Running         Pending 3 seconds ago       "no suitable node (scheduling …"',
    ]);
  });

  it('keeps IDs and errors whole with --no-trunc', () => {
    const [line] = renderListing(taskRows(tasks.slice(0, 1), hosts, true), taskListing(T0, true), { format: 'json' });
    expect(JSON.parse(line!)).toMatchObject({ ID: 'task2aaaaaaaaaaaaaaaaaaaa', Error: '"no suitable node (scheduling constraints not satisfied on 1 node)"', CurrentState: 'Pending 3 seconds ago', DesiredState: 'Running' });
  });

  it('names global tasks after their node', () => {
    const agent = service('agentsvc', spec('agent', { mode: { kind: 'global' } }));
    const rows = taskRows([task('g', agent, { slot: 0, nodeId: 'nodeidnodeidnodeid' })], hosts);
    expect(rows[0]!.name).toBe('agent.nodeidnodeid');
  });

  it('cuts errors at 30 characters and digests from images', () => {
    expect(errorCell('x'.repeat(30), false)).toBe(`"${'x'.repeat(30)}"`);
    expect(errorCell('x'.repeat(31), false)).toBe(`"${'x'.repeat(29)}…"`);
    expect(errorCell(undefined, false)).toBe('');
    expect(imageCell('busybox:1@sha256:abcdef0123', false)).toBe('busybox:1');
    expect(imageCell('busybox:1@sha256:abcdef0123', true)).toBe('busybox:1@sha256:abcdef0123');
  });
});

describe('inspect', () => {
  it('prints a JSON array indented by four spaces', () => {
    expect(renderInspect([{ a: 1 }])).toBe('[\n    {\n        "a": 1\n    }\n]');
  });

  it('pretty-prints nodes and services', () => {
    const lines = prettyNode(node('n1', 'host-one'));
    expect(lines).toContain('Hostname:   host-one');
    expect(lines).toContain(' Memory:  2GiB');
    expect(lines).toContain('Status:');
    expect(lines.some((l) => l.startsWith('Ingress'))).toBe(false);
    const s = prettyService(service('s1', spec('web', { mode: { kind: 'replicated', replicas: 3 } })));
    expect(s).toContain('Service Mode:  Replicated');
    expect(s).toContain(' Replicas:  3');
    expect(s).toContain(' Image:              busybox:1');
    expect(s).toContain(' Delay:         5s');
  });
});

describe('node inspect --pretty: the routing mesh', () => {
  it('shows the backend, whether the client address is kept, the node\'s ingress address and the message', () => {
    const n = node('n1', 'host-one');
    const meshed = { ...n, ingress: { networkId: 'I', address: '10.0.0.3/24' }, description: { ...n.description, ingress: { backend: 'nftables' as const, clientAddress: 'preserved' as const, message: '' } } };
    const lines = prettyNode(meshed);
    const at = lines.indexOf('Ingress:  backend nftables, client address preserved');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe(' Address:  10.0.0.3/24');
    expect(lines[at + 2]).toBe('Engine Version:  20.10.24');
    const snat = prettyNode({ ...meshed, description: { ...meshed.description, ingress: { backend: 'iptables', clientAddress: 'snat', message: 'ipvs unavailable, using iptables' } } });
    expect(snat).toContain('Ingress:  backend iptables, client address snat');
    expect(snat).toContain(' Message:  ipvs unavailable, using iptables');
    expect(prettyNode({ ...n, ingress: meshed.ingress })).toContain('Ingress:  not reported by the node');
  });
});

describe('errorLine', () => {
  it('prints one line and trims gRPC connection noise', () => {
    const e = new Error('cannot reach shoald at unix:///run/shoal/shoal.sock (is shoald running?): No connection established. Last error: Error: connect ENOENT /run/shoal/shoal.sock. Resolution note: ');
    expect(errorLine(e)).toBe('Error: cannot reach shoald at unix:///run/shoal/shoal.sock (is shoald running?): connect ENOENT /run/shoal/shoal.sock');
    expect(errorLine(new Error('service web not found'))).toBe('Error: service web not found');
    expect(errorLine('two\nlines')).toBe('Error: two lines');
  });
});
