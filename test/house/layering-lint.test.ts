import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layering lint (eslint.config.js, DESIGN §4) catches each way a pure core can reach I/O, in
 * every package including the CLI's pure parts; io/ folders and composition roots stay free.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}/${filePath}` });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

const PURE_CASES: Array<[what: string, code: string, file: string]> = [
  ['queueMicrotask', 'queueMicrotask(() => undefined);\n', 'packages/manager/src/store/x.ts'],
  ['setImmediate', 'setImmediate(() => undefined);\n', 'packages/manager/src/scheduler/x.ts'],
  ['process', 'export const home = process.env.HOME;\n', 'packages/cli/src/compose/x.ts'],
  ['Buffer', "export const b = Buffer.from('x');\n", 'packages/manager/src/raft/x.ts'],
  ['new Date()', 'export const d = new Date();\n', 'packages/cli/src/render/x.ts'],
  ['node:fs in the compose loader', "import { readFile } from 'node:fs/promises';\nexport const r = readFile;\n", 'packages/cli/src/compose/x.ts'],
  ['an io/ module', "import { loadStack } from '../io/load-stack.js';\nexport const l = loadStack;\n", 'packages/cli/src/commands/x.ts'],
  ['a barrel re-exporting io/', "export * from './io/agent.js';\n", 'packages/worker/src/agent/index.ts'],
  ['a built-in without the node: prefix', "import { env } from 'process';\nexport const e = env;\n", 'packages/manager/src/x.ts'],
  ['a timer through globalThis', 'globalThis.setTimeout(() => undefined, 1);\n', 'packages/manager/src/x.ts'],
  ['fetch', "export const f = () => fetch('http://x');\n", 'packages/cli/src/render/x.ts'],
  ['a package entry that re-exports io/', "import { Manager } from '@shoal/manager';\nexport const m = Manager;\n", 'packages/worker/src/x.ts'],
];

describe('the layering lint', () => {
  for (const [what, code, file] of PURE_CASES) {
    it(`refuses ${what} in pure code (${file})`, async () => {
      expect((await ruleIds(code, file)).length).toBeGreaterThan(0);
    });
  }

  it('allows type-only imports, time from a Clock, and I/O in io/ folders and composition roots', async () => {
    expect(await ruleIds("import type { Manager } from '@shoal/manager';\nexport type M = Manager;\n", 'packages/worker/src/x.ts')).toEqual([]);
    expect(await ruleIds('export const at = (now: number) => new Date(now);\n', 'packages/cli/src/render/x.ts')).toEqual([]);
    expect(await ruleIds("import { readFile } from 'node:fs/promises';\nexport const r = readFile;\nsetImmediate(() => process.exit(0));\n", 'packages/cli/src/io/x.ts')).toEqual([]);
    expect(await ruleIds("import { Manager } from '@shoal/manager';\nexport const m = Manager;\n", 'packages/daemon/src/x.ts')).toEqual([]);
  });
});
