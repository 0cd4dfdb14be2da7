import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import type { ServiceSpec } from '@shoal/common';
import type { Cli } from '../src/context.js';
import type { ShoalClient } from '../src/io/client.js';
import { registerServiceCreate } from '../src/commands/service-create.js';

/** `shoal service create -d ARGS...` against a daemon that records the spec it is sent. */
async function created(...args: string[]): Promise<ServiceSpec> {
  const sent: ServiceSpec[] = [];
  const client = { createService: async (s: ServiceSpec) => (sent.push(s), { id: 'svc1', spec: s }) };
  const cli = { client: () => client as unknown as ShoalClient, out: () => {}, err: () => {}, now: () => Date.now() } as unknown as Cli;
  const program = new Command('shoal').exitOverride().enablePositionalOptions();
  registerServiceCreate(program.command('service').enablePositionalOptions(), cli);
  await program.parseAsync(['service', 'create', '-d', '--name', 'web', ...args, 'busybox'], { from: 'user' });
  return sent[0]!;
}

describe('service create healthcheck flags (Docker\'s)', () => {
  it('--health-cmd runs through the shell, with the timings given', async () => {
    const spec = await created('--health-cmd', 'wget -q -O- localhost', '--health-interval', '2s', '--health-timeout', '1s', '--health-retries', '3', '--health-start-period', '30s');
    expect(spec.task.container.healthcheck).toEqual({ test: ['CMD-SHELL', 'wget -q -O- localhost'], intervalMs: 2_000, timeoutMs: 1_000, retries: 3, startPeriodMs: 30_000 });
  });

  it('timings alone keep the image\'s test; no flag keeps the image\'s healthcheck as it is', async () => {
    expect((await created('--health-interval', '5s')).task.container.healthcheck).toEqual({ test: [], intervalMs: 5_000, timeoutMs: 0, retries: 0, startPeriodMs: 0 });
    expect((await created()).task.container.healthcheck).toBeUndefined();
  });

  it('--no-healthcheck turns the image\'s check off and conflicts with the other flags', async () => {
    expect((await created('--no-healthcheck')).task.container.healthcheck?.test).toEqual(['NONE']);
    await expect(created('--no-healthcheck', '--health-cmd', 'true')).rejects.toThrow('--no-healthcheck conflicts with --health-* options');
  });
});
