#!/usr/bin/env node
// Generates TypeScript types for the gRPC contracts in proto/ into packages/common/src/generated.
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'packages/common/src/generated');
const protos = readdirSync(join(root, 'proto')).filter((f) => f.endsWith('.proto'));
rmSync(out, { recursive: true, force: true });
// The generator of the proto-loader that @shoal/common declares (not whichever copy is hoisted).
const common = createRequire(join(root, 'packages/common/package.json'));
const generator = join(dirname(common.resolve('@grpc/proto-loader/package.json')), 'build/bin/proto-loader-gen-types.js');
execFileSync(
  process.execPath,
  [generator,
  '--keepCase=false', '--longs=String', '--enums=String', '--defaults', '--oneofs', '--grpcLib=@grpc/grpc-js',
   '--importFileExtension=.js', '--outDir', out, '--includeDirs=proto', '--', ...protos],
  { stdio: 'inherit', cwd: root },
);

// One index that re-exports every message and service type.
import { writeFileSync } from 'node:fs';
const dir = join(out, 'shoal/v1');
const names = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
writeFileSync(join(dir, 'index.ts'), names.map((n) => `export type * from './${n}.js';\n`).join(''));
