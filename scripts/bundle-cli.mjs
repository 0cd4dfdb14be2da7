#!/usr/bin/env node
// After `tsc -b`: bundles the CLI (its sources, @shoal/common, gRPC, protobufjs, commander) into one
// file, packages/cli/dist/main.js, over the one tsc wrote. Node then reads and links one module
// instead of a few hundred, which is most of what `shoal` cost at start. The compose loader
// (yaml, ajv) stays out of the start path: it is imported on first use and bundled lazily.
// Without this step (tsc alone) dist/main.js is the unbundled entry and works the same, slower.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'packages/cli');
const esbuild = createRequire(join(cli, 'package.json'))('esbuild');

await esbuild.build({
  entryPoints: [join(cli, 'src/main.ts')],
  outfile: join(cli, 'dist/main.js'),
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
