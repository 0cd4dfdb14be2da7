import type Docker from 'dockerode';
import { LABEL_TASK_ID, type NetworkTable } from '@shoal/common';
import { silentLog, type WorkerLog } from '../../task-manager/timers.js';
import { conntrackDeleteArgs, conntrackPair, pairsInUse, parseConntrack, staleFlows, type StaleFlow } from '../conntrack.js';
import { nftVipDelta, nftVipRemoval, nftVipScript } from '../nft-vip.js';
import { removedPairs, vipsByTask, type VipTarget } from '../vip-plan.js';
import { ContainerNamespaces } from './container-namespaces.js';
import { ContainerStarts } from './container-starts.js';
import { NftHelper } from './nft-batch.js';
import { netnsExists, runInNetns } from './netns-exec.js';

/** A local container of a shoal task and the path of its network namespace. */
interface LocalContainer {
  containerId: string;
  taskId: string;
  nsPath: string;
}

/** A namespace to write: its new rules and what it held before (undefined: not known). */
interface Write {
  c: LocalContainer;
  script: string;
  vips: VipTarget[];
  before: Applied | undefined;
}

/** What was last written into one namespace: a cache that saves work, never needed for correctness. */
interface Applied {
  script: string;
  vips: VipTarget[];
}

export interface VipBalancerOptions {
  docker: Docker;
  log?: WorkerLog;
  /** Namespaces programmed at once (each is one or two short child processes). Default 4. */
  concurrency?: number;
}

/** What one pass did, for logs and benchmarks. */
export interface VipPassStats {
  containers: number;
  /** Namespaces written to. */
  programmed: number;
  /** (VIP, backend) pairs whose tracked flows were dropped. */
  flushedFlows: number;
  /** From the start of the pass until every namespace had its new rules. */
  rulesMs: number;
}

/** One child process: the rules, then the flows they may have orphaned. */
const NFT_THEN_LIST = ['-c', 'nft -f - && exec conntrack -L 2>/dev/null'];
/**
 * Drops the tracked flows of each (VIP, backend) pair given as arguments; `conntrack -D` exits 1
 * when a pair has none, which is not an error. Addresses are arguments, never script text.
 */
const DROP_FLOWS = ['-c', 'while [ $# -ge 2 ]; do conntrack -D -d "$1" -r "$2" >/dev/null 2>&1; shift 2; done; exit 0', 'sh'];

/** One pair: conntrack itself (its exit 1, no such flow, is fine); more: one shell for all. */
async function dropFlows(nsPath: string, flows: readonly StaleFlow[]): Promise<void> {
  if (flows.length === 1) {
    await runInNetns(nsPath, 'conntrack', conntrackDeleteArgs(flows[0]!)).catch(() => '');
    return;
  }
  await runInNetns(nsPath, 'sh', [...DROP_FLOWS, ...flows.flatMap(conntrackPair)]);
}

/**
 * VIP load balancing in each caller's own network namespace. `apply(table)` gives every local
 * container of a shoal task (Docker label io.shoal.task.id) the VIP rules of the networks it is
 * on (nftVipScript, one atomic `nft -f` per namespace that changed), then drops the tracked flows
 * of backends that stopped serving (`conntrack -D`), so no call sticks to a dead backend.
 * `containerStarted()` programs a new container's namespace from the last table; `start()` calls
 * it on Docker's start events of shoal's containers. Passes are serialized and coalesced: calls
 * during a pass are served by one more pass with the newest table.
 */
export class VipBalancer {
  private table: NetworkTable | undefined;
  private readonly applied = new Map<string, Applied>();
  private readonly namespaces: ContainerNamespaces;
  private running: Promise<unknown> = Promise.resolve();
  private queued: Promise<VipPassStats> | undefined;
  private readonly log: WorkerLog;
  private readonly concurrency: number;
  private readonly starts: ContainerStarts;
  private readonly nft = new NftHelper();

  constructor(private readonly o: VipBalancerOptions) {
    this.log = o.log ?? silentLog;
    this.namespaces = new ContainerNamespaces(o.docker);
    this.concurrency = Math.max(1, o.concurrency ?? 4);
    this.starts = new ContainerStarts(o.docker, (taskId) => {
      this.containerStarted(taskId).catch((e: Error) => this.log.warn({ taskId, error: e.message }, 'could not program VIP rules'));
    });
  }

  /** Follows Docker's start events, so that a new container gets its rules without being told. */
  start(): void {
    this.starts.start();
  }

  /** Stops following Docker's events and ends the nft helper process. */
  stop(): void {
    this.starts.stop();
    this.nft.stop();
  }

  /** Programs every local container for this table (the agent's NetworkConsumer). */
  async apply(table: NetworkTable): Promise<void> {
    await this.sync(table);
  }

  /** apply(), saying what the pass did (tests, benchmarks). */
  sync(table: NetworkTable): Promise<VipPassStats> {
    this.table = table;
    return this.kick();
  }

  /**
   * A container started (its namespace is new): program it from the last table. The container is
   * found through Docker (its label and namespace), so the task ID only goes to the log.
   */
  containerStarted(taskId?: string): Promise<VipPassStats> {
    if (!this.table) return Promise.resolve({ containers: 0, programmed: 0, flushedFlows: 0, rulesMs: 0 });
    this.log.debug({ taskId }, 'container started: programming its VIP rules');
    return this.kick();
  }

  /** Removes shoal's VIP table from every local container (swarm leave, tests). */
  async removeAll(): Promise<void> {
    this.table = undefined;
    await this.running.catch(() => {});
    const containers = await this.localContainers();
    await this.forEach(containers, async (c) => {
      await runInNetns(c.nsPath, 'nft', ['-f', '-'], nftVipRemoval()).catch(() => '');
    });
    this.applied.clear();
  }

  private kick(): Promise<VipPassStats> {
    if (this.queued) return this.queued;
    const pass = this.running.catch(() => {}).then(() => {
      this.queued = undefined;
      return this.pass();
    });
    this.queued = pass;
    this.running = pass;
    return pass;
  }

  /**
   * Two phases: first every namespace's rules (so no new call goes to a backend that went, as soon
   * as possible), then the tracked flows of the (VIP, backend) pairs that went. Namespaces whose
   * rules are known get their change from one helper process (applyNftBatch); new ones, and any
   * the helper could not write, get the whole script through nsenter and a conntrack listing.
   */
  private async pass(): Promise<VipPassStats> {
    const table = this.table;
    const stats: VipPassStats = { containers: 0, programmed: 0, flushedFlows: 0, rulesMs: 0 };
    if (!table) return stats;
    const t0 = performance.now();
    const containers = await this.localContainers();
    const plans = vipsByTask(table, containers.map((c) => c.taskId));
    const scripts = new Map<string, string>();
    const known: Write[] = [];
    const unknown: Write[] = [];
    for (const c of containers) {
      const vips = plans.get(c.taskId)?.vips ?? [];
      const key = plans.get(c.taskId)?.key ?? '';
      let script = scripts.get(key);
      if (script === undefined) scripts.set(key, (script = nftVipScript(vips)));
      const before = this.applied.get(c.nsPath);
      if (before?.script === script || (!before && vips.length === 0)) continue;
      (before ? known : unknown).push({ c, script, vips, before });
    }
    stats.containers = containers.length;
    const drops: { c: LocalContainer; flows: StaleFlow[] }[] = [];
    for (const w of await this.writeKnown(known)) {
      if (w.failed) unknown.push(w);
      else drops.push({ c: w.c, flows: w.drop });
    }
    const errors: Error[] = [];
    await this.forEach(unknown, async (w) => {
      try {
        drops.push({ c: w.c, flows: await this.programUnknown(w.c, w.script, w.vips) });
      } catch (e) {
        this.applied.delete(w.c.nsPath);
        if (await netnsExists(w.c.nsPath)) errors.push(e as Error);
      }
    });
    stats.programmed = drops.length;
    stats.rulesMs = Math.round(performance.now() - t0);
    await this.forEach(drops, async ({ c, flows }) => {
      stats.flushedFlows += flows.length;
      if (flows.length > 0) await dropFlows(c.nsPath, flows).catch(() => {}); // the namespace went meanwhile
    });
    const live = new Set(containers.map((c) => c.nsPath));
    for (const ns of this.applied.keys()) if (!live.has(ns)) this.applied.delete(ns);
    if (errors.length > 0) throw new Error(`VIP rules failed in ${errors.length} container(s): ${errors[0]!.message}`);
    return stats;
  }

  /**
   * The change for namespaces whose rules we know (nftVipDelta when only backends moved), all from
   * one helper process, or one `nsenter nft` each where the helper cannot run. A failed write
   * means the namespace is not what we thought: it is marked `failed` and written whole.
   */
  private async writeKnown(writes: Write[]): Promise<(Write & { failed: boolean; drop: StaleFlow[] })[]> {
    const input = (w: Write) => nftVipDelta(w.before!.vips, w.vips) ?? w.script;
    const removed = new Map(writes.map((w) => [w.c.nsPath, removedPairs(w.before!.vips, w.vips)]));
    const jobs = writes.map((w) => ({ nsPath: w.c.nsPath, script: input(w), readFlows: removed.get(w.c.nsPath)!.length > 0 }));
    const batch = await this.nft.run(jobs);
    const out: (Write & { failed: boolean; drop: StaleFlow[] })[] = [];
    await this.forEach(writes, async (w) => {
      let drop = removed.get(w.c.nsPath)!;
      let failed: boolean;
      const r = batch?.get(w.c.nsPath);
      if (batch) failed = r?.error !== undefined;
      else failed = await runInNetns(w.c.nsPath, 'nft', ['-f', '-'], input(w)).then(() => false, () => true);
      // Flows read by the helper: drop only the pairs some connection still uses.
      if (r?.flows !== undefined) drop = pairsInUse(parseConntrack(r.flows), drop);
      this.applied.delete(w.c.nsPath);
      if (!failed) this.applied.set(w.c.nsPath, { script: w.script, vips: w.vips });
      out.push({ ...w, failed, drop });
    });
    return out;
  }

  /** A namespace whose rules we do not know: the whole script, then the flows it no longer allows. */
  private async programUnknown(c: LocalContainer, script: string, vips: VipTarget[]): Promise<StaleFlow[]> {
    const listing = await runInNetns(c.nsPath, 'sh', NFT_THEN_LIST, script);
    this.applied.set(c.nsPath, { script, vips });
    return staleFlows(parseConntrack(listing), vips);
  }

  /** Running containers of shoal tasks, each with its namespace path (inspected once per container). */
  private async localContainers(): Promise<LocalContainer[]> {
    const list = await this.o.docker.listContainers({ filters: { label: [LABEL_TASK_ID], status: ['running'] } });
    const out: LocalContainer[] = [];
    const seen = new Set<string>();
    for (const c of list) {
      const taskId = c.Labels[LABEL_TASK_ID];
      if (!taskId) continue;
      seen.add(c.Id);
      const nsPath = await this.namespaces.pathOf(c.Id);
      if (nsPath) out.push({ containerId: c.Id, taskId, nsPath });
    }
    this.namespaces.keepOnly(seen);
    return out;
  }



  private async forEach<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) await fn(items[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, items.length) }, worker));
  }
}

/** Host-mode and container-mode containers do not own their namespace: never program those. */
