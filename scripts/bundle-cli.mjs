#!/usr/bin/env node
// After `tsc -b`: bundles the CLI (its sources, @shoal/common, gRPC, protobufjs, commander) into
// packages/cli/dist/main.js, over the file tsc wrote, and a few chunks in dist/chunks/. Node then
// reads and links a handful of modules instead of a few hundred, which was most of what `shoal`
// cost at start. What a command imports on first use is split into its own chunk, so it is not
// even parsed by the commands that do not need it: gRPC and the contracts (not needed by --help,
// --version or a usage error), the compose loader with yaml and ajv (only `stack deploy/config`).
// Without this step (tsc alone) dist/main.js is the unbundled entry and works the same, slower.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'packages/cli');
const esbuild = createRequire(join(cli, 'package.json'))('esbuild');

rmSync(join(cli, 'dist/chunks'), { recursive: true, force: true });
await esbuild.build({
  entryPoints: [join(cli, 'src/main.ts')],
  outdir: join(cli, 'dist'),
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  tsconfig: join(cli, 'tsconfig.json'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // gRPC and protobufjs are CommonJS and require Node built-ins: give the ES module a require.
  banner: { js: "import { createRequire as __shoalRequire } from 'node:module'; const require = __shoalRequire(import.meta.url);" },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
});
