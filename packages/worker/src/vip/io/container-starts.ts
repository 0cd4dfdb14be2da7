import type Docker from 'dockerode';
import { LABEL_TASK_ID } from '@shoal/common';
import { followEventLines } from '../../executor/docker/io/event-lines.js';

const RECONNECT_MS = 1_000;

/**
 * Docker's `start` events of shoal's containers (label io.shoal.task.id), as the task IDs that
 * started. `onStart(undefined)` after every (re)connect: starts may have been missed meanwhile.
 */
export class ContainerStarts {
  private stream: NodeJS.ReadableStream | undefined;
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly docker: Docker,
    private readonly onStart: (taskId: string | undefined) => void,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const s = this.stream;
    this.stream = undefined;
    (s as (NodeJS.ReadableStream & { destroy?: () => void }) | undefined)?.destroy?.();
  }

  private connect(): void {
    const filters = { type: ['container' as const], event: ['start'], label: [LABEL_TASK_ID] };
    this.docker.getEvents({ filters }).then(
      (stream) => {
        if (this.stopped) return (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        this.attach(stream);
        this.onStart(undefined);
      },
      () => this.reconnectLater(),
    );
  }

  private attach(stream: NodeJS.ReadableStream): void {
    this.stream = stream;
    const onEnd = (): void => {
      this.stream = undefined;
      this.reconnectLater();
    };
    followEventLines(stream, (line) => this.onStart(taskIdOf(line)), onEnd, () => this.stream === stream);
  }

  private reconnectLater(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.connect(), RECONNECT_MS);
    this.timer.unref();
  }
}

function taskIdOf(line: string): string | undefined {
  try {
    const ev = JSON.parse(line) as { Actor?: { Attributes?: Record<string, string> } };
    return ev.Actor?.Attributes?.[LABEL_TASK_ID];
  } catch {
    return undefined;
  }
}
