import { forwardRules, parseSaved, type TableRules } from '../iptables-rules.js';
import { tableDelta } from '../iptables-delta.js';
import type { MeshState } from '../mesh-state.js';
import { NFT_TABLE, nftDelta, nftRules, parseNftTable, type NftRules } from '../nft-rules.js';
import { NftHelper } from '../../vip/io/nft-batch.js';
import { countLines, MeshProgrammer, type MeshProgrammerOptions } from './mesh-programmer.js';

export interface NftablesBackendOptions extends MeshProgrammerOptions {
  /**
   * Writes go through the VIP balancer's long-lived libnftables helper (NftHelper), into this
   * network namespace (shoald: /proc/self/ns/net), instead of an `nft` process each: a change then
   * costs no process start. Without it, or where the helper cannot run, `nft -f -` through `run`.
   */
  nftNetns?: string;
}

interface NftBackendRules {
  nft: NftRules;
  /** iptables' SHOAL-FORWARD; undefined where iptables is absent (no Docker FORWARD policy to pass). */
  filter: TableRules | undefined;
}

const noFilter = (): TableRules => ({ chains: new Map(), jumps: [] });

/**
 * The nftables backend: one table `ip shoal_ingress`, a verdict map from (protocol, port) to a
 * chain per port; a change is one `nft -f -` transaction of one element and one chain. The
 * FORWARD accept stays in iptables (SHOAL-FORWARD), where Docker's DROP policy is.
 */
export class NftablesBackend extends MeshProgrammer<NftBackendRules> {
  readonly name = 'nftables' as const;
  private iptables: boolean | undefined;
  private readonly helper: { nft: NftHelper; netns: string } | undefined;

  constructor(o: NftablesBackendOptions = {}) {
    super(o);
    this.helper = o.nftNetns ? { nft: new NftHelper(), netns: o.nftNetns } : undefined;
  }

  /** Stops the helper process, if one was started (it also ends with shoald: its stdin closes). */
  override close(): void {
    this.helper?.nft.stop();
  }

  private async nft(script: string): Promise<void> {
    const results = await this.helper?.nft.run([{ nsPath: this.helper.netns, script }]);
    const result = results?.get(this.helper!.netns);
    if (!result) await this.must('nft', ['-f', '-'], script);
    else if (result.error !== undefined) throw new Error(`nft -f - failed: ${result.error}`);
  }

  protected render(state: MeshState | undefined, keys?: readonly string[]): NftBackendRules {
    return { nft: nftRules(state, keys), filter: state ? forwardRules() : noFilter() };
  }

  protected async read(): Promise<NftBackendRules> {
    const listed = await this.run('nft', ['list', 'table', 'ip', NFT_TABLE]);
    const saved = await this.run('iptables-save', ['-t', 'filter']);
    this.iptables = saved.code === 0;
    return { nft: parseNftTable(listed.code === 0 ? listed.stdout : ''), filter: this.iptables ? parseSaved(saved.stdout, 'filter') : undefined };
  }

  protected async write(from: NftBackendRules, to: NftBackendRules): Promise<number> {
    const script = nftDelta(from.nft, to.nft);
    if (script !== '') await this.nft(script);
    const filter = from.filter && to.filter && this.iptables ? tableDelta('filter', from.filter, to.filter) : [];
    if (filter.length > 0) await this.must('iptables-restore', ['-w', '--noflush'], filter.join('\n') + '\n');
    return countLines(script) + filter.length;
  }

  protected async prepare(): Promise<void> {
    await this.sysctl('net.ipv4.conf.all.route_localnet', '1');
  }
}
