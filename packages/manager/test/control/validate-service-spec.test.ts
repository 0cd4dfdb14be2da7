import { describe, expect, it } from 'vitest';
import { DEFAULT_RESTART_POLICY, emptyPlacement, emptyResources, type ServiceSpec } from '@shoal/common';
import { checkIngressPortsFree, validateServiceSpec } from '../../src/control/validate-service-spec.js';

function spec(over: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    annotations: { name: 'web', labels: {} },
    mode: { kind: 'replicated', replicas: 3 },
    endpoint: { ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' }] },
    task: {
      container: { image: 'hello', env: [], labels: {}, stopGracePeriodMs: 10_000, mounts: [] },
      resources: emptyResources(),
      restartPolicy: DEFAULT_RESTART_POLICY,
      placement: emptyPlacement(),
      networks: [],
      forceUpdate: 0,
    },
    ...over,
  };
}

describe('validateServiceSpec', () => {
  it('accepts a complete spec', () => {
    expect(() => validateServiceSpec(spec())).not.toThrow();
  });

  it('names the missing field of a malformed spec instead of crashing', () => {
    expect(() => validateServiceSpec({} as ServiceSpec)).toThrow('malformed service spec: annotations must be an object');
    const noImage = spec();
    (noImage.task.container as { image?: unknown }).image = 42;
    expect(() => validateServiceSpec(noImage)).toThrow('malformed service spec: task.container.image must be a string');
  });

  it('refuses bad names, negative replicas and bad ports with Docker-like messages', () => {
    expect(() => validateServiceSpec(spec({ annotations: { name: '-bad', labels: {} } }))).toThrow(/invalid name "-bad"/);
    expect(() => validateServiceSpec(spec({ mode: { kind: 'replicated', replicas: -1 } }))).toThrow(/replicas must be a non-negative integer/);
    const badPort = spec({ endpoint: { ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 70000, publishMode: 'ingress' }] } });
    expect(() => validateServiceSpec(badPort)).toThrow(/invalid published port 70000/);
  });

  it('refuses an ingress port another service publishes', () => {
    const other = { id: 'abc', meta: { version: 1, createdAt: '', updatedAt: '' }, spec: spec({ annotations: { name: 'api', labels: {} } }) };
    expect(() => checkIngressPortsFree(spec(), [other])).toThrow("port '8080' is already in use by service 'api' (abc) as an ingress port");
  });
});
