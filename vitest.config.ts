import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const src = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

/** Tests run against the TypeScript sources, not dist/. */
export const aliases = [
  { find: /^@shoal\/common\/rpc$/, replacement: src('common/src/rpc/index.ts') },
  ...['common', 'raft', 'manager', 'worker', 'daemon', 'cli'].map((name) => ({
    find: new RegExp(`^@shoal/${name}$`),
    replacement: src(`${name}/src/index.ts`),
  })),
];

export default defineConfig({
  resolve: { alias: aliases },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
