import type { ConfState } from '@shoal/raft';
import type { Member } from './members.js';
import { snapshotSlices } from './snapshot-slices.js';

/** A snapshot encoded from the state at `index`, ready to be written. */
export interface EncodedSnapshot {
  index: number;
  conf: ConfState;
  data: string;
  /** The host's count of entry bytes applied since the last snapshot, at `index`. */
  bytes: number;
}

export interface SnapshotEncoderOptions {
  /** Resolves a little later, after other events: the host's `schedule` with no delay. */
  pause: () => Promise<void>;
  /** The host stopped: an encoding under way is dropped. */
  stopped: () => boolean;
  /** An encoding finished: the host writes it (`take`) in its Ready loop. */
  done: () => void;
  failed: (error: unknown) => void;
}

/**
 * Encodes one snapshot at a time, in slices with a pause after each, so that a big store does not
 * hold the event loop (and the heartbeats) for a second; the host applies entries meanwhile, as
 * the store's slices come from a persistent view of the state at the snapshot's index.
 */
export class SnapshotEncoder {
  private encoding = false;
  private finished: EncodedSnapshot | undefined;

  constructor(private readonly o: SnapshotEncoderOptions) {}

  /** An encoding is under way or waits to be written. */
  get busy(): boolean {
    return this.encoding || this.finished !== undefined;
  }

  start(store: Iterable<string>, at: Omit<EncodedSnapshot, 'data'>, members: readonly Member[]): void {
    if (this.busy) throw new Error('assertion failed: a snapshot is already being encoded');
    this.encoding = true;
    this.encode(store, members).then(
      (data) => {
        this.encoding = false;
        if (data === undefined) return;
        this.finished = { ...at, data };
        this.o.done();
      },
      (error: unknown) => {
        this.encoding = false;
        this.o.failed(error);
      },
    );
  }

  /** The finished snapshot, once (then the encoder is free). */
  take(): EncodedSnapshot | undefined {
    const snap = this.finished;
    this.finished = undefined;
    return snap;
  }

  private async encode(store: Iterable<string>, members: readonly Member[]): Promise<string | undefined> {
    let data = '';
    for (const slice of snapshotSlices(store, members)) {
      data += slice;
      await this.o.pause();
      if (this.o.stopped()) return undefined;
    }
    return data;
  }
}
