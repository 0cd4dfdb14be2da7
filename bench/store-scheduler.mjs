// The scheduler loop over an in-memory store (no Raft): NODES ready nodes, TASKS pending tasks of
// SERVICES services; runs batches until every task is placed. Measures, never asserts.
//   TASKS=20000 NODES=1000 node bench/store-scheduler.mjs
//   STORE_DIST=<other build>/packages/manager/dist node bench/store-scheduler.mjs
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { DEFAULT_RESTART_POLICY, emptyPlacement, emptyResources, seededRng } from '../packages/common/dist/index.js';

const env = (name, fallback) => Number(process.env[name] ?? fallback);
const TASKS = env('TASKS', 20_000);
const NODES = env('NODES', 1_000);
const SERVICES = env('SERVICES', 100);
const dist = resolve(process.env.STORE_DIST ?? new URL('../packages/manager/dist', import.meta.url).pathname);
const load = (file) => import(pathToFileURL(`${dist}/${file}`).href);
const { MemoryStore } = await load('index.js');
const { Scheduler } = await load('scheduler/scheduler.js');

const store = new MemoryStore();
let index = 0;
store.setProposer({
  propose: async (actions) => store.applyEntry({ index: ++index, time: Date.now(), transactions: [actions] })[0],
  close: async () => {},
});
const spec = { container: { image: 'busybox:1', env: [], labels: {}, stopGracePeriodMs: 10_000, mounts: [] }, resources: emptyResources(), restartPolicy: { ...DEFAULT_RESTART_POLICY }, placement: emptyPlacement(), networks: [], forceUpdate: 0 };
const node = (i) => ({
  id: `node-${i}`,
  spec: { annotations: { name: '', labels: {} }, role: 'worker', availability: 'active' },
  description: { hostname: `host-${i}`, platform: { os: 'linux', architecture: 'x86_64' }, resources: { nanoCpus: 4e9, memoryBytes: 8e9 }, engineVersion: '1', engineLabels: {} },
  status: { state: 'ready', message: '', addr: '' },
});
const task = (j) => ({
  id: `task-${j}`, serviceId: `service-${j % SERVICES}`, slot: Math.floor(j / SERVICES) + 1, nodeId: '', spec,
  serviceAnnotations: { name: `service-${j % SERVICES}`, labels: {} }, endpointPorts: [], desiredState: 'running', status: { state: 'pending', timestamp: '', message: '' },
});
await store.update((tx) => {
  for (let i = 0; i < NODES; i++) tx.create('nodes', node(i));
});
for (let i = 0; i < TASKS; i += 2_000) {
  await store.update((tx) => {
    for (let j = i; j < Math.min(TASKS, i + 2_000); j++) tx.create('tasks', task(j));
  });
}
const queue = [];
const scheduler = new Scheduler({ store, rng: seededRng(1), clock: { now: () => Date.now() }, schedule: (fn) => queue.push(fn) });
let transactions = 0;
store.watch(() => transactions++);
const t0 = performance.now();
scheduler.start();
while (queue.length > 0) {
  queue.shift()();
  await scheduler.whenIdle();
}
const ms = performance.now() - t0;
const placed = store.view().list('tasks').filter((t) => t.status.state === 'assigned').length;
console.log(JSON.stringify({ bench: 'store-scheduler', tasks: TASKS, nodes: NODES, services: SERVICES, placed, transactions, elapsed_ms: Math.round(ms), placements_per_s: Math.round((placed / ms) * 1000) }));
scheduler.stop();
