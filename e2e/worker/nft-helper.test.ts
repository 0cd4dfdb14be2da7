import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { NftHelper } from '@shoal/worker';

/** The VIP balancer's nft helper (python3 + libnftables, setns). Needs root, nft, python3, shoal/busybox. */
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const helper = new NftHelper();
const ids: string[] = [];

afterAll(() => {
  helper.stop();
  if (ids.length) docker('rm', '-f', ...ids);
});

describe('NftHelper', () => {
  it('writes rules into several namespaces from one process and reports each one\'s failure alone', async () => {
    for (let i = 0; i < 2; i++) ids.push(docker('run', '-d', '--label', 'io.shoal.e2e=vip', 'shoal/busybox:latest', 'sleep', '300'));
    const ns = ids.map((id) => docker('inspect', '-f', '{{.NetworkSettings.SandboxKey}}', id));
    const script = 'table ip shoal_vip\ndelete table ip shoal_vip\ntable ip shoal_vip {\n\tchain SHOAL-VIP-10.9.0.2 {\n\t\tdnat to 10.9.0.9\n\t}\n}\n';
    const results = await helper.run([
      { nsPath: ns[0]!, script },
      { nsPath: '/nonexistent/netns', script },
      { nsPath: ns[1]!, script, readFlows: true },
    ]);
    expect(results).toBeDefined();
    expect(results!.get(ns[0]!)).toEqual({});
    expect(results!.get('/nonexistent/netns')?.error).toMatch(/No such file/);
    expect(results!.get(ns[1]!)?.flows).toBeDefined(); // /proc/net/nf_conntrack of that namespace
    for (const path of ns) expect(execFileSync('nsenter', [`--net=${path}`, 'nft', 'list', 'tables'], { encoding: 'utf8' })).toContain('shoal_vip');
    const bad = await helper.run([{ nsPath: ns[1]!, script: 'add rule ip nosuchtable x accept\n' }]);
    expect(bad!.get(ns[1]!)?.error).toBeDefined(); // nft's own first line of error
  });

  it('says it cannot run where python3 is missing, so the balancer falls back to nsenter', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const lonely = new NftHelper();
      expect(await lonely.run([{ nsPath: '/x', script: '' }])).toBeUndefined();
      lonely.stop();
    } finally {
      process.env.PATH = path;
    }
  });
});
