import type { NetworkTable } from '@shoal/common';

/** What takes the node's NetworkTable: the data path, the VIP rules, the DNS server. */
export interface NetworkConsumer {
  /** Makes the node match the table (a whole table every time). May throw; it is offered again. */
  apply(table: NetworkTable): Promise<void>;
}

interface Lane {
  readonly consumer: NetworkConsumer;
  readonly index: number;
  /** The table it last applied without an error. */
  done: NetworkTable | undefined;
  /** The run in flight or last finished (never rejects). */
  tail: Promise<void>;
  /** A run waiting behind `tail`; it takes the newest table when it starts. */
  queued: Promise<void> | undefined;
}

/**
 * Hands each table the manager sends to every consumer, one apply at a time per consumer: a table
 * that arrives while a consumer is busy waits, and only the newest waiting one is applied (tables
 * are whole, so skipping one loses nothing). A consumer's failure is reported and does not hold
 * back the others; `retry` offers the newest table again to consumers that have not applied it.
 * The last table is kept through the loss of a session (containers keep running).
 */
export class NetworkFeed {
  private latest: NetworkTable | undefined;
  private readonly lanes: Lane[];

  constructor(
    consumers: readonly NetworkConsumer[],
    private readonly onError: (consumer: number, error: Error) => void,
  ) {
    this.lanes = consumers.map((consumer, index) => ({ consumer, index, done: undefined, tail: Promise.resolve(), queued: undefined }));
  }

  /** The newest table, if one came. */
  get table(): NetworkTable | undefined {
    return this.latest;
  }

  /** A new table; resolves once every consumer has tried it (or a newer one). */
  offer(table: NetworkTable): Promise<void> {
    this.latest = table;
    return Promise.all(this.lanes.map((lane) => this.schedule(lane))).then(() => undefined);
  }

  /** Offers the newest table again to the consumers that have not applied it. */
  retry(): Promise<void> {
    const behind = this.lanes.filter((lane) => this.latest && lane.done !== this.latest);
    return Promise.all(behind.map((lane) => this.schedule(lane))).then(() => undefined);
  }

  private schedule(lane: Lane): Promise<void> {
    if (lane.queued) return lane.queued;
    const run = lane.tail.then(() => {
      lane.queued = undefined;
      return this.applyLatest(lane);
    });
    lane.queued = run;
    lane.tail = run;
    return run;
  }

  private async applyLatest(lane: Lane): Promise<void> {
    const table = this.latest;
    if (!table || lane.done === table) return;
    try {
      await lane.consumer.apply(table);
      lane.done = table;
    } catch (e) {
      this.onError(lane.index, e instanceof Error ? e : new Error(String(e)));
    }
  }
}

/** A table as the manager sent it (JSON); throws one line when it is not one. */
export function parseNetworkTable(json: string): NetworkTable {
  const table = JSON.parse(json) as unknown;
  if (typeof table !== 'object' || table === null || !Array.isArray((table as NetworkTable).networks)) {
    throw new Error('the network table from the manager has no "networks" list');
  }
  return table as NetworkTable;
}
