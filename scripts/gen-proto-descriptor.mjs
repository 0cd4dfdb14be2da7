#!/usr/bin/env node
// The gRPC contracts in proto/ as a protobufjs JSON descriptor, written to
// packages/common/src/rpc/proto-descriptor.ts, so that processes load them with fromJSON instead of
// parsing .proto text at start. proto/ stays the one source of truth: `npm run build` and
// `npm run gen` regenerate the file, and `--check` (run by a test) fails when it is stale.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'packages/common/src/rpc/proto-descriptor.ts');
// The protobufjs that @shoal/common loads the descriptor with at run time.
const protobuf = createRequire(join(root, 'packages/common/package.json'))('protobufjs');

function descriptorSource() {
  const dir = join(root, 'proto');
  const files = readdirSync(dir).filter((f) => f.endsWith('.proto')).sort();
  const parsed = new protobuf.Root();
  parsed.resolvePath = (_origin, target) => join(dir, target);
  parsed.loadSync(files, { keepCase: false });
  parsed.resolveAll();
  const json = JSON.stringify(parsed.toJSON());
  return [
    `// Generated from proto/*.proto by scripts/gen-proto-descriptor.mjs (npm run build / npm run gen): do not edit.`,
    `// A test fails when it no longer matches the .proto files.`,
    `export const PROTO_DESCRIPTOR: unknown = JSON.parse(${JSON.stringify(json)});`,
    '',
  ].join('\n');
}

const want = descriptorSource();
let have = '';
try {
  have = readFileSync(out, 'utf8');
} catch {
  // not generated yet
}
if (process.argv.includes('--check')) {
  if (have !== want) {
    process.stderr.write(`${out} does not match proto/*.proto: run npm run gen\n`);
    process.exit(1);
  }
} else if (have !== want) {
  writeFileSync(out, want);
}
