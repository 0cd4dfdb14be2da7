import tseslint from 'typescript-eslint';

/**
 * The layering rule of DESIGN §4: only `io/` folders and composition roots (`main.ts`, files under
 * `daemon/src`, `test/`, `e2e/`, `bench/`) may import Node built-ins, gRPC, LevelDB or Docker, or
 * read the wall clock, randomness or timers. Cores take Clock and Rng as arguments.
 */
const IMPURE_MODULES = ['node:*', 'fs', 'net', 'child_process', 'os', '@grpc/grpc-js', '@grpc/proto-loader', 'classic-level', 'level', 'dockerode'];
const pureRules = {
  'no-restricted-imports': ['error', { patterns: [{ group: IMPURE_MODULES, message: 'I/O belongs in an io/ folder or a composition root (DESIGN §4).' }] }],
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'Take a Clock (DESIGN §4).' },
    { object: 'Math', property: 'random', message: 'Take an Rng (DESIGN §4).' },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'setTimeout', message: 'Timers belong in io/ shells.' },
    { name: 'setInterval', message: 'Timers belong in io/ shells.' },
  ],
};

export default tseslint.config(
  { ignores: ['**/dist/**', 'node_modules/**', '**/generated/**', '.e2e-work/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['packages/*/src/**/*.ts'],
    ignores: ['packages/*/src/**/io/**', 'packages/*/src/main.ts', 'packages/daemon/src/**', 'packages/cli/src/**'],
    rules: pureRules,
  },
);
