import { setTimeout as sleep } from 'node:timers/promises';
import type { Service } from '@shoal/common';
import type { ShoalClient } from './client.js';
import { checkConvergence, ProgressReporter } from '../stack/converge.js';

export interface WaitOptions {
  /** Service IDs or names to watch. */
  services: readonly string[];
  timeoutMs: number;
  /** Failures before this time (ms) are old news and not printed. */
  since: number;
  print: (line: string) => void;
  pollMs?: number;
}

async function fetchServices(client: ShoalClient, refs: readonly string[]): Promise<Service[]> {
  return Promise.all(refs.map((r) => client.getService(r)));
}

/**
 * Polls the daemon until every service converged, printing progress lines as they change and
 * each task error once; rejects with a clear message after the timeout.
 */
export async function waitForConvergence(client: ShoalClient, opts: WaitOptions): Promise<void> {
  if (opts.services.length === 0) return;
  const reporter = new ProgressReporter();
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const [services, tasks, nodes] = await Promise.all([fetchServices(client, opts.services), client.listTasks(), client.listNodes()]);
    const ids = new Set(services.map((s) => s.id));
    const state = checkConvergence({ services, tasks: tasks.filter((t) => ids.has(t.serviceId)), nodes, since: opts.since });
    for (const line of reporter.report(state)) opts.print(line);
    if (state.converged) return;
    if (Date.now() >= deadline) {
      const pending = state.services.filter((s) => !s.converged).map((s) => `${s.name} (${s.running}/${s.desired} running)`);
      throw new Error(`timed out after ${Math.round(opts.timeoutMs / 1000)}s waiting for ${pending.join(', ')} to converge; see \`shoal service ps\``);
    }
    await sleep(opts.pollMs ?? 500);
  }
}
