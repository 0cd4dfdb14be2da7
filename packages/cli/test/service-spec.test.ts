import { describe, expect, it } from 'vitest';
import { DEFAULT_RESTART_POLICY, DEFAULT_STOP_GRACE_PERIOD_MS } from '@shoal/common';
import { applyServiceUpdate, buildServiceSpec } from '../src/service/build-spec.js';

describe('buildServiceSpec', () => {
  it('fills in Swarm defaults', () => {
    const spec = buildServiceSpec({ name: 'web' }, 'busybox:1', []);
    expect(spec.mode).toEqual({ kind: 'replicated', replicas: 1 });
    expect(spec.task.restartPolicy).toEqual(DEFAULT_RESTART_POLICY);
    expect(spec.task.container.stopGracePeriodMs).toBe(DEFAULT_STOP_GRACE_PERIOD_MS);
    expect(spec.task.container.command).toBeUndefined();
    expect(spec.task.forceUpdate).toBe(0);
    expect(spec.endpoint.ports).toEqual([]);
  });

  it('maps every flag', () => {
    const spec = buildServiceSpec(
      {
        name: 'web', replicas: '3', publish: ['8080:80'], constraint: ['node.role==worker'], env: ['A=1'], label: ['tier=front'],
        containerLabel: ['c=d'], restartCondition: 'on-failure', restartDelay: '2s', restartMaxAttempts: '4', limitCpu: '0.5',
        limitMemory: '256m', reserveMemory: '64m', mount: ['type=tmpfs,target=/tmp'], workdir: '/srv', user: 'nobody',
        hostname: 'h', stopGracePeriod: '30s',
      },
      'busybox:1',
      ['httpd', '-f', '-p', '80'],
    );
    expect(spec.mode).toEqual({ kind: 'replicated', replicas: 3 });
    expect(spec.annotations).toEqual({ name: 'web', labels: { tier: 'front' } });
    expect(spec.task.container).toMatchObject({ command: ['httpd', '-f', '-p', '80'], env: ['A=1'], labels: { c: 'd' }, dir: '/srv', user: 'nobody', hostname: 'h', stopGracePeriodMs: 30_000 });
    expect(spec.task.restartPolicy).toEqual({ condition: 'on-failure', delayMs: 2000, maxAttempts: 4, windowMs: 0 });
    expect(spec.task.resources).toEqual({ limits: { nanoCpus: 5e8, memoryBytes: 256 * 1024 ** 2 }, reservations: { nanoCpus: 0, memoryBytes: 64 * 1024 ** 2 } });
    expect(spec.task.placement.constraints).toEqual(['node.role==worker']);
    expect(spec.endpoint.ports).toEqual([{ protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' }]);
  });

  it('makes global services and refuses replicas with them', () => {
    expect(buildServiceSpec({ name: 'agent', mode: 'global' }, 'busybox', []).mode).toEqual({ kind: 'global' });
    expect(() => buildServiceSpec({ name: 'agent', mode: 'global', replicas: '2' }, 'busybox', [])).toThrow(/replicated mode/);
    expect(() => buildServiceSpec({ name: 'x', restartCondition: 'always' }, 'busybox', [])).toThrow(/restart condition/);
    expect(() => buildServiceSpec({}, 'busybox', [])).toThrow(/--name/);
  });
});

describe('applyServiceUpdate', () => {
  const base = buildServiceSpec({ name: 'web', env: ['A=1', 'B=2'], publish: ['8080:80'] }, 'busybox:1', []);

  it('changes only what the flags say, on a copy', () => {
    const next = applyServiceUpdate(base, { image: 'busybox:2', replicas: '4', envAdd: ['A=9', 'C=3'], envRm: ['B'], force: true, publishRm: ['80'], publishAdd: ['9090:90'] });
    expect(next.task.container.image).toBe('busybox:2');
    expect(next.mode).toEqual({ kind: 'replicated', replicas: 4 });
    expect(next.task.container.env).toEqual(['A=9', 'C=3']);
    expect(next.task.forceUpdate).toBe(1);
    expect(next.endpoint.ports.map((p) => p.targetPort)).toEqual([90]);
    expect(base.task.container.env).toEqual(['A=1', 'B=2']);
    expect(base.task.forceUpdate).toBe(0);
  });

  it('refuses replicas on a global service', () => {
    const global = buildServiceSpec({ name: 'agent', mode: 'global' }, 'busybox', []);
    expect(() => applyServiceUpdate(global, { replicas: '2' })).toThrow(/replicated mode/);
  });
});
