/**
 * A node is down once it has been silent for this many heartbeat periods. Two, with shoal's 1 s
 * period: a cut host is noticed after 2 s (Docker Swarm: 3 × 5 s), and a node whose beat comes
 * up to ~1 s late (a busy event loop, a slow link) is still up. The leader hears one heartbeat
 * per node per period: 1,000 heartbeats/s at 1,000 nodes, as before (a shorter period would
 * double that to notice a cut 0.5 s sooner).
 */
export const MISSED_HEARTBEATS_LIMIT = 2;

/**
 * Heartbeat bookkeeping: a node is down when it has missed `missedLimit` periods. Pure: the
 * dispatcher's io shell records beats with the clock's time and asks which nodes expired (every
 * 100 ms). When the asking itself comes more than half a period late, this process was not
 * running (a stalled event loop, a starved CPU): the beats that came meanwhile wait unread behind
 * the timer, so that time is not held against the nodes.
 */
export class NodeLiveness {
  private readonly lastBeat = new Map<string, number>();
  private lastCheck: number | undefined;

  constructor(
    private readonly periodMs: number,
    private readonly missedLimit = MISSED_HEARTBEATS_LIMIT,
  ) {}

  beat(nodeId: string, now: number): void {
    this.lastBeat.set(nodeId, now);
  }

  forget(nodeId: string): void {
    this.lastBeat.delete(nodeId);
  }

  /** Nodes whose last beat is too old; they are forgotten until they beat again. */
  expired(now: number): string[] {
    const stalled = this.lastCheck === undefined ? 0 : now - this.lastCheck;
    this.lastCheck = now;
    if (stalled > this.periodMs / 2) {
      for (const [nodeId, at] of this.lastBeat) this.lastBeat.set(nodeId, at + stalled);
      return [];
    }
    const out: string[] = [];
    for (const [nodeId, at] of this.lastBeat) {
      if (now - at > this.periodMs * this.missedLimit) out.push(nodeId);
    }
    for (const id of out) this.lastBeat.delete(id);
    return out;
  }
}
