import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HostileDispatcher } from '../../test/hostile/hostile-dispatcher.js';
import { poisonDispatcher, type PoisonTarget } from '../../test/hostile/poison-dispatcher.js';

/**
 * Run by tsx inside a worker host's namespace (poisoned-worker.test.ts): takes the worker's own
 * certificate from its data dir and sends the leader's dispatcher every attack of
 * poisonDispatcher, then prints one JSON line per outcome.
 * Argument: JSON `{ target: "addr:4242", certDir: ".../certificates", poison: PoisonTarget }`.
 */
const { target, certDir, poison } = JSON.parse(process.argv[2] ?? '{}') as { target: string; certDir: string; poison: PoisonTarget };
const read = (f: string) => readFileSync(join(certDir, f));
const credentials = grpc.credentials.createSsl(read('root.crt'), read('node.key'), read('node.crt'));
const client = new HostileDispatcher(target, credentials, { 'grpc.ssl_target_name_override': 'shoal-node', 'grpc.default_authority': 'shoal-node' });
try {
  for (const o of await poisonDispatcher(client, poison)) console.log(JSON.stringify(o));
} finally {
  client.close();
}
