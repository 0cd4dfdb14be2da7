// Runs one node's encryption relay inside a netns host for encrypted-relay.test.ts:
//   nsenter --net=NETNS node encrypted-relay-host.mjs SELF_ADDR TABLE_JSON_FILE
// Prints "ready" once the relay serves the table; prints its counters as JSON on SIGTERM.
import { readFileSync } from 'node:fs';
import { EncryptedOverlayRelay } from '../../packages/worker/dist/index.js';

const [selfAddr, tableFile] = process.argv.slice(2);
const relay = new EncryptedOverlayRelay({ selfAddr, log: (l) => console.error(l) });
await relay.start();
const reason = relay.cannotEncrypt();
if (reason) {
  console.log(`cannot encrypt: ${reason}`);
  process.exit(1);
}
await relay.apply(JSON.parse(readFileSync(tableFile, 'utf8')));
console.log('ready');
process.on('SIGTERM', () => {
  console.log(JSON.stringify(relay.snapshot()));
  relay.stop();
  process.exit(0);
});
