import { pruneNetworks } from './network.js';
import Docker from 'dockerode';
import {
  LABEL_NODE_ID,
  LABEL_SERVICE_ID,
  LABEL_TASK_ID,
  type NodeDescription,
  type Task,
} from '@shoal/common';
import type { Controller } from '../../controller.js';
import type { Executor, ManagedContainer } from '../../executor.js';
import { ignoring } from './docker-errors.js';
import { DockerController } from './docker-controller.js';
import { DEFAULT_ENGINE_SLOTS } from '../../../task-manager/engine-slots.js';
import { OverlayNetworks, type OverlayNetworksOptions } from '../../../network/io/overlay-networks.js';

export interface DockerExecutorOptions {
  /** Run the overlay data path (shoald does; tests of plain containers need not). */
  overlay?: Omit<OverlayNetworksOptions, 'docker'>;
  /** Container creates and starts at once on this engine (default DEFAULT_ENGINE_SLOTS). */
  engineSlots?: number;
}
import { DockerHealthEvents } from './health-events.js';

/** Dockerode's connection options for a Docker host URL (`unix:///path` or `tcp://host:port`). */
export function dockerOptionsFromHost(host: string): Docker.DockerOptions {
  const url = new URL(host);
  if (url.protocol === 'unix:') return { socketPath: url.pathname };
  if (url.protocol === 'tcp:' || url.protocol === 'http:') {
    return { host: url.hostname, port: Number(url.port || 2375), protocol: 'http' };
  }
  throw new Error(`unsupported docker host ${host}: use unix:///path or tcp://host:port`);
}

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

/** The node's container runtime: Docker Engine through its HTTP API. */
export class DockerExecutor implements Executor {
  readonly docker: Docker;
  /** The node's overlay networks: the agent passes it tables (a networkConsumer); controllers build networks through it. */
  readonly overlay: OverlayNetworks | undefined;
  /** One event stream for the healthchecks of every container of this engine. */
  readonly health: DockerHealthEvents;
  readonly engineSlots: number;

  constructor(dockerHost: string = DEFAULT_DOCKER_HOST, o: DockerExecutorOptions = {}) {
    this.engineSlots = o.engineSlots ?? DEFAULT_ENGINE_SLOTS;
    this.docker = new Docker(dockerOptionsFromHost(dockerHost));
    this.overlay = o.overlay ? new OverlayNetworks({ ...o.overlay, docker: this.docker }) : undefined;
    this.health = new DockerHealthEvents(this.docker);
  }

  async describe(): Promise<NodeDescription> {
    const info = (await this.docker.info()) as Record<string, unknown>;
    const labels: Record<string, string> = {};
    for (const kv of (info.Labels as string[] | null) ?? []) {
      const i = kv.indexOf('=');
      if (i > 0) labels[kv.slice(0, i)] = kv.slice(i + 1);
    }
    return {
      hostname: String(info.Name ?? ''),
      platform: { os: String(info.OSType ?? 'linux'), architecture: String(info.Architecture ?? '') },
      resources: { nanoCpus: Number(info.NCPU ?? 0) * 1e9, memoryBytes: Number(info.MemTotal ?? 0) },
      engineVersion: String(info.ServerVersion ?? ''),
      engineLabels: labels,
    };
  }

  controllerFor(task: Task): Controller {
    return new DockerController(this.docker, task, this.overlay, this.health);
  }

  async listManagedContainers(): Promise<ManagedContainer[]> {
    const list = await this.docker.listContainers({ all: true, filters: { label: [LABEL_TASK_ID] } });
    return list.map((c) => ({
      containerId: c.Id,
      taskId: c.Labels[LABEL_TASK_ID] ?? '',
      serviceId: c.Labels[LABEL_SERVICE_ID] ?? '',
      nodeId: c.Labels[LABEL_NODE_ID] ?? '',
      running: c.State === 'running',
    }));
  }

  /** Node-local networks of older tasks; also another overlay pass (a network whose last container went). */
  async pruneNetworks(keep: ReadonlySet<string>): Promise<string[]> {
    await this.overlay?.reconcile().catch(() => undefined);
    return pruneNetworks(this.docker, keep);
  }

  async removeContainer(containerId: string, gracePeriodMs: number): Promise<void> {
    const c = this.docker.getContainer(containerId);
    await ignoring([304, 404], () => c.stop({ t: Math.ceil(gracePeriodMs / 1000) }));
    await ignoring([404, 409], () => c.remove({ force: true, v: false }));
  }
}
