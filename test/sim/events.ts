/** The simulation's events and its discrete-event queue (a binary min-heap on simulated time). */
import type { Message, NodeId } from '@shoal/raft';

export type Ev =
  | { k: 'timer'; node: NodeId; incarnation: number; id: number }
  | { k: 'disk'; node: NodeId; incarnation: number }
  | { k: 'msg'; m: Message }
  | { k: 'creq'; node: NodeId; client: number; attempt: number }
  | { k: 'cresp'; client: number; attempt: number; kind: 'ack' | 'value' | 'retry'; value?: string | null; hint?: NodeId }
  | { k: 'ctimeout'; client: number; attempt: number }
  | { k: 'cnext'; client: number }
  | { k: 'fault' }
  | { k: 'heal' }
  | { k: 'restart'; node: NodeId }
  | { k: 'resume'; node: NodeId }
  | { k: 'crashNow'; node: NodeId; incarnation: number }
  | { k: 'snapReport'; node: NodeId; to: NodeId; ok: boolean };

/** The event of kind `K`. */
export type EvOf<K extends Ev['k']> = Extract<Ev, { k: K }>;

/** A binary min-heap of events ordered by (time, insertion order). */
export class EventQueue {
  private heap: { t: number; n: number; ev: Ev }[] = [];
  private counter = 0;

  push(t: number, ev: Ev): void {
    const h = this.heap;
    h.push({ t, n: this.counter++, ev });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  pop(): { t: number; ev: Ev } | undefined {
    const h = this.heap;
    const top = h[0];
    if (top === undefined) return undefined;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

function less(a: { t: number; n: number }, b: { t: number; n: number }): boolean {
  return a.t < b.t || (a.t === b.t && a.n < b.n);
}
