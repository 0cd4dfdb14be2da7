import { CLUSTER_CHANNEL_OPTIONS } from '@shoal/common/rpc';
import { readNodeCerts } from '../../packages/daemon/src/tls/node-certs.js';
import { nodeClientCredentials } from '../../packages/daemon/src/tls/credentials.js';
import { HostileDispatcher } from '../../test/hostile/hostile-dispatcher.js';
import { poisonDispatcher, type PoisonTarget } from '../../test/hostile/poison-dispatcher.js';

/**
 * Run by tsx inside a worker host's namespace (poisoned-worker.test.ts): takes the worker's own
 * certificate from its data dir and sends the leader's dispatcher every attack of
 * poisonDispatcher, then prints one JSON line per outcome.
 * Argument: JSON `{ target: "addr:4242", dataDir: "/var/lib/shoal-e2e/hN/shoal", poison: PoisonTarget }`.
 */
const { target, dataDir, poison } = JSON.parse(process.argv[2] ?? '{}') as { target: string; dataDir: string; poison: PoisonTarget };
const certs = await readNodeCerts(dataDir);
if (!certs) throw new Error(`no certificates under ${dataDir}`);
// The same TLS setup as the node's own agent: its certificate, the swarm's root, and a manager's
// certificate required of the server.
const client = new HostileDispatcher(target, nodeClientCredentials(certs), CLUSTER_CHANNEL_OPTIONS);
try {
  for (const o of await poisonDispatcher(client, poison)) console.log(JSON.stringify(o));
} finally {
  client.close();
}
