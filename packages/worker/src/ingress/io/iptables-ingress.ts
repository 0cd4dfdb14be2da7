import { execFile, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { BUILTIN_JUMPS, ingressRules, shoalChains } from '../ingress-rules.js';
import type { IngressTable } from '@shoal/common';
import type { IngressPort } from '../ingress-table.js';

const run = promisify(execFile);

async function iptables(args: readonly string[]): Promise<boolean> {
  try {
    await run('iptables', ['-w', ...args]);
    return true;
  } catch {
    return false;
  }
}

function restore(input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('iptables-restore', ['-w', '--noflush'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`iptables-restore failed (${code}): ${stderr.trim()}`))));
    child.stdin.end(input);
  });
}

async function savedChains(table: 'nat' | 'filter'): Promise<string[]> {
  const { stdout } = await run('iptables-save', ['-t', table]);
  return shoalChains(stdout);
}

/**
 * Programs the routing mesh with iptables: each apply() replaces all of shoal's rules atomically
 * (one iptables-restore call), then makes sure the jumps from the built-in chains exist.
 * Calls are serialized.
 */
export class IptablesIngress {
  private queue: Promise<void> = Promise.resolve();

  apply(table: IngressTable): Promise<void> {
    return this.enqueue(() => this.applyNow(table.ports));
  }

  /** Deletes every SHOAL-* jump and chain (swarm leave, tests). */
  removeAll(): Promise<void> {
    return this.enqueue(() => this.removeNow());
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    const next = this.queue.then(op);
    this.queue = next.catch(() => {});
    return next;
  }

  private async applyNow(table: readonly IngressPort[]): Promise<void> {
    // Loopback clients: let packets from 127.0.0.1 be routed to a container once DNATed.
    await writeFile('/proc/sys/net/ipv4/conf/all/route_localnet', '1');
    await restore(ingressRules(table, await savedChains('nat')));
    for (const j of BUILTIN_JUMPS) {
      if (!(await iptables(['-t', j.table, '-C', j.chain, ...j.rule]))) {
        if (!(await iptables(['-t', j.table, '-I', j.chain, '1', ...j.rule]))) {
          throw new Error(`could not insert the jump to ${j.rule.at(-1)} in ${j.table} ${j.chain}`);
        }
      }
    }
  }

  private async removeNow(): Promise<void> {
    for (const j of BUILTIN_JUMPS) {
      while (await iptables(['-t', j.table, '-D', j.chain, ...j.rule]));
    }
    for (const table of ['nat', 'filter'] as const) {
      const chains = await savedChains(table);
      for (const c of chains) await iptables(['-t', table, '-F', c]);
      for (const c of chains) await iptables(['-t', table, '-X', c]);
    }
  }
}
