// Micro-benchmark of the store on its own (no Raft): the cost of a read view, of writes after a
// view was handed out, of index look-ups, and the memory a task takes. It measures, never asserts.
// Prints one JSON line per figure.
//   TASKS=100000 NODES=1000 SERVICES=1000 node --expose-gc bench/store.mjs
//   STORE_DIST=/path/to/other/packages/manager/dist node --expose-gc bench/store.mjs  (another build)
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const env = (name, fallback) => Number(process.env[name] ?? fallback);
const TASKS = env('TASKS', 100_000);
const NODES = env('NODES', 1_000);
const SERVICES = env('SERVICES', 1_000);
const REPEAT = env('REPEAT', 50);
const BATCH = 2_000;
const dist = resolve(process.env.STORE_DIST ?? new URL('../packages/manager/dist', import.meta.url).pathname);
const { MemoryStore } = await import(pathToFileURL(`${dist}/index.js`).href);
const { DEFAULT_RESTART_POLICY, emptyPlacement, emptyResources } = await import('../packages/common/dist/index.js');

const print = (figure, value, unit) => console.log(JSON.stringify({ bench: 'store', figure, value: Math.round(value * 1000) / 1000, unit, tasks: TASKS, nodes: NODES, services: SERVICES }));
const gc = () => globalThis.gc?.();
const heap = () => (gc(), process.memoryUsage().heapUsed);

function task(i) {
  const serviceId = `service-${i % SERVICES}`;
  return {
    id: `task-${String(i).padStart(8, '0')}`,
    serviceId,
    slot: Math.floor(i / SERVICES) + 1,
    nodeId: `node-${i % NODES}`,
    spec: {
      container: { image: 'busybox:1', env: [], labels: {}, stopGracePeriodMs: 10_000, mounts: [] },
      resources: emptyResources(),
      restartPolicy: { ...DEFAULT_RESTART_POLICY },
      placement: emptyPlacement(),
      networks: [],
      forceUpdate: 0,
    },
    serviceAnnotations: { name: serviceId, labels: {} },
    endpointPorts: [],
    desiredState: 'running',
    status: { state: 'running', timestamp: '2026-01-01T00:00:00.000Z', message: 'started' },
  };
}

let index = 0;
const apply = (store, actions) => store.applyEntry({ index: ++index, time: 1_700_000_000_000 + index, transactions: [actions] });
/** Median of `REPEAT` runs of `fn`, in microseconds; `setup` runs untimed before each. */
function median(fn, setup = () => {}) {
  const times = [];
  for (let i = 0; i < REPEAT; i++) {
    setup();
    const t0 = performance.now();
    fn(i);
    times.push((performance.now() - t0) * 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const before = heap();
const store = new MemoryStore();
const t0 = performance.now();
for (let i = 0; i < TASKS; i += BATCH) {
  const actions = [];
  for (let j = i; j < Math.min(TASKS, i + BATCH); j++) actions.push({ kind: 'create', table: 'tasks', object: task(j) });
  apply(store, actions);
}
print('load_ms', performance.now() - t0, 'ms');
print('memory_per_task_bytes', (heap() - before) / TASKS, 'bytes');

const update = (t, i) => ({ kind: 'update', table: 'tasks', object: { ...t, status: { ...t.status, message: `m${i}` } }, expectedVersion: t.meta.version });
const anyView = () => store.view();
print('view_us', median(() => anyView()), 'us');
let round = 0;
print('write_1_task_after_view_us', median(() => {
  const t = store.view().get('tasks', task(round * 7919 % TASKS).id);
  apply(store, [update(t, round++)]);
}), 'us');
let views = [];
print('write_2000_tasks_after_view_us', median(() => {
  const view = store.view();
  views.push(view);
  const first = (round++ * BATCH) % TASKS;
  const actions = [];
  for (let j = first; j < first + BATCH && j < TASKS; j++) actions.push(update(view.get('tasks', task(j).id), round));
  apply(store, actions);
}), 'us');
views = [];
const byIndex = (view, index, key) => (view.byIndex ? view.byIndex('tasks', index, key) : view.find('tasks', (t) => t[index] === key));
let found = 0;
print('by_service_us', median((i) => (found = byIndex(store.view(), 'serviceId', `service-${i % SERVICES}`).length)), 'us');
print('by_service_found', found, 'tasks');
print('by_node_us', median((i) => (found = byIndex(store.view(), 'nodeId', `node-${i % NODES}`).length)), 'us');
print('by_node_found', found, 'tasks');
print('snapshot_ms', median(() => store.snapshot()) / 1000, 'ms');
