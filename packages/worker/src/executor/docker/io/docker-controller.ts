import type Docker from 'dockerode';
import type { Task, TaskHealth } from '@shoal/common';
import type { ContainerStatus, Controller, ExitStatus } from '../../controller.js';
import { containerName, createContainerBody, overlayEndpoint } from '../container-config.js';
import type { OverlayAttacher } from '../overlay-attacher.js';
import { dockerMessage, ignoring, statusCodeOf } from './docker-errors.js';
import type { DockerHealthEvents } from './health-events.js';
import { ensureImage } from './image.js';
import { connectNetwork, ensureNetwork } from './network.js';

/** Runs one task's container through the Docker Engine API. */
export class DockerController implements Controller {
  containerId: string | undefined;
  private readonly name: string;

  constructor(
    private readonly docker: Docker,
    private readonly task: Task,
    private readonly overlay?: OverlayAttacher,
    private readonly health?: DockerHealthEvents,
  ) {
    this.name = containerName(task);
  }

  /** The container by id once known, else by its (unique) name. */
  private container(): Docker.Container {
    return this.docker.getContainer(this.containerId ?? this.name);
  }

  private async inspectRaw(): Promise<Docker.ContainerInspectInfo | undefined> {
    try {
      const info = await this.container().inspect();
      this.containerId = info.Id;
      return info;
    } catch (err) {
      if (statusCodeOf(err) === 404) return undefined;
      throw err;
    }
  }

  async prepare(): Promise<void> {
    try {
      await this.createContainer();
    } catch (err) {
      throw new Error(dockerMessage(err));
    }
  }

  /**
   * One Engine call in the common case (create), as `docker run` does: a missing image (404) is
   * pulled and the create tried again; a container that already has this task's name (409: an
   * earlier agent created it) is adopted. Overlay networks are built first (held until the
   * container names them) and the other networks joined by connect before start.
   */
  private async createContainer(): Promise<void> {
    const overlays = this.task.networks ?? [];
    if (overlays.length === 0) return this.createOn(undefined);
    const overlay = this.overlay;
    if (!overlay) throw new Error(`task ${this.task.id} is on overlay networks but this node runs no overlay data path`);
    try {
      for (const a of overlays) await overlay.ensure(a);
      await this.createOn(await overlay.resolvConf(overlays[0]!));
    } finally {
      for (const a of overlays) overlay.release(a.networkId);
    }
  }

  private async createOn(resolvConf: string | undefined): Promise<void> {
    const body = createContainerBody(this.task, resolvConf);
    const overlays = this.task.networks ?? [];
    if (overlays.length === 0) for (const n of this.task.spec.networks) await ensureNetwork(this.docker, n.target);
    let created: Docker.Container;
    try {
      created = await this.docker.createContainer(body as Docker.ContainerCreateOptions);
    } catch (err) {
      const code = statusCodeOf(err);
      if (code === 409 && (await this.inspectRaw())) return;
      if (code !== 404) throw err;
      await ensureImage(this.docker, body.Image);
      created = await this.docker.createContainer(body as Docker.ContainerCreateOptions);
    }
    this.containerId = created.id;
    if (overlays.length > 0) {
      for (const a of overlays.slice(1)) await connectNetwork(this.docker, a.name, created.id, overlayEndpoint(a));
      return;
    }
    for (const n of this.task.spec.networks.slice(1)) {
      await connectNetwork(this.docker, n.target, created.id, { Aliases: n.aliases });
    }
  }

  /** Starts the container; then the overlay's `afterStart` hook (the mesh's reply path) before RUNNING. */
  async start(): Promise<void> {
    await ignoring([304], () => this.container().start());
    const hook = this.overlay?.afterStart;
    if (!hook || (this.task.networks ?? []).length === 0) return;
    const id = this.containerId ?? (await this.inspectRaw())?.Id;
    if (!id) throw new Error(`container of task ${this.task.id} is gone after start`);
    await hook.call(this.overlay, id, this.task);
  }

  async wait(): Promise<ExitStatus> {
    const result = (await this.container().wait()) as { StatusCode: number };
    const info = await this.inspectRaw();
    const status: ExitStatus = { exitCode: result.StatusCode };
    if (info?.State.OOMKilled) status.reason = 'OOMKilled';
    return status;
  }

  async shutdown(gracePeriodMs: number): Promise<void> {
    const t = Math.max(0, Math.ceil(gracePeriodMs / 1000));
    await ignoring([304, 404], () => this.container().stop({ t }));
  }

  async terminate(): Promise<void> {
    await ignoring([404, 409], () => this.container().kill());
  }

  async remove(): Promise<void> {
    await ignoring([404, 409], () => this.container().remove({ force: true, v: false }));
  }

  async inspect(): Promise<ContainerStatus | undefined> {
    const info = await this.inspectRaw();
    return info ? containerStatus(info) : undefined;
  }

  /** Docker's healthcheck verdicts through the engine's shared event stream (DockerHealthEvents). */
  watchHealth(listener: (health: TaskHealth) => void): () => void {
    const events = this.health;
    if (!events) return () => {};
    let stopped = false;
    let stop: (() => void) | undefined;
    const known = this.containerId;
    const id = known ? Promise.resolve(known) : this.inspectRaw().then((i) => i?.Id, () => undefined);
    void id.then((containerId) => {
      if (!stopped && containerId) stop = events.watch(containerId, listener);
    });
    return () => {
      stopped = true;
      stop?.();
    };
  }
}

export function containerStatus(info: Docker.ContainerInspectInfo): ContainerStatus {
  const networks: Record<string, string> = {};
  for (const [name, ep] of Object.entries(info.NetworkSettings.Networks ?? {})) {
    if (ep.IPAddress) networks[name] = ep.IPAddress;
  }
  const status: ContainerStatus = { containerId: info.Id, running: info.State.Running, networks };
  if (!info.State.Running && info.State.Status === 'exited') status.exitCode = info.State.ExitCode;
  return status;
}
