import { addressOf, type Network, type Node, type Service, type Task } from '@shoal/common';
import { parseAddress } from './ipv4.js';

/** What the allocator reads to know which addresses of a network are held. */
export interface HeldSource {
  /** Tasks holding an address on the network (the store's `tasks/network` index). */
  tasksOn(networkId: string): readonly Task[];
  /** Services with a VIP on the network (the store's `services/vipNetwork` index). */
  servicesOn(networkId: string): readonly Service[];
  /** Nodes with their own address on the network (the ingress network: the `nodes/ingressNetwork` index). */
  nodesOn?(networkId: string): readonly Node[];
}

/**
 * The addresses of each network that tasks, VIPs and nodes (ingress) hold, loaded once per network per pass and
 * then kept up to date by the pass itself as it hands addresses out.
 */
export class UsedAddresses {
  private readonly used = new Map<string, Set<number>>();

  constructor(private readonly source: HeldSource) {}

  of(networkId: string): Set<number> {
    let set = this.used.get(networkId);
    if (set) return set;
    set = new Set<number>();
    const add = (address: string) => {
      const n = parseAddress(addressOf(address));
      if (n !== undefined) set!.add(n);
    };
    for (const t of this.source.tasksOn(networkId)) for (const a of t.networks ?? []) if (a.networkId === networkId) add(a.address);
    for (const s of this.source.servicesOn(networkId)) for (const v of s.endpoint?.virtualIps ?? []) if (v.networkId === networkId) add(v.address);
    for (const n of this.source.nodesOn?.(networkId) ?? []) if (n.ingress?.networkId === networkId) add(n.ingress.address);
    this.used.set(networkId, set);
    return set;
  }

  /** The highest address held on the network: where handing out goes on from, by default. */
  highest(networkId: string): number | undefined {
    let max: number | undefined;
    for (const a of this.of(networkId)) if (max === undefined || a > max) max = a;
    return max;
  }
}

/** A network's id and allocation by name or id, as a service names it (`spec.task.networks[].target`). */
export type NetworkLookup = (target: string) => Network | undefined;
