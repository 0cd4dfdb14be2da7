import { readFileSync } from 'node:fs';

/**
 * Where package.json is from this module: ../../ from src/io/ and dist/io/ (tsc's output), ../ from
 * dist/main.js when the build bundled the CLI into that one file (scripts/bundle-cli.mjs).
 */
const CANDIDATES = ['../../package.json', '../package.json'];

/** The CLI's version, from its package.json (as `shoal --version` prints it). */
export function cliVersion(): string {
  for (const path of CANDIDATES) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@shoal/cli') return pkg.version ?? 'unknown';
    } catch {
      // not this one
    }
  }
  return 'unknown';
}
