/**
 * The leader's window of MsgApp sent to one follower in `replicate` state and not yet
 * acknowledged, each remembered by the index of its last entry. At most `capacity` may be
 * outstanding; an acknowledgement frees every message up to the acknowledged index.
 */
export class Inflights {
  private lasts: number[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`maxInflightMsgs must be a positive integer, got ${capacity}`);
  }

  get count(): number {
    return this.lasts.length;
  }

  full(): boolean {
    return this.lasts.length >= this.capacity;
  }

  /** Records a message whose last entry is `last` (indexes only grow within one window). */
  add(last: number): void {
    if (this.full()) throw new Error('inflights window is full');
    this.lasts.push(last);
  }

  /** Frees every message whose last entry is at or below `index`. */
  freeTo(index: number): void {
    let n = 0;
    while (n < this.lasts.length && this.lasts[n]! <= index) n++;
    if (n > 0) this.lasts = this.lasts.slice(n);
  }

  /** Frees the oldest message (a heartbeat answer proves the follower is alive). */
  freeFirst(): void {
    this.lasts = this.lasts.slice(1);
  }

  reset(): void {
    this.lasts = [];
  }
}
