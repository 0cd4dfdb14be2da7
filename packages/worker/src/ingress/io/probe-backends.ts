import type { IngressBackendName, IngressReport } from '@shoal/common';
import { runCommand, type CommandRunner } from '../../network/io/commands.js';
import { chooseBackend, probeOrder, type IngressBackendFlag, type ProbeResult } from '../backend-choice.js';
import type { ClientAddressMode } from '../mesh-state.js';
import { IptablesBackend } from './iptables-backend.js';
import { IpvsBackend } from './ipvs-backend.js';
import { type IngressBackend } from './mesh-programmer.js';
import { NftablesBackend, type NftablesBackendOptions } from './nftables-backend.js';

/** A throwaway table with every feature the nftables backend uses, checked by the kernel (`nft -c`: nothing is committed). */
const NFT_PROBE = `table ip shoal_probe {
  map ports { type inet_proto . inet_service : verdict; }
  map backends { typeof meta l4proto . th dport . numgen random mod 2 : ip daddr . th dport; elements = { tcp . 80 . 0 : 10.0.0.1 . 80 } }
  chain pre { type nat hook prerouting priority dstnat; policy accept; fib daddr type local meta l4proto . th dport vmap @ports; }
  chain pick { meta mark set meta mark | 0x4000; dnat ip to meta l4proto . th dport . numgen random mod 2 map @backends; }
  chain post { type nat hook postrouting priority srcnat; policy accept; ip saddr 127.0.0.0/8 meta mark & 0x4000 == 0x4000 snat to 10.0.0.3; }
}
`;

/** The same for iptables (`iptables-restore --test`: nothing is committed). */
const IPTABLES_PROBE = `*nat
:SHOAL-PROBE - [0:0]
-A SHOAL-PROBE -p tcp -m tcp --dport 1 -m addrtype --dst-type LOCAL -m statistic --mode random --probability 0.5 -j DNAT --to-destination 10.0.0.1:80
-A SHOAL-PROBE -m mark --mark 0x4000/0x4000 -j SNAT --to-source 10.0.0.3
COMMIT
`;

function reason(r: { code: number; stderr: string }, cmd: string): string {
  const line = r.stderr.trim().split('\n').find((l) => l !== '') ?? `exit ${r.code}`;
  if (/ENOENT|not found|failed to execute/i.test(line)) return `${cmd} not found`;
  // ipvsadm: "Can't initialize ipvs: Protocol not available" → the kernel's words.
  return (line.split(': ').pop() ?? line).slice(0, 160);
}

async function probe(run: CommandRunner, name: IngressBackendName): Promise<ProbeResult> {
  const attempt = async (cmd: string, args: string[], input?: string): Promise<string | undefined> => {
    const r = await run(cmd, args, input);
    return r.code === 0 ? undefined : reason(r, cmd);
  };
  if (name === 'nftables') {
    const why = await attempt('nft', ['-c', '-f', '-'], NFT_PROBE);
    return why ? { ok: false, reason: why } : { ok: true };
  }
  const why = (await attempt('iptables-restore', ['-w', '--test', '--noflush'], IPTABLES_PROBE)) ?? (name === 'ipvs' ? await attempt('ipvsadm', ['-L', '-n']) : undefined);
  return why ? { ok: false, reason: why } : { ok: true };
}

export function createIngressBackend(name: IngressBackendName, o: NftablesBackendOptions = {}): IngressBackend {
  if (name === 'ipvs') return new IpvsBackend(o);
  if (name === 'nftables') return new NftablesBackend(o);
  return new IptablesBackend(o);
}

/**
 * `--ingress-backend`: probes for real (in probeOrder, stopping at the first that works) and
 * returns the backend with what the node reports, or throws one line for shoald's start.
 */
export async function selectIngressBackend(
  flag: IngressBackendFlag,
  o: { run?: CommandRunner; clientAddress?: ClientAddressMode; nftNetns?: string } = {},
): Promise<{ backend: IngressBackend; report: IngressReport }> {
  const run = o.run ?? runCommand;
  const probed: [IngressBackendName, ProbeResult][] = [];
  for (const name of probeOrder(flag)) {
    const r = await probe(run, name);
    probed.push([name, r]);
    if (r.ok) break;
  }
  const choice = chooseBackend(flag, probed);
  if ('error' in choice) throw new Error(choice.error);
  const clientAddress = o.clientAddress ?? 'preserved';
  const backend = createIngressBackend(choice.backend, { run, clientAddress, ...(o.nftNetns ? { nftNetns: o.nftNetns } : {}) });
  return { backend, report: { backend: choice.backend, clientAddress, message: choice.message } };
}
