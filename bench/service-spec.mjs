import { DEFAULT_RESTART_POLICY, emptyPlacement, emptyResources } from '../packages/common/dist/index.js';

/** A replicated service spec for benchmarks (the image is never pulled: fake runtime or 0 replicas). */
export function benchServiceSpec(name, replicas, ports = []) {
  return {
    annotations: { name, labels: {} },
    mode: { kind: 'replicated', replicas },
    endpoint: { ports },
    task: {
      container: { image: 'bench:1', env: [], labels: {}, stopGracePeriodMs: 1000, mounts: [] },
      resources: emptyResources(),
      restartPolicy: DEFAULT_RESTART_POLICY,
      placement: emptyPlacement(),
      networks: [],
      forceUpdate: 0,
    },
  };
}
