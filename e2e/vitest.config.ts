import { defineConfig } from 'vitest/config';
import { aliases } from '../vitest.config.js';

/** The e2e suite needs root, Docker Engine and iptables (scripts/setup-host.sh); files run one at a time. */
export default defineConfig({
  resolve: { alias: aliases },
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['e2e/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
