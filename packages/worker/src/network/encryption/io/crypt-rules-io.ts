import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cryptRules } from '../crypt-rules.js';

const run = promisify(execFile);

async function iptables(args: readonly string[]): Promise<string | null> {
  try {
    await run('iptables', ['-w', ...args]);
    return null;
  } catch (e) {
    const err = e as { stderr?: string; message?: string };
    return (err.stderr ?? err.message ?? String(e)).trim().split('\n')[0] ?? 'iptables failed';
  }
}

/** Makes sure every rule is there (checked with -C, inserted first); the first failure, or null. */
export async function ensureCryptRules(): Promise<string | null> {
  for (const r of cryptRules()) {
    if ((await iptables(['-t', r.table, '-C', r.chain, ...r.rule])) === null) continue;
    const failed = await iptables(['-t', r.table, '-I', r.chain, '1', ...r.rule]);
    if (failed !== null) return `cannot add the ${r.table} ${r.chain} rule: ${failed}`;
  }
  return null;
}

/** Deletes every copy of every rule (swarm leave, shutdown). */
export async function removeCryptRules(): Promise<void> {
  for (const r of cryptRules()) {
    for (let i = 0; i < 16 && (await iptables(['-t', r.table, '-D', r.chain, ...r.rule])) === null; i++);
  }
}
