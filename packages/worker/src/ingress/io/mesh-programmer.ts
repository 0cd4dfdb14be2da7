import type { IngressBackendName, IngressTable } from '@shoal/common';
import { runCommand, type CommandRunner } from '../../network/io/commands.js';
import { changedPortKeys, conntrackDeleteArgs, departedBackends, meshState, sameFrame, type ClientAddressMode, type DepartedBackend, type MeshState } from '../mesh-state.js';
import { staleMeshFlows } from '../stale-flows.js';

/**
 * Backends whose connections one apply deletes (one `conntrack -D` each); beyond it (a mesh
 * turned off, a large service removed), connections left behind time out or are refused.
 */
const MAX_CONNTRACK_DELETES = 256;

/** What one apply did: lines of rule input written, conntrack deletions run, entries refused. */
export interface ApplyStats {
  scriptLines: number;
  conntrackDeletes: number;
  rejected: string[];
}

/** The routing mesh's rule programmer (the agent's IngressProgrammer), one per backend. */
export interface IngressBackend {
  readonly name: IngressBackendName;
  /** Makes the kernel match `table`: the first call reads what is programmed and fixes the difference. */
  apply(table: IngressTable): Promise<ApplyStats>;
  /** Reads what is programmed and fixes the difference, whatever this process believes (start, after a failure). */
  reconcile(table: IngressTable): Promise<ApplyStats>;
  /** Removes every rule of the mesh (swarm leave). */
  removeAll(): Promise<void>;
  /** Ends what the backend keeps running (the nftables helper); rules stay. */
  close(): void;
}

export interface MeshProgrammerOptions {
  /** Runs host tools; tests run them in a netns host. Default: on this host. */
  run?: CommandRunner;
  /** Whether forwarded connections keep the client's address (probeMeshReply); default 'preserved'. */
  clientAddress?: ClientAddressMode;
}

/**
 * What is common to the three backends: calls run one at a time; the first apply (and any after
 * a failed write) reads the kernel's state and writes the difference; later ones render only
 * the ports that changed against the last state written (O(change)); connections to backends
 * that left are deleted from conntrack. A subclass reads, renders and writes its own rules.
 */
export abstract class MeshProgrammer<R> implements IngressBackend {
  abstract readonly name: IngressBackendName;
  protected readonly run: CommandRunner;
  readonly clientAddress: ClientAddressMode;
  private queue: Promise<unknown> = Promise.resolve();
  /** The state last written; undefined before the first successful write (read the kernel then). */
  private last: { state: MeshState | undefined } | undefined;
  private prepared = false;

  constructor(o: MeshProgrammerOptions = {}) {
    this.run = o.run ?? runCommand;
    this.clientAddress = o.clientAddress ?? 'preserved';
  }

  protected abstract render(state: MeshState | undefined, keys?: readonly string[]): R;
  protected abstract read(): Promise<R>;
  /** Writes what takes `from` to `to`; returns the number of lines of input it wrote. */
  protected abstract write(from: R, to: R): Promise<number>;
  /** Host settings the rules need (route_localnet, ...); called once the mesh is on. */
  protected abstract prepare(): Promise<void>;

  close(): void {}

  apply(table: IngressTable): Promise<ApplyStats> {
    return this.enqueue(() => this.applyNow(table, false));
  }

  reconcile(table: IngressTable): Promise<ApplyStats> {
    return this.enqueue(() => this.applyNow(table, true));
  }

  removeAll(): Promise<void> {
    return this.enqueue(async () => {
      this.last = undefined;
      await this.write(await this.read(), this.render(undefined));
    });
  }

  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op);
    this.queue = next.catch(() => {});
    return next;
  }

  private async applyNow(table: IngressTable, fromKernel: boolean): Promise<ApplyStats> {
    const { state, rejected } = meshState(table, this.clientAddress);
    const last = fromKernel ? undefined : this.last;
    if (state && !this.prepared) {
      await this.prepare();
      this.prepared = true;
    }
    let lines: number;
    const keys = last && sameFrame(last.state, state) ? changedPortKeys(last.state, state) : undefined;
    try {
      if (!last) lines = await this.write(await this.read(), this.render(state));
      else lines = keys?.length === 0 ? 0 : await this.write(this.render(last.state, keys), this.render(state, keys));
    } catch (e) {
      this.last = undefined; // the kernel may hold part of it: read it next time
      throw e;
    }
    this.last = { state };
    // A backend with no connection left makes conntrack exit 1: nothing to report.
    const departed = last ? departedBackends(last.state, state, keys).slice(0, MAX_CONNTRACK_DELETES) : await this.staleAfterRestart(state);
    for (const d of departed) await this.run('conntrack', conntrackDeleteArgs(d));
    return { scriptLines: lines, conntrackDeletes: departed.length, rejected };
  }

  /** Read from the kernel: flows to backends that left while no one was watching (none where conntrack cannot list). */
  private async staleAfterRestart(state: MeshState | undefined): Promise<DepartedBackend[]> {
    if (!state || state.ports.size === 0) return [];
    const listed = await this.run('conntrack', ['-L']);
    return listed.code === 0 ? staleMeshFlows(listed.stdout, state, MAX_CONNTRACK_DELETES) : [];
  }

  /** Runs a tool that must succeed; throws its first line of stderr. */
  protected async must(cmd: string, args: string[], input?: string): Promise<string> {
    const r = await this.run(cmd, args, input);
    if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.trim().split('\n')[0] || `exit ${r.code}`}`);
    return r.stdout;
  }

  protected async sysctl(key: string, value: string): Promise<void> {
    await this.must('sysctl', ['-q', '-w', `${key}=${value}`]);
  }
}

export const countLines = (script: string): number => (script === '' ? 0 : script.split('\n').length - 1);
