import { describe, expect, it } from 'vitest';
import { IptablesBackend, NftablesBackend, type CommandRunner } from '@shoal/worker';
import { entry, table } from './fixtures.js';

/** A host whose tools answer from a script: records every call, `fail` makes one tool fail once. */
function fakeHost(saved = ''): { run: CommandRunner; calls: string[]; fail: Set<string> } {
  const calls: string[] = [];
  const fail = new Set<string>();
  const run: CommandRunner = async (cmd, args) => {
    calls.push([cmd, ...args].join(' '));
    if (fail.delete(cmd)) return { code: 1, stdout: '', stderr: `${cmd}: Resource temporarily unavailable\n` };
    if (cmd === 'iptables-save') return { code: 0, stdout: saved, stderr: '' };
    if (cmd === 'nft' && args[0] === 'list') return { code: 1, stdout: '', stderr: 'Error: No such file or directory' };
    return { code: 0, stdout: '', stderr: '' };
  };
  return { run, calls, fail };
}

describe('the programmer shared by the backends', () => {
  it('reads the kernel once, then writes only what changed and forgets connections to backends that left', async () => {
    const host = fakeHost();
    const b = new IptablesBackend({ run: host.run });
    const first = await b.apply(table([entry(8080, ['10.0.0.5', '10.0.0.6'])]));
    expect(host.calls.filter((c) => c.startsWith('iptables-save'))).toHaveLength(2);
    expect(first.scriptLines).toBeGreaterThan(10);
    host.calls.length = 0;

    const second = await b.apply(table([entry(8080, ['10.0.0.6'])]));
    expect(host.calls).toEqual([
      'iptables-restore -w --noflush',
      'conntrack -D -p tcp --orig-port-dst 8080 --reply-src 10.0.0.5 --reply-port-src 80',
    ]);
    expect(second).toEqual({ scriptLines: 5, conntrackDeletes: 1, rejected: [] });
    host.calls.length = 0;

    expect((await b.apply(table([entry(8080, ['10.0.0.6'])]))).scriptLines).toBe(0);
    expect(host.calls).toEqual([]);
  });

  it('after a failed write, reads the kernel again before the next one', async () => {
    const host = fakeHost();
    const b = new IptablesBackend({ run: host.run });
    await b.apply(table([entry(8080, ['10.0.0.5'])]));
    host.fail.add('iptables-restore');
    await expect(b.apply(table([entry(8080, ['10.0.0.6'])]))).rejects.toThrow('iptables-restore -w --noflush failed: iptables-restore: Resource temporarily unavailable');
    host.calls.length = 0;
    await b.apply(table([entry(8080, ['10.0.0.6'])]));
    expect(host.calls.slice(0, 2)).toEqual(['iptables-save -t nat', 'iptables-save -t filter']);
  });

  it('sets route_localnet once the mesh is on, and the nftables backend keeps FORWARD in iptables', async () => {
    const host = fakeHost();
    const b = new NftablesBackend({ run: host.run, clientAddress: 'snat' });
    await b.apply(table([entry(8080, ['10.0.0.5'])]));
    expect(host.calls).toEqual([
      'sysctl -q -w net.ipv4.conf.all.route_localnet=1',
      'nft list table ip shoal_ingress',
      'iptables-save -t filter',
      'nft -f -',
      'iptables-restore -w --noflush',
      'conntrack -L',
    ]);
  });
});
