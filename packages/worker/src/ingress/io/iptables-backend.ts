import { iptablesRules, parseSaved, type IptablesRules } from '../iptables-rules.js';
import { iptablesDelta } from '../iptables-delta.js';
import type { MeshState } from '../mesh-state.js';
import { countLines, MeshProgrammer, type MeshProgrammerOptions } from './mesh-programmer.js';

/**
 * The iptables backend: nat SHOAL-* chains with `statistic` spreading, every change one
 * `iptables-restore --noflush` (atomic per table) holding only the chains that changed.
 */
export class IptablesBackend extends MeshProgrammer<IptablesRules> {
  readonly name = 'iptables' as const;

  constructor(o: MeshProgrammerOptions = {}) {
    super(o);
  }

  protected render(state: MeshState | undefined, keys?: readonly string[]): IptablesRules {
    return iptablesRules(state, keys);
  }

  protected async read(): Promise<IptablesRules> {
    const [nat, filter] = await Promise.all([this.must('iptables-save', ['-t', 'nat']), this.must('iptables-save', ['-t', 'filter'])]);
    return { nat: parseSaved(nat, 'nat'), filter: parseSaved(filter, 'filter') };
  }

  protected async write(from: IptablesRules, to: IptablesRules): Promise<number> {
    const input = iptablesDelta(from, to);
    if (input !== '') await this.must('iptables-restore', ['-w', '--noflush'], input);
    return countLines(input);
  }

  protected async prepare(): Promise<void> {
    // Loopback clients: packets from 127.0.0.1 may be routed out once DNATed (then SNATed).
    await this.sysctl('net.ipv4.conf.all.route_localnet', '1');
  }
}
