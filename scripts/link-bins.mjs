#!/usr/bin/env node
// After `tsc -b`: make the bin entries executable and link them into node_modules/.bin, so that
// `npx shoal` and `npx shoald` work right after `npm ci && npm run build` (npm links a workspace's
// bin only when its file exists at install time, which dist/ does not on a fresh clone).
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const binDir = join(root, 'node_modules/.bin');
mkdirSync(binDir, { recursive: true });
for (const pkg of ['cli', 'daemon']) {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8'));
  for (const [name, rel] of Object.entries(manifest.bin ?? {})) {
    const target = join(root, 'packages', pkg, rel);
    if (!existsSync(target)) throw new Error(`${name}: ${target} was not built`);
    chmodSync(target, 0o755);
    rmSync(join(binDir, name), { force: true });
    symlinkSync(join('..', '@shoal', pkg, rel), join(binDir, name));
  }
}
