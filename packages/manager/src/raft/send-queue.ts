import { assert } from '@shoal/common';

export interface Outgoing {
  encoded: string;
  /** Size on the wire (UTF-8 bytes of `encoded`), measured by the caller. */
  bytes: number;
  snapshot: boolean;
}

export type Enqueued = 'queued' | 'full' | 'too-large';

/**
 * Messages waiting to be written to one peer, bounded by bytes (a few snapshots weigh more than
 * thousands of heartbeats). A message is always taken into an empty queue if it is within the
 * message size limit, so a snapshot larger than the queue bound still goes out alone.
 */
export class SendQueue {
  private items: Outgoing[] = [];
  private queuedBytes = 0;

  constructor(private readonly limits: { maxMessageBytes: number; maxQueueBytes: number }) {}

  get bytes(): number {
    return this.queuedBytes;
  }

  get length(): number {
    return this.items.length;
  }

  push(item: Outgoing): Enqueued {
    if (item.bytes > this.limits.maxMessageBytes) return 'too-large';
    if (this.items.length > 0 && this.queuedBytes + item.bytes > this.limits.maxQueueBytes) return 'full';
    this.items.push(item);
    this.queuedBytes += item.bytes;
    return 'queued';
  }

  shift(): Outgoing | undefined {
    const item = this.items.shift();
    if (item) this.queuedBytes -= item.bytes;
    assert(this.queuedBytes >= 0, 'a send queue never holds negative bytes');
    return item;
  }

  /** Empties the queue; returns how many snapshots were in it (their senders must hear they were lost). */
  clear(): number {
    const snapshots = this.items.filter((i) => i.snapshot).length;
    this.items = [];
    this.queuedBytes = 0;
    return snapshots;
  }
}
