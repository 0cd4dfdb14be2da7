import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { TaskNetworkAttachment } from '@shoal/common';
import type { OverlayAttacher } from '../../src/executor/docker/overlay-attacher.js';
import { DockerController } from '../../src/executor/docker/io/docker-controller.js';
import { makeTask } from '../helpers/make-task.js';

/** An Engine API double: records every call; `images` and `containers` are what exists. */
function fakeEngine(o: { images?: string[]; containers?: string[] } = {}) {
  const calls: string[] = [];
  const images = new Set(o.images ?? []);
  const containers = new Set(o.containers ?? []);
  const fail = (statusCode: number, message: string) => Object.assign(new Error(message), { statusCode, json: { message } });
  const bodies: unknown[] = [];
  const engine = {
    createContainer: async (body: { name: string; Image: string }) => {
      calls.push(`create ${body.name}`);
      bodies.push(body);
      if (!images.has(body.Image)) throw fail(404, `No such image: ${body.Image}`);
      if (containers.has(body.name)) throw fail(409, `Conflict. The container name "/${body.name}" is already in use`);
      containers.add(body.name);
      return { id: `id-${body.name}` };
    },
    getContainer: (ref: string) => ({
      inspect: async () => {
        calls.push(`inspect ${ref}`);
        if (!containers.has(ref)) throw fail(404, `No such container: ${ref}`);
        return { Id: `id-${ref}`, State: { Running: false, Status: 'created' }, NetworkSettings: { Networks: {} } };
      },
      start: async () => void calls.push(`start ${ref}`),
    }),
    getImage: (ref: string) => ({
      inspect: async () => {
        calls.push(`image inspect ${ref}`);
        if (!images.has(ref)) throw fail(404, `No such image: ${ref}`);
        return {};
      },
    }),
    pull: async (ref: string) => {
      calls.push(`pull ${ref}`);
      images.add(ref);
      return {};
    },
    getNetwork: (ref: string) => ({
      connect: async (o: unknown) => void calls.push(`connect ${ref} ${JSON.stringify(o)}`),
    }),
    modem: { followProgress: (_s: unknown, done: (err: Error | null, events: unknown[]) => void) => done(null, []) },
  };
  return { engine: engine as unknown as Docker, calls, bodies };
}

describe('DockerController.prepare', () => {
  const task = makeTask('t1', { image: 'shoal/busybox:latest' });

  it('creates a new task container with one Engine call when the image is local', async () => {
    const { engine, calls } = fakeEngine({ images: ['shoal/busybox:latest'] });
    const ctl = new DockerController(engine, task);
    await ctl.prepare();
    expect(calls).toEqual(['create web.1.t1']);
    expect(ctl.containerId).toBe('id-web.1.t1');
  });

  it('pulls a missing image, then creates', async () => {
    const { engine, calls } = fakeEngine();
    await new DockerController(engine, task).prepare();
    expect(calls).toEqual(['create web.1.t1', 'image inspect shoal/busybox:latest', 'pull shoal/busybox:latest', 'create web.1.t1']);
  });

  it('adopts the container an earlier agent created for the task', async () => {
    const { engine, calls } = fakeEngine({ images: ['shoal/busybox:latest'], containers: ['web.1.t1'] });
    const ctl = new DockerController(engine, task);
    await ctl.prepare();
    expect(calls).toEqual(['create web.1.t1', 'inspect web.1.t1']);
    expect(ctl.containerId).toBe('id-web.1.t1');
  });
});

describe('DockerController.prepare on overlay networks', () => {
  const att = (n: number): TaskNetworkAttachment => ({
    networkId: `net${n}`,
    name: `vote_net${n}`,
    address: `10.0.${n}.7/24`,
    aliases: [`a${n}`],
    allocation: { subnet: `10.0.${n}.0/24`, gateway: `10.0.${n}.1`, vxlanId: 4194304 + n },
    internal: false,
    attachable: false,
    driverOpts: {},
  });
  const task = { ...makeTask('t1', { image: 'shoal/busybox:latest' }), networks: [att(1), att(2)] };

  function recorder(calls: string[]): OverlayAttacher {
    return {
      ensure: async (a) => void calls.push(`ensure ${a.name}`),
      release: (id) => void calls.push(`release ${id}`),
      resolvConf: async (a) => `/data/resolv/${a.allocation.gateway}.conf`,
    };
  }

  it('builds every network first, creates on the first with address, MAC and resolv.conf, connects the others, then releases', async () => {
    const { engine, calls, bodies } = fakeEngine({ images: ['shoal/busybox:latest'] });
    await new DockerController(engine, task, recorder(calls)).prepare();
    expect(calls).toEqual([
      'ensure vote_net1',
      'ensure vote_net2',
      'create web.1.t1',
      'connect vote_net2 {"Container":"id-web.1.t1","EndpointConfig":{"Aliases":["a2"],"IPAMConfig":{"IPv4Address":"10.0.2.7"},"MacAddress":"02:42:0a:00:02:07"}}',
      'release net1',
      'release net2',
    ]);
    expect(bodies[0]).toMatchObject({
      MacAddress: '02:42:0a:00:01:07',
      HostConfig: { NetworkMode: 'vote_net1', Mounts: [{ Type: 'bind', Source: '/data/resolv/10.0.1.1.conf', Target: '/etc/resolv.conf', ReadOnly: true }] },
      NetworkingConfig: { EndpointsConfig: { vote_net1: { Aliases: ['a1'], IPAMConfig: { IPv4Address: '10.0.1.7' }, MacAddress: '02:42:0a:00:01:07' } } },
    });
  });

  it('refuses a task on overlay networks where no data path runs, and releases what it held when Docker fails', async () => {
    const { engine } = fakeEngine({ images: ['shoal/busybox:latest'] });
    await expect(new DockerController(engine, task).prepare()).rejects.toThrow('task t1 is on overlay networks but this node runs no overlay data path');
    const calls: string[] = [];
    const broken = fakeEngine({ images: [] });
    (broken.engine as unknown as { pull: () => Promise<never> }).pull = async () => Promise.reject(new Error('no registry'));
    await expect(new DockerController(broken.engine, task, recorder(calls)).prepare()).rejects.toThrow(/No such image/);
    expect(calls.slice(-2)).toEqual(['release net1', 'release net2']);
  });
});

describe('DockerController.start and the overlay afterStart hook (the mesh reply path)', () => {
  const att: TaskNetworkAttachment = {
    networkId: 'ing',
    name: 'ingress',
    address: '10.0.0.7/24',
    aliases: [],
    allocation: { subnet: '10.0.0.0/24', gateway: '10.0.0.1', vxlanId: 4097 },
    internal: false,
    attachable: false,
    driverOpts: {},
  };
  const task = { ...makeTask('t1', { image: 'shoal/busybox:latest' }), networks: [att] };
  const attacher = (calls: string[], fail?: string): OverlayAttacher => ({
    ensure: async () => {},
    release: () => {},
    resolvConf: async () => '/r.conf',
    afterStart: async (id, t) => {
      calls.push(`afterStart ${id} ${t.id}`);
      if (fail) throw new Error(fail);
    },
  });

  it('runs the hook with the container id right after the start, before start() resolves', async () => {
    const { engine, calls } = fakeEngine({ images: ['shoal/busybox:latest'] });
    const ctl = new DockerController(engine, task, attacher(calls));
    await ctl.prepare();
    await ctl.start();
    expect(calls).toEqual(['create web.1.t1', 'start id-web.1.t1', 'afterStart id-web.1.t1 t1']);
  });

  it('fails the start with the hook\'s one line when it fails', async () => {
    const { engine, calls } = fakeEngine({ images: ['shoal/busybox:latest'] });
    const ctl = new DockerController(engine, task, attacher(calls, 'could not program the routing mesh\'s reply path in container x: boom'));
    await ctl.prepare();
    await expect(ctl.start()).rejects.toThrow("could not program the routing mesh's reply path in container x: boom");
  });

  it('does not run it for a task on no overlay network', async () => {
    const { engine, calls } = fakeEngine({ images: ['shoal/busybox:latest'] });
    const ctl = new DockerController(engine, makeTask('t2', { image: 'shoal/busybox:latest' }), attacher(calls));
    await ctl.prepare();
    await ctl.start();
    expect(calls).toEqual(['create web.1.t2', 'start id-web.1.t2']);
  });
});
