import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { DockerController } from '../../src/executor/docker/io/docker-controller.js';
import { makeTask } from '../helpers/make-task.js';

/** An Engine API double: records every call; `images` and `containers` are what exists. */
function fakeEngine(o: { images?: string[]; containers?: string[] } = {}) {
  const calls: string[] = [];
  const images = new Set(o.images ?? []);
  const containers = new Set(o.containers ?? []);
  const fail = (statusCode: number, message: string) => Object.assign(new Error(message), { statusCode, json: { message } });
  const engine = {
    createContainer: async (body: { name: string; Image: string }) => {
      calls.push(`create ${body.name}`);
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
    modem: { followProgress: (_s: unknown, done: (err: Error | null, events: unknown[]) => void) => done(null, []) },
  };
  return { engine: engine as unknown as Docker, calls };
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
