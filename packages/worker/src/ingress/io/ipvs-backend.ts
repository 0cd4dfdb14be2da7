import { parseSaved } from '../iptables-rules.js';
import { tableDelta } from '../iptables-delta.js';
import { ipvsDelta, ipvsRules, parseIpvsSave, type IpvsRules } from '../ipvs-rules.js';
import type { MeshState } from '../mesh-state.js';
import { countLines, MeshProgrammer, type MeshProgrammerOptions } from './mesh-programmer.js';

/**
 * The IPVS backend: fwmark virtual services fed by mangle marks, real servers in masquerade mode.
 * Runs only where the kernel has IPVS (the probe says so); its rendering has unit tests.
 */
export class IpvsBackend extends MeshProgrammer<IpvsRules> {
  readonly name = 'ipvs' as const;

  constructor(o: MeshProgrammerOptions = {}) {
    super(o);
  }

  protected render(state: MeshState | undefined, keys?: readonly string[]): IpvsRules {
    return ipvsRules(state, keys);
  }

  protected async read(): Promise<IpvsRules> {
    const save = (t: string) => this.must('iptables-save', ['-t', t]);
    const [mangle, nat, filter, ipvs] = await Promise.all([save('mangle'), save('nat'), save('filter'), this.must('ipvsadm-save', ['-n'])]);
    return { mangle: parseSaved(mangle, 'mangle'), nat: parseSaved(nat, 'nat'), filter: parseSaved(filter, 'filter'), services: parseIpvsSave(ipvs) };
  }

  protected async write(from: IpvsRules, to: IpvsRules): Promise<number> {
    // Virtual services first, so that a port is marked only once IPVS knows the mark.
    const services = ipvsDelta(from.services, to.services);
    if (services !== '') await this.must('ipvsadm-restore', [], services);
    const tables = [...tableDelta('mangle', from.mangle, to.mangle), ...tableDelta('nat', from.nat, to.nat), ...tableDelta('filter', from.filter, to.filter)];
    if (tables.length > 0) await this.must('iptables-restore', ['-w', '--noflush'], tables.join('\n') + '\n');
    return countLines(services) + tables.length;
  }

  protected async prepare(): Promise<void> {
    await this.sysctl('net.ipv4.conf.all.route_localnet', '1');
    // conntrack sees IPVS connections (for the SNAT); connections to a removed real server are dropped.
    await this.sysctl('net.ipv4.vs.conntrack', '1');
    await this.sysctl('net.ipv4.vs.expire_nodest_conn', '1');
  }
}
