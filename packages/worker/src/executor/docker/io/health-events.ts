import type Docker from 'dockerode';
import { LABEL_TASK_ID, type TaskHealth } from '@shoal/common';
import { parseHealthEvent, taskHealthOf } from '../health.js';
import { followEventLines } from './event-lines.js';

type Listener = (health: TaskHealth) => void;

const RECONNECT_MS = 1_000;

/**
 * The health of shoal's containers, from one Docker event stream per engine (`health_status`
 * events of containers labelled io.shoal.task.id), open only while some container is watched.
 * A new watch, and every reconnect of the stream, reads the container's current health with one
 * inspect, so a verdict given while nobody listened is not lost. Bounded by the watched
 * containers: this node's running tasks with a healthcheck.
 */
export class DockerHealthEvents {
  private readonly listeners = new Map<string, Set<Listener>>();
  private stream: NodeJS.ReadableStream | undefined;
  private opening = false;

  constructor(private readonly docker: Docker) {}

  watch(containerId: string, listener: Listener): () => void {
    let set = this.listeners.get(containerId);
    if (!set) this.listeners.set(containerId, (set = new Set()));
    set.add(listener);
    this.ensureStream();
    void this.readCurrent(containerId, [listener]);
    return () => {
      const s = this.listeners.get(containerId);
      s?.delete(listener);
      if (s?.size === 0) this.listeners.delete(containerId);
      if (this.listeners.size === 0) this.closeStream();
    };
  }

  /** How many containers are watched (tests, metrics). */
  get watched(): number {
    return this.listeners.size;
  }

  private async readCurrent(containerId: string, only?: Listener[]): Promise<void> {
    let status: string | undefined;
    try {
      const info = await this.docker.getContainer(containerId).inspect();
      status = info.State.Health?.Status;
    } catch {
      return; // gone: its task manager sees the exit
    }
    const health = taskHealthOf(status);
    if (health) this.emit(containerId, health, only);
  }

  private emit(containerId: string, health: TaskHealth, only?: Listener[]): void {
    const set = this.listeners.get(containerId);
    for (const l of only ?? [...(set ?? [])]) if (set?.has(l)) l(health);
  }

  private ensureStream(): void {
    if (this.stream || this.opening) return;
    this.opening = true;
    const filters = { type: ['container' as const], event: ['health_status'], label: [LABEL_TASK_ID] };
    this.docker.getEvents({ filters }).then(
      (stream) => {
        this.opening = false;
        if (this.listeners.size === 0) return destroy(stream);
        this.attach(stream);
        for (const id of this.listeners.keys()) void this.readCurrent(id);
      },
      () => {
        this.opening = false;
        this.reconnectLater();
      },
    );
  }

  private attach(stream: NodeJS.ReadableStream): void {
    this.stream = stream;
    const onLine = (line: string): void => {
      const ev = parseHealthEvent(line);
      if (ev) this.emit(ev.containerId, ev.health);
    };
    const onEnd = (): void => {
      this.stream = undefined;
      this.reconnectLater();
    };
    followEventLines(stream, onLine, onEnd, () => this.stream === stream);
  }

  private reconnectLater(): void {
    if (this.listeners.size === 0) return;
    setTimeout(() => this.ensureStream(), RECONNECT_MS).unref();
  }

  private closeStream(): void {
    const s = this.stream;
    this.stream = undefined;
    if (s) destroy(s);
  }
}

function destroy(stream: NodeJS.ReadableStream): void {
  (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
}
