#!/usr/bin/env node
// Generates TypeScript types for the gRPC contracts in proto/ into packages/common/src/generated.
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'packages/common/src/generated');
const protos = readdirSync(join(root, 'proto')).filter((f) => f.endsWith('.proto'));
rmSync(out, { recursive: true, force: true });
execFileSync(
  join(root, 'node_modules/.bin/proto-loader-gen-types'),
  ['--keepCase=false', '--longs=String', '--enums=String', '--defaults', '--oneofs', '--grpcLib=@grpc/grpc-js',
   '--importFileExtension=.js', '--outDir', out, `--includeDirs=${join(root, 'proto')}`, '--', ...protos],
  { stdio: 'inherit' },
);

// One index that re-exports every message and service type.
import { writeFileSync } from 'node:fs';
const dir = join(out, 'shoal/v1');
const names = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
writeFileSync(join(dir, 'index.ts'), names.map((n) => `export type * from './${n}.js';\n`).join(''));
