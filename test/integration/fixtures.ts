import { DEFAULT_RESTART_POLICY, emptyPlacement, emptyResources, type PortConfig, type RestartPolicy, type ServiceSpec } from '@shoal/common';

/** A logger that says nothing, for managers and agents under test. */
export const quiet = { info() {}, warn() {}, debug() {}, error() {} };

export interface SpecOptions {
  name?: string;
  replicas?: number;
  image?: string;
  labels?: Record<string, string>;
  ports?: PortConfig[];
  restartPolicy?: RestartPolicy;
}

/** A replicated service spec as the CLI would send it, with what a test needs changed. */
export function serviceSpec(o: SpecOptions = {}): ServiceSpec {
  return {
    annotations: { name: o.name ?? 'web', labels: o.labels ?? {} },
    mode: { kind: 'replicated', replicas: o.replicas ?? 1 },
    endpoint: { ports: o.ports ?? [] },
    task: {
      container: { image: o.image ?? 'hello:1', env: [], labels: {}, stopGracePeriodMs: 1000, mounts: [] },
      resources: emptyResources(),
      restartPolicy: o.restartPolicy ?? DEFAULT_RESTART_POLICY,
      placement: emptyPlacement(),
      networks: [],
      forceUpdate: 0,
    },
  };
}

/** An ingress port published on every node. */
export const ingressPort = (publishedPort: number, targetPort = 80): PortConfig => ({ protocol: 'tcp', targetPort, publishedPort, publishMode: 'ingress' });

/** Polls `probe` every 25 ms until it returns a value; fails naming `what` after `timeoutMs`. */
export async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
