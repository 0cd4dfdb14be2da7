import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

/**
 * The layering rule of DESIGN §4: only `io/` folders and composition roots (`main.ts`, files under
 * `daemon/src`, `test/`, `e2e/`, `bench/`) may import Node built-ins, gRPC, LevelDB or Docker, read
 * the wall clock, randomness, timers, the process or its environment, or reach any of those
 * through a module that re-exports an `io/` folder. Cores take Clock, Rng and values as arguments.
 * Type-only imports are allowed: they vanish from the compiled code.
 */
// Built-in names anchored (`/dns`): bare, a pattern also matches a folder of ours of that name (`./dns/x.js`).
const IMPURE_MODULES = ['node:*', ...builtinModules.map((m) => `/${m}`), ...builtinModules.map((m) => `/${m}/*`), '@grpc/grpc-js', '@grpc/proto-loader', 'classic-level', 'level', 'dockerode'];
/**
 * Barrels allowed to re-export io/ folders: each package's entry point (and a few namespaces it
 * exports), which composition roots import. Pure code may import them for types only; any other
 * barrel that re-exports an io/ module fails the import rule itself.
 */
const IO_BARREL_FILES = ['packages/*/src/index.ts', 'packages/common/src/rpc/index.ts', 'packages/manager/src/ca/index.ts'];
const IO_BARRELS = ['**/io/**', '**/io', '@shoal/common/rpc', '@shoal/manager', '@shoal/worker', '@shoal/daemon', '**/ca/index.js'];
const IO_MESSAGE = 'I/O belongs in an io/ folder or a composition root (DESIGN §4).';
const timer = (name) => ({ name, message: 'Timers and the event loop belong in io/ shells (DESIGN §4).' });
const impureImports = { group: IMPURE_MODULES, message: IO_MESSAGE, allowTypeImports: true };
const ioBarrelImports = { group: IO_BARRELS, message: `${IO_MESSAGE} This module is or re-exports an io/ folder.`, allowTypeImports: true };
const pureRules = {
  'no-restricted-imports': 'off',
  '@typescript-eslint/no-restricted-imports': ['error', { patterns: [impureImports, ioBarrelImports] }],
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'Take a Clock (DESIGN §4).' },
    { object: 'Math', property: 'random', message: 'Take an Rng (DESIGN §4).' },
  ],
  'no-restricted-globals': [
    'error',
    ...['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate', 'queueMicrotask'].map(timer),
    { name: 'process', message: 'Pass what the process holds (environment, arguments, streams) as values (DESIGN §4).' },
    { name: 'Buffer', message: 'Node buffers belong in io/; cores use Uint8Array and TextEncoder.' },
    { name: 'fetch', message: IO_MESSAGE },
    { name: 'crypto', message: 'Take an Rng (DESIGN §4); hashing belongs in io/.' },
    { name: 'performance', message: 'Take a Clock (DESIGN §4).' },
    { name: 'globalThis', message: 'Reach nothing through globalThis: take what you need as an argument (DESIGN §4).' },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Take a Clock: new Date(clock.now()) (DESIGN §4).' },
    { selector: "CallExpression[callee.name='Date']", message: 'Take a Clock (DESIGN §4).' },
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
    ignores: ['packages/*/src/**/io/**', 'packages/*/src/main.ts', 'packages/daemon/src/**'],
    rules: pureRules,
  },
  {
    files: IO_BARREL_FILES,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [impureImports] }] },
  },
);
