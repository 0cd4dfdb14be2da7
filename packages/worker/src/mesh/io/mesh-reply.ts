import type Docker from 'dockerode';
import { addressOf, LABEL_TASK_ID, type NetworkTable, type NodeNetwork, type Task } from '@shoal/common';
import { silentLog, type WorkerLog } from '../../task-manager/timers.js';
import { ContainerNamespaces } from '../../vip/io/container-namespaces.js';
import { NftHelper } from '../../vip/io/nft-batch.js';
import { netnsExists } from '../../vip/io/netns-exec.js';
import type { MeshTarget } from '../namespace-plan.js';
import { MAX_MESH_NODES, meshNodes, meshNodesDelta, type MeshNode } from '../reply-rules.js';
import { clearNamespace, programNamespace } from './namespace-io.js';

export interface MeshReplyOptions {
  docker: Docker;
  /** From probeMeshReply(): in 'snat' mode the task side is not programmed at all. */
  clientAddress: 'preserved' | 'snat';
  log?: WorkerLog;
  /** Namespaces programmed at once. Default 4. */
  concurrency?: number;
}

/** A local running container on the ingress network. */
interface Local {
  containerId: string;
  nsPath: string;
  address: string;
}

/** What a namespace was last given: a cache that saves work (restart: everything is written again). */
interface Applied {
  /** Address, subnet, gateway: a change of any rewrites the namespace whole. */
  key: string;
  nodes: MeshNode[];
}

/** Bound on the containers one pass programs (a node runs fewer; beyond it the rest waits, with a warning). */
export const MAX_MESH_CONTAINERS = 2_000;

const targetKey = (t: MeshTarget) => `${t.address} ${t.subnet} ${t.gateway}`;

/** The ingress network of a table, if it has one. */
export function ingressNetwork(table: NetworkTable | undefined): NodeNetwork | undefined {
  return table?.networks.find((n) => n.ingress === true);
}

/**
 * The routing mesh's reply path in each local task namespace (mesh/README.md). A NetworkConsumer:
 * every table programs the running containers on the ingress network that it has not programmed
 * yet (whole: read, plan, write) and patches only the map elements of the others when the
 * ingress network's nodes changed. `afterStart` programs one new container before its task
 * reports RUNNING. Passes run one at a time; tables arriving meanwhile share the next pass.
 */
export class MeshReply {
  private table: NetworkTable | undefined;
  private readonly applied = new Map<string, Applied>();
  private readonly namespaces: ContainerNamespaces;
  private chain: Promise<unknown> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private readonly log: WorkerLog;
  private readonly nft = new NftHelper();

  constructor(private readonly o: MeshReplyOptions) {
    this.log = o.log ?? silentLog;
    this.namespaces = new ContainerNamespaces(o.docker);
  }

  get mode(): 'preserved' | 'snat' {
    return this.o.clientAddress;
  }

  async apply(table: NetworkTable): Promise<void> {
    this.table = table;
    if (this.o.clientAddress === 'snat') return;
    if (this.queued) return this.queued;
    const p = this.serial(() => {
      this.queued = undefined;
      return this.pass();
    });
    this.queued = p;
    return p;
  }

  /**
   * A task's container just started (DockerController.start): program its namespace before the
   * task reports RUNNING. Nothing to do when the task is not on the ingress network (or no table
   * has said which one it is yet: the next table's pass programs it). Rejects with one line.
   */
  afterStart(containerId: string, task: Task): Promise<void> {
    const net = ingressNetwork(this.table);
    const a = net && task.networks?.find((x) => x.networkId === net.id);
    if (this.o.clientAddress === 'snat' || !net || !a) return Promise.resolve();
    return this.serial(async () => {
      const nsPath = await this.namespaces.pathOf(containerId);
      if (!nsPath) throw new Error(`container ${containerId.slice(0, 12)} has no network namespace of its own`);
      const t = this.target(net, addressOf(a.address));
      try {
        await this.program({ containerId, nsPath, address: t.address }, t);
      } catch (e) {
        throw new Error(`could not program the routing mesh's reply path in container ${containerId.slice(0, 12)}: ${(e as Error).message}`);
      }
    });
  }

  /** Takes the reply path out of every local container that has it (swarm leave). */
  async removeAll(): Promise<void> {
    this.table = undefined;
    await this.serial(async () => {
      for (const nsPath of this.applied.keys()) await clearNamespace(nsPath).catch(() => undefined);
      this.applied.clear();
    });
  }

  /** Ends the nft helper process. */
  stop(): void {
    this.nft.stop();
  }

  private target(net: NodeNetwork, address: string): MeshTarget {
    const nodes = net.nodes ?? [];
    if (nodes.length > MAX_MESH_NODES) this.log.warn({ nodes: nodes.length }, `the ingress network lists more than ${MAX_MESH_NODES} nodes: the rest get no reply path`);
    return { address, subnet: net.allocation.subnet, gateway: net.allocation.gateway, nodes: meshNodes(nodes) };
  }

  private async program(c: Local, t: MeshTarget): Promise<void> {
    this.applied.delete(c.nsPath);
    const ifname = await programNamespace(c.nsPath, t);
    this.applied.set(c.nsPath, { key: targetKey(t), nodes: t.nodes });
    this.log.debug({ containerId: c.containerId, ifname, nodes: t.nodes.length }, 'routing mesh reply path programmed');
  }

  /** Every running container on the ingress network: element deltas where known, whole otherwise. */
  private async pass(): Promise<void> {
    const net = ingressNetwork(this.table);
    if (!net) return;
    const locals = await this.localContainers(net.name);
    const deltas: { c: Local; t: MeshTarget; script: string }[] = [];
    const whole: { c: Local; t: MeshTarget }[] = [];
    for (const c of locals) {
      const t = this.target(net, c.address);
      const before = this.applied.get(c.nsPath);
      if (!before || before.key !== targetKey(t)) whole.push({ c, t });
      else {
        const script = meshNodesDelta(before.nodes, t.nodes);
        if (script !== '') deltas.push({ c, t, script });
      }
    }
    const results = await this.nft.run(deltas.map((d) => ({ nsPath: d.c.nsPath, script: d.script })));
    for (const d of deltas) {
      const r = results?.get(d.c.nsPath);
      if (r && r.error === undefined) this.applied.set(d.c.nsPath, { key: targetKey(d.t), nodes: d.t.nodes });
      else whole.push(d); // no helper here, or the namespace is not what we thought: write it whole
    }
    const errors: string[] = [];
    await this.forEach(whole, async ({ c, t }) => {
      await this.program(c, t).catch(async (e: Error) => {
        if (await netnsExists(c.nsPath)) errors.push(`${c.containerId.slice(0, 12)}: ${e.message}`);
      });
    });
    const live = new Set(locals.map((c) => c.nsPath));
    for (const ns of this.applied.keys()) if (!live.has(ns)) this.applied.delete(ns);
    if (errors.length > 0) throw new Error(`routing mesh reply path failed in ${errors.length} container(s), first: ${errors[0]}`);
  }

  /** Running containers of shoal tasks that have an address on the ingress network's Docker network. */
  private async localContainers(networkName: string): Promise<Local[]> {
    const list = await this.o.docker.listContainers({ filters: { label: [LABEL_TASK_ID], status: ['running'], network: [networkName] } });
    const out: Local[] = [];
    const seen = new Set<string>();
    for (const c of list) {
      const address = c.NetworkSettings?.Networks?.[networkName]?.IPAddress ?? '';
      seen.add(c.Id);
      if (address === '' || out.length >= MAX_MESH_CONTAINERS) continue;
      const nsPath = await this.namespaces.pathOf(c.Id);
      if (nsPath) out.push({ containerId: c.Id, nsPath, address });
    }
    if (list.length > MAX_MESH_CONTAINERS) this.log.warn({ containers: list.length }, `more than ${MAX_MESH_CONTAINERS} containers on the ingress network: the rest wait for the next pass`);
    this.namespaces.keepOnly(seen);
    return out;
  }



  private serial<T>(op: () => Promise<T>): Promise<T> {
    const p = this.chain.then(op, op);
    this.chain = p.catch(() => undefined);
    return p;
  }

  private async forEach<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) await fn(items[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(Math.max(1, this.o.concurrency ?? 4), items.length) }, worker));
  }
}
