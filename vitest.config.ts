import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const pkg = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

export const aliases = {
  '@shoal/common': pkg('common'),
  '@shoal/raft': pkg('raft'),
  '@shoal/manager': pkg('manager'),
  '@shoal/worker': pkg('worker'),
  '@shoal/daemon': pkg('daemon'),
  '@shoal/cli': pkg('cli'),
};

export default defineConfig({
  resolve: { alias: aliases },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
