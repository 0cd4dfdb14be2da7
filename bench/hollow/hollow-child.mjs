// A process holding many hollow nodes (forked by hollow-fleet.mjs; talks to it over IPC).
//   in:  { type: 'start', remoteAddr, token, nodes: [{ hostname, engineLabels }], startDelayMs, fail, joinConcurrency, statsEveryMs }
//        { type: 'stop' }
//   out: { type: 'ready', nodeIds: { hostname: nodeId }, joinMs }, { type: 'stats', running, created, at }, { type: 'error', message }
import { HollowNode, joinHollow } from './hollow-node.mjs';

const nodes = [];
let statsTimer;

/** Runs `fn` over `items` with at most `limit` at once. */
async function pool(items, limit, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

async function start(msg) {
  const t0 = performance.now();
  await pool(msg.nodes, msg.joinConcurrency, async (n) => {
    const membership = await joinHollow({ remoteAddr: msg.remoteAddr, token: msg.token, hostname: n.hostname });
    const node = new HollowNode({ membership, hostname: n.hostname, engineLabels: n.engineLabels, startDelayMs: msg.startDelayMs, fail: msg.fail });
    await node.start();
    nodes.push(node);
  });
  const joinMs = Math.round(performance.now() - t0);
  process.send({ type: 'ready', nodeIds: Object.fromEntries(nodes.map((n) => [n.hostname, n.nodeId])), joinMs });
  statsTimer = setInterval(() => {
    let running = 0;
    let created = 0;
    for (const n of nodes) {
      running += n.running();
      created += n.runtime.created;
    }
    process.send({ type: 'stats', running, created, at: Date.now() });
  }, msg.statsEveryMs ?? 250);
}

async function stop() {
  clearInterval(statsTimer);
  await Promise.all(nodes.map((n) => n.stop().catch(() => {})));
  process.exit(0);
}

process.on('message', (msg) => {
  if (msg.type === 'start') start(msg).catch((e) => process.send({ type: 'error', message: e.message }));
  else if (msg.type === 'stop') void stop();
});
process.on('disconnect', () => process.exit(0));
