import { setTimeout as sleep } from 'node:timers/promises';
import type { Service } from '@shoal/common';
import type { ShoalClient } from './client.js';
import { checkConvergence, ProgressReporter, StabilityGate, DEFAULT_STABLE_MS, type ServiceProgress } from '../stack/converge.js';
import { failedTaskMessage, permanentFailure } from '../stack/permanent-failure.js';

export interface WaitOptions {
  /** Service IDs or names to watch. */
  services: readonly string[];
  timeoutMs: number;
  /** Failures before this time (ms) are old news and not printed. */
  since: number;
  print: (line: string) => void;
  pollMs?: number;
  /** How long convergence must hold (Docker waits 5 seconds to verify that tasks are stable). */
  stableMs?: number;
}

async function fetchServices(client: ShoalClient, refs: readonly string[]): Promise<Service[]> {
  return Promise.all(refs.map((r) => client.getService(r)));
}

function timeoutMessage(services: readonly ServiceProgress[], timeoutMs: number): string {
  const pending = services.filter((s) => !s.converged).map((s) => `${s.name} (${s.running}/${s.desired} running)`);
  const what = pending.length > 0 ? `${pending.join(', ')} to converge` : 'tasks to stay running';
  return `timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${what}; see \`shoal service ps\``;
}

/**
 * Polls the daemon until every service converged and stayed so for a while, printing progress lines as they change and
 * each task error once; rejects with a clear message after the timeout, or at once when a task failed in a way its
 * restarts will only repeat (a missing image).
 */
export async function waitForConvergence(client: ShoalClient, opts: WaitOptions): Promise<void> {
  if (opts.services.length === 0) return;
  const reporter = new ProgressReporter();
  const gate = new StabilityGate(opts.stableMs);
  let verifying = false;
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const [services, tasks, nodes] = await Promise.all([fetchServices(client, opts.services), client.listTasks({ service: opts.services.join(',') }), client.listNodes()]);
    const ids = new Set(services.map((s) => s.id));
    const state = checkConvergence({ services, tasks: tasks.filter((t) => ids.has(t.serviceId)), nodes, since: opts.since });
    for (const line of reporter.report(state)) opts.print(line);
    const failed = permanentFailure(state.failures);
    if (failed) throw new Error(failedTaskMessage(failed));
    if (gate.observe(state, Date.now())) return;
    if (gate.verifying && !verifying) opts.print(`verify: waiting ${Math.round((opts.stableMs ?? DEFAULT_STABLE_MS) / 1000)} seconds to verify that tasks are stable...`);
    verifying = gate.verifying;
    if (Date.now() >= deadline) {
      throw new Error(timeoutMessage(state.services, opts.timeoutMs));
    }
    await sleep(opts.pollMs ?? 500);
  }
}
