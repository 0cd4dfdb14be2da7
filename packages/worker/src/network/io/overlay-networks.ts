import type Docker from 'dockerode';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NetworkTable, Task, TaskNetworkAttachment } from '@shoal/common';
import { batchLines, type NetworkAction } from '../actions.js';
import { desiredNetworks, MAX_NETWORKS_PER_NODE, MAX_PEERS_PER_NETWORK, type DataPathOptions, type NetworkFacts } from '../desired.js';
import { hostOf } from '../names.js';
import { planNetworks, planRemoveAll, type NetworkPlan } from '../plan.js';
import { resolvConfText } from '../resolv-conf.js';
import { runBatch, runCommand, type CommandRunner } from './commands.js';
import { createDockerNetwork, listNetworkContainers, removeDockerNetwork, type NetworkContainer } from './docker-networks.js';
import { readNode, readUnderlayMtu } from './read-node.js';

export interface DataPathLog {
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
  debug(o: object, msg?: string): void;
}

/**
 * Hooks of other parts (the encrypting relay's `hooks()` spreads into these): where a peer's
 * datagrams go, the device's port, the encapsulation overhead, and commands to run on a VXLAN
 * device right after it is created (e.g. `ethtool -K DEV tx off`).
 */
export interface OverlayNetworksOptions extends Pick<DataPathOptions, 'peerUnderlay' | 'vxlanPort' | 'overheadBytes'> {
  deviceSetup?: (network: NetworkFacts, dev: string) => string[][];
  /** Run after a task's container started, before it reports RUNNING (the mesh's reply path: MeshReply.afterStart). */
  afterStart?: (containerId: string, task: Task) => Promise<void>;
  docker: Docker;
  /** The node's advertise address (`host` or `host:port`): the VXLAN devices' local address. */
  underlay: string;
  /** Where the containers' resolv.conf files are written (under shoald's data dir). */
  resolvDir: string;
  /** Runs `ip`/`bridge`; tests run them inside a netns host. */
  run?: CommandRunner;
  log?: DataPathLog;
}

const quiet: DataPathLog = { info: () => {}, warn: () => {}, debug: () => {} };
/** Docker's answers when a network is gone or still in use: the next pass sees the truth. */
const TOLERATED_REMOVE_CODES = new Set([403, 404, 409]);

/**
 * The overlay data path of one node (DESIGN §7): reads what Docker and the kernel have, plans
 * against the last NetworkTable (and the networks of tasks being prepared), and applies the plan.
 * It keeps nothing a restart would lose: the table comes again from the manager, and everything
 * else is read back from the node each time. Passes run one at a time.
 */
export class OverlayNetworks {
  private table: NetworkTable | undefined;
  private readonly pinned = new Map<string, { attachment: TaskNetworkAttachment; holders: number }>();
  private chain: Promise<unknown> = Promise.resolve();
  private queued: Promise<string[]> | undefined;
  private readonly ensuring = new Map<string, Promise<void>>();
  private readonly run: CommandRunner;
  private readonly log: DataPathLog;
  private readonly underlay: string;
  /**
   * The last full pass wanted nothing and found nothing of shoal's on the node (no Docker network,
   * VXLAN device or bridge), and nothing changed since: a periodic pass need not read the node
   * (five `ip`/`bridge` processes and two Docker calls every 5 s on every node without overlays).
   */
  private idle = false;
  /** Counts the changes (a table, a task's network) that end idleness. */
  private changes = 0;

  constructor(private readonly o: OverlayNetworksOptions) {
    this.run = o.run ?? runCommand;
    this.log = o.log ?? quiet;
    this.underlay = hostOf(o.underlay);
  }

  /**
   * A new table from the manager (a networkConsumer of the agent): reconcile against it. Rejects
   * when a change failed (the agent offers the table again); an empty table takes down every
   * overlay network no container names (swarm leave).
   */
  async apply(table: NetworkTable): Promise<void> {
    this.table = table;
    this.changed();
    const errors = await this.pass();
    if (errors.length > 0) throw new Error(`overlay networks: ${errors.length} change(s) failed, first: ${errors[0]}`);
  }

  /** Another pass against the last table (periodically: networks whose last container went). Logs what failed. */
  async reconcile(): Promise<void> {
    if (this.idle) return;
    const errors = await this.pass();
    if (errors.length > 0) this.log.warn({ errors: errors.slice(0, 10), count: errors.length }, 'overlay networks: some changes failed; the next pass retries');
  }

  /** One read-diff-apply pass against the last table; passes asked for while one waits share it. Resolves with the errors. */
  private pass(): Promise<string[]> {
    if (this.queued) return this.queued;
    const p = this.serial(async () => {
      this.queued = undefined;
      const table = this.table;
      if (!table) return [];
      const changes = this.changes;
      if (table.networks.length > MAX_NETWORKS_PER_NODE || table.networks.some((n) => n.endpoints.length > MAX_PEERS_PER_NETWORK)) {
        this.log.warn({}, `the network table is beyond this node's limits (${MAX_NETWORKS_PER_NODE} networks, ${MAX_PEERS_PER_NETWORK} endpoints a network): the rest is not programmed`);
      }
      const pinned = [...this.pinned.values()].map((h) => h.attachment);
      try {
        const { plan, bare } = await this.plan((o) => desiredNetworks(table, pinned, o), true);
        const errors = await this.execute(plan);
        this.idle = bare && errors.length === 0 && plan.actions.length === 0 && changes === this.changes;
        return errors;
      } catch (e) {
        return [(e as Error).message];
      }
    });
    this.queued = p;
    return p;
  }

  /**
   * Makes sure a task's network exists on this node before its container is created (the task
   * carries all it needs, so it never waits for a table). The network is held against removal
   * until `release`; by then the container names it, which holds it from then on.
   */
  ensure(a: TaskNetworkAttachment): Promise<void> {
    this.changed();
    const held = this.pinned.get(a.networkId);
    this.pinned.set(a.networkId, { attachment: a, holders: (held?.holders ?? 0) + 1 });
    // Tasks of one service starting together share one pass for their network.
    const waiting = this.ensuring.get(a.networkId);
    if (waiting) return waiting;
    const p = this.serial(async () => {
      this.ensuring.delete(a.networkId);
      const only = (o: DataPathOptions) => desiredNetworks(this.table, [a], o).filter((d) => d.id === a.networkId);
      const errors = await this.execute((await this.plan(only, false)).plan);
      if (errors.length > 0) throw new Error(`could not set up network ${a.name} on this node: ${errors[0]}`);
    });
    this.ensuring.set(a.networkId, p);
    return p;
  }

  release(networkId: string): void {
    const held = this.pinned.get(networkId);
    if (!held) return;
    if (held.holders <= 1) this.pinned.delete(networkId);
    else held.holders -= 1;
  }

  /** The resolv.conf a task's containers get (bind-mounted read-only): the path of the file. */
  async resolvConf(a: TaskNetworkAttachment): Promise<string> {
    const path = join(this.o.resolvDir, `${a.allocation.gateway}.conf`);
    const text = resolvConfText(a.allocation.gateway);
    const current = await readFile(path, 'utf8').catch(() => undefined);
    if (current === text) return path;
    await mkdir(this.o.resolvDir, { recursive: true });
    await writeFile(`${path}.tmp`, text);
    await rename(`${path}.tmp`, path);
    return path;
  }

  /** Removes every shoal Docker network, VXLAN device, bridge and entry on the node (swarm leave). */
  removeAll(): Promise<void> {
    return this.serial(async () => {
      this.table = undefined;
      this.pinned.clear();
      this.changed();
      const obs = await readNode(this.o.docker, this.run, new Set());
      const errors = await this.execute(planRemoveAll(obs));
      await rm(this.o.resolvDir, { recursive: true, force: true });
      if (errors.length > 0) throw new Error(`could not remove every overlay network: ${errors[0]}`);
    });
  }

  /** The `afterStart` hook of the options (OverlayAttacher): nothing when none is given. */
  async afterStart(containerId: string, task: Task): Promise<void> {
    await this.o.afterStart?.(containerId, task);
  }

  /** Running containers on a network with their PIDs (for rules programmed in their namespaces). */
  containersOn(networkName: string): Promise<NetworkContainer[]> {
    return listNetworkContainers(this.o.docker, networkName);
  }

  private changed(): void {
    this.changes++;
    this.idle = false;
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const p = this.chain.then(op, op);
    this.chain = p.catch(() => undefined);
    return p;
  }

  /** The plan, and whether nothing was wanted and nothing of shoal's was found (`bare`). */
  private async plan(desiredFor: (o: DataPathOptions) => ReturnType<typeof desiredNetworks>, removeStale: boolean): Promise<{ plan: NetworkPlan; bare: boolean }> {
    const underlay = await readUnderlayMtu(this.run, this.underlay);
    if (underlay.note) this.log.debug({}, underlay.note);
    const { peerUnderlay, vxlanPort, overheadBytes } = this.o;
    const desired = desiredFor({ underlay: this.underlay, underlayMtu: underlay.mtu, peerUnderlay, vxlanPort, overheadBytes });
    const obs = await readNode(this.o.docker, this.run, new Set(desired.map((d) => d.name)));
    const plan = planNetworks(desired, obs, { removeStale });
    for (const note of plan.notes) this.log.warn({}, note);
    const bare = desired.length === 0 && obs.dockerNetworks.length === 0 && obs.vxlans.length === 0 && obs.bridges.length === 0;
    return { plan, bare };
  }

  /** Docker changes one by one, then links, fdb and neighbour entries in one batch each. Returns the errors. */
  private async execute(plan: NetworkPlan): Promise<string[]> {
    if (plan.actions.length === 0) return [];
    const errors: string[] = [];
    for (const a of plan.actions) await this.dockerAction(a, errors);
    const lines = batchLines(plan.actions);
    errors.push(...(await runBatch(this.run, 'ip', lines.links)));
    errors.push(...(await this.setUpDevices(plan.actions)));
    errors.push(...(await runBatch(this.run, 'bridge', lines.fdb)));
    errors.push(...(await runBatch(this.run, 'ip', lines.neigh)));
    this.log.debug({ actions: plan.actions.length, errors: errors.length }, 'overlay networks: plan applied');
    return errors;
  }

  /** The `deviceSetup` hook's commands for each VXLAN device this plan created. */
  private async setUpDevices(actions: readonly NetworkAction[]): Promise<string[]> {
    const errors: string[] = [];
    for (const a of actions) {
      if (a.kind !== 'create-vxlan' || !this.o.deviceSetup) continue;
      const facts: NetworkFacts = { id: a.network.id, name: a.network.name, allocation: { subnet: a.network.subnet, gateway: a.network.gateway, vxlanId: a.network.vni }, internal: a.network.internal, attachable: a.network.attachable, driverOpts: a.network.driverOpts };
      for (const [cmd, ...args] of this.o.deviceSetup(facts, a.network.vxlan)) {
        const r = await this.run(cmd!, args);
        if (r.code !== 0) errors.push(`${cmd} ${args.join(' ')}: ${r.stderr.trim() || `exit ${r.code}`}`);
      }
    }
    return errors;
  }

  private async dockerAction(a: NetworkAction, errors: string[]): Promise<void> {
    if (a.kind === 'create-docker-network') {
      try {
        await createDockerNetwork(this.o.docker, a.network);
        this.log.info({ network: a.network.name, subnet: a.network.subnet, mtu: a.network.mtu }, 'overlay network created on this node');
      } catch (e) {
        errors.push(`create Docker network ${a.network.name}: ${(e as Error).message}`);
      }
    } else if (a.kind === 'remove-docker-network') {
      try {
        await removeDockerNetwork(this.o.docker, a.dockerId);
        this.log.info({ network: a.name }, 'overlay network removed from this node');
      } catch (e) {
        const code = (e as { statusCode?: number }).statusCode;
        if (code === undefined || !TOLERATED_REMOVE_CODES.has(code)) errors.push(`remove Docker network ${a.name}: ${(e as Error).message}`);
      }
    }
  }
}
