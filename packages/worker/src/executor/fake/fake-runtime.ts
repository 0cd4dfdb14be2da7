import { LABEL_NODE_ID, LABEL_SERVICE_ID, LABEL_TASK_ID, type NodeDescription, type Task, type TaskHealth } from '@shoal/common';
import type { ContainerStatus, Controller, ExitStatus } from '../controller.js';
import type { Executor, ManagedContainer } from '../executor.js';
import type { Timers } from '../../task-manager/timers.js';

/** An in-memory container: tests make it exit with `exit(code)`. */
export class FakeContainer {
  running = false;
  exitCode: number | undefined;
  removed = false;
  /** The healthcheck's verdict, as a test set it (FakeRuntime.setHealth). */
  health: TaskHealth | undefined;
  private waiters: ((s: ExitStatus) => void)[] = [];
  readonly healthListeners = new Set<(h: TaskHealth) => void>();

  constructor(
    readonly id: string,
    readonly name: string,
    readonly labels: Record<string, string>,
    readonly ip: string,
  ) {}

  start(): void {
    if (this.running || this.exitCode !== undefined) return;
    this.running = true;
  }

  /** Ends the container's process with this exit code. */
  exit(code: number): void {
    if (!this.running) return;
    this.running = false;
    this.exitCode = code;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w({ exitCode: code });
  }

  /** Sets the container's health and tells every watcher. */
  setHealth(health: TaskHealth): void {
    this.health = health;
    for (const l of [...this.healthListeners]) l(health);
  }

  wait(): Promise<ExitStatus> {
    if (!this.running) return Promise.resolve({ exitCode: this.exitCode ?? 0 });
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

export interface FakeRuntimeOptions {
  /** Images that "exist"; preparing a task with another image fails. Empty: every image exists. */
  images?: string[];
  /** Exit code given to containers stopped by shutdown (Docker reports 143 after SIGTERM, 137 after a kill). */
  stopExitCode?: number;
  /** A started container reports running only after this long (needs `timers`); 0 or unset: at once. */
  startDelayMs?: number;
  /** How the runtime waits for `startDelayMs` (realTimers in a composition root). */
  timers?: Timers;
  /** Tasks that fail: their container starts, then exits at once with FAIL_EXIT_CODE. */
  fail?: FailRule;
  /** Record every controller call in `calls` (tests read it; hollow nodes turn it off). Default true. */
  recordCalls?: boolean;
  /** What describe() says (hollow nodes differ in hostname and engine labels). */
  description?: Partial<Pick<NodeDescription, 'hostname' | 'engineLabels' | 'resources'>>;
}

/** Which tasks a FakeRuntime makes fail: by image name, or by a container label being present. */
export interface FailRule {
  images?: string[];
  label?: string;
}

/** The exit code of a container that a FailRule makes fail. */
export const FAIL_EXIT_CODE = 1;

/** Whether the rule makes this task fail. */
export function failsByRule(rule: FailRule | undefined, task: Task): boolean {
  if (!rule) return false;
  const c = task.spec.container;
  return (rule.images ?? []).includes(c.image) || (rule.label !== undefined && rule.label in c.labels);
}

/** An Executor whose containers live in memory, for fast tests of the task manager and worker. */
export class FakeRuntime implements Executor {
  readonly containers = new Map<string, FakeContainer>();
  /** Every controller call, as "method taskId", in order. */
  readonly calls: string[] = [];
  /** Containers by task ID (a hollow node holds hundreds: no scans). */
  private readonly byTask = new Map<string, FakeContainer>();
  private nextId = 1;

  constructor(readonly o: FakeRuntimeOptions = {}) {}

  /** How many containers this runtime has created (tasks it was given and prepared). */
  get created(): number {
    return this.nextId - 1;
  }

  /** Notes a controller call, unless recording is off. */
  record(call: string): void {
    if (this.o.recordCalls !== false) this.calls.push(call);
  }

  async describe(): Promise<NodeDescription> {
    return {
      hostname: this.o.description?.hostname ?? 'fake',
      platform: { os: 'linux', architecture: 'x86_64' },
      resources: this.o.description?.resources ?? { nanoCpus: 2e9, memoryBytes: 2 ** 31 },
      engineVersion: 'fake',
      engineLabels: { ...this.o.description?.engineLabels },
    };
  }

  controllerFor(task: Task): Controller {
    return new FakeController(this, task);
  }

  async listManagedContainers(): Promise<ManagedContainer[]> {
    return [...this.containers.values()].map((c) => ({
      containerId: c.id,
      taskId: c.labels[LABEL_TASK_ID] ?? '',
      serviceId: c.labels[LABEL_SERVICE_ID] ?? '',
      nodeId: c.labels[LABEL_NODE_ID] ?? '',
      running: c.running,
    }));
  }

  async removeContainer(containerId: string): Promise<void> {
    this.record(`removeContainer ${containerId}`);
    const c = this.containers.get(containerId);
    c?.exit(this.o.stopExitCode ?? 143);
    if (c) this.delete(c);
  }

  /** Forgets a removed container. */
  delete(c: FakeContainer): void {
    this.containers.delete(c.id);
    const taskId = c.labels[LABEL_TASK_ID];
    if (taskId !== undefined && this.byTask.get(taskId) === c) this.byTask.delete(taskId);
  }

  /** The container of a task, if it exists. */
  async pruneNetworks(): Promise<string[]> {
    return [];
  }

  containerOf(taskId: string): FakeContainer | undefined {
    return this.byTask.get(taskId);
  }

  /** Sets the health of a task's container (as Docker's healthcheck would); false if it has none. */
  setHealth(taskId: string, health: TaskHealth): boolean {
    const c = this.byTask.get(taskId);
    c?.setHealth(health);
    return c !== undefined;
  }

  /** Adds a container as if an earlier agent had created it (for adoption tests). */
  seed(taskId: string, nodeId: string, running = true): FakeContainer {
    const c = this.create(`seed.${taskId}`, { [LABEL_TASK_ID]: taskId, [LABEL_NODE_ID]: nodeId, [LABEL_SERVICE_ID]: 's' });
    if (running) c.start();
    return c;
  }

  create(name: string, labels: Record<string, string>): FakeContainer {
    const n = this.nextId++;
    const c = new FakeContainer(`c${n}`, name, labels, `10.0.0.${n}`);
    this.containers.set(c.id, c);
    const taskId = labels[LABEL_TASK_ID];
    if (taskId !== undefined) this.byTask.set(taskId, c);
    return c;
  }

  hasImage(image: string): boolean {
    return !this.o.images || this.o.images.length === 0 || this.o.images.includes(image);
  }
}

class FakeController implements Controller {
  constructor(
    private readonly rt: FakeRuntime,
    private readonly task: Task,
  ) {}

  get containerId(): string | undefined {
    return this.rt.containerOf(this.task.id)?.id;
  }

  private record(method: string): FakeContainer | undefined {
    this.rt.record(`${method} ${this.task.id}`);
    return this.rt.containerOf(this.task.id);
  }

  async prepare(): Promise<void> {
    if (this.record('prepare')) return;
    const image = this.task.spec.container.image;
    if (!this.rt.hasImage(image)) throw new Error(`No such image: ${image} (and it could not be pulled: no registry)`);
    this.rt.create(`${this.task.serviceAnnotations.name}.${this.task.slot}.${this.task.id}`, {
      [LABEL_TASK_ID]: this.task.id,
      [LABEL_SERVICE_ID]: this.task.serviceId,
      [LABEL_NODE_ID]: this.task.nodeId,
    });
  }

  async start(): Promise<void> {
    const c = this.record('start');
    if (!c) throw new Error(`No such container: ${this.task.id}`);
    const delay = this.rt.o.startDelayMs ?? 0;
    if (delay > 0 && this.rt.o.timers) await this.rt.o.timers.sleep(delay);
    c.start();
    if (failsByRule(this.rt.o.fail, this.task)) c.exit(FAIL_EXIT_CODE);
  }

  wait(): Promise<ExitStatus> {
    const c = this.record('wait');
    return c ? c.wait() : Promise.reject(new Error(`No such container: ${this.task.id}`));
  }

  async shutdown(): Promise<void> {
    this.record('shutdown')?.exit(this.rt.o.stopExitCode ?? 143);
  }

  async terminate(): Promise<void> {
    this.record('terminate')?.exit(137);
  }

  async remove(): Promise<void> {
    const c = this.record('remove');
    c?.exit(137);
    if (c) this.rt.delete(c);
  }

  watchHealth(listener: (health: TaskHealth) => void): () => void {
    const c = this.record('watchHealth');
    if (!c) return () => {};
    c.healthListeners.add(listener);
    if (c.health) listener(c.health);
    return () => c.healthListeners.delete(listener);
  }

  async inspect(): Promise<ContainerStatus | undefined> {
    const c = this.record('inspect');
    if (!c) return undefined;
    const status: ContainerStatus = { containerId: c.id, running: c.running, networks: { bridge: c.ip } };
    if (c.exitCode !== undefined) status.exitCode = c.exitCode;
    return status;
  }
}
