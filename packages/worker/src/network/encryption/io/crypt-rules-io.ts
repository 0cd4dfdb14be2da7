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

/** Null when `ethtool` runs, else why not (encrypted devices need their offload turned off). */
export async function ethtoolMissing(): Promise<string | null> {
  try {
    await run('ethtool', ['--version']);
    return null;
  } catch {
    return 'ethtool is not installed (it turns checksum offload off on encrypted VXLAN devices)';
  }
}

/** Turns tx checksum offload off on those of `devices` that exist and still have it on. */
export async function ensureOffloadOff(devices: readonly string[]): Promise<void> {
  for (const dev of devices) {
    let features: string;
    try {
      features = (await run('ethtool', ['-k', dev])).stdout;
    } catch {
      continue; // not created yet
    }
    if (/^tx-checksumming: on/m.test(features)) await run('ethtool', ['-K', dev, 'tx', 'off']).catch(() => undefined);
  }
}
