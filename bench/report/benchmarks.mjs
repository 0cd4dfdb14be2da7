// The benchmarks `npm run bench` runs, in order. Each `run(params)` resolves with one flat object
// of numbers whose names end in their unit (_s, _ms, _per_s, _mb, _ratio...). The netns ones need
// root, Docker Engine and the e2e lock's hosts (npm run bench runs under tsx: they import the
// e2e harness, which is TypeScript).
import { fileURLToPath } from 'node:url';
import { runJsonLines } from './child-lines.mjs';

const script = (name) => fileURLToPath(new URL(`../${name}`, import.meta.url));

export const BENCHMARKS = [
  {
    name: 'store',
    what: 'the store alone: read views, writes and index queries with 100,000 tasks on 1,000 nodes',
    params: { tasks: 100_000, nodes: 1_000 },
    repeat: 3,
    run: (p) => runJsonLines(script('store.mjs'), { prefix: 'store', nodeArgs: ['--expose-gc'], env: { TASKS: String(p.tasks), NODES: String(p.nodes) } }),
  },
  {
    name: 'cli',
    what: 'the shoal CLI: CPU and wall seconds per command against a single-node shoald (median of 20)',
    params: { n: 20 },
    repeat: 1,
    run: async (p) => (await import('../cli-startup.mjs')).cliStartupBench(p),
  },
  {
    name: 'raft',
    what: '3 managers, Raft through the control API (CreateService), LevelDB with fsync, 1 and 256 clients',
    params: { managers: 3, ms: 5_000, clients: [1, 256] },
    repeat: 3,
    run: async (p) => (await import('../raft.mjs')).raftBench(p),
  },
  {
    name: 'schedule',
    what: '3 managers, 1,000 hollow nodes, services totalling 100,000 tasks deployed then removed',
    params: { managers: 3, nodes: 1_000, tasks: 100_000 },
    repeat: 1,
    run: async (p) => (await import('../schedule.mjs')).benchSchedule(p),
  },
  {
    name: 'failover',
    what: 'leader killed → next accepted write; a hollow worker cut off → its tasks running elsewhere',
    params: { managers: 3, leaderRuns: 20, nodes: 1_000, workerRuns: 5 },
    repeat: 1,
    run: async (p) => {
      const { benchFailoverLeader, benchFailoverWorker } = await import('../failover.mjs');
      const leader = await benchFailoverLeader({ runs: p.leaderRuns });
      // The leader's figures stand even when the worker part cannot finish (it is said why).
      const worker = await benchFailoverWorker({ nodes: p.nodes, runs: p.workerRuns }).catch((e) => {
        console.log(`   worker part failed: ${e?.message ?? e}`);
        return {};
      });
      return { ...leader, ...worker };
    },
  },
  {
    name: 'converge',
    what: '3 netns hosts with real Docker Engines: shoal vs Docker Swarm vs the engines alone, 30 replicas; and a host cut',
    params: { hosts: 3, replicas: 30, runs: 3, cut: true },
    repeat: 1,
    run: async (p) => (await import('../converge-netns.mjs')).convergeNetns(p),
  },
  {
    name: 'ingress',
    what: '3 netns hosts: HTTP requests/s and p50/p99 through the routing mesh via the node with the task and via one without, vs a container published with docker run -p; time to apply one change with 1,000 and 10,000 published services per backend',
    params: { runs: 5, seconds: 5, concurrency: 8 },
    repeat: 1,
    run: async (p) => (await import('../ingress-netns.mjs')).ingressNetns(p),
  },
  {
    name: 'network',
    what: '3 netns hosts, overlay network: HTTP across hosts through the VIP vs to the task; a stopped task out of every node\'s DNS and VIP rules, alone and with 1,000 services',
    params: { runs: 3, seconds: 5, concurrency: 16, removalRuns: 5, services: 1_000 },
    repeat: 1,
    run: async (p) => (await import('../network-netns.mjs')).networkNetns(p),
  },
];
