/**
 * Heartbeat bookkeeping: a node is down when it has missed `missedLimit` periods. Pure: the
 * dispatcher's io shell records beats with the clock's time and asks which nodes expired.
 */
export class NodeLiveness {
  private readonly lastBeat = new Map<string, number>();

  constructor(
    private readonly periodMs: number,
    private readonly missedLimit = 3,
  ) {}

  beat(nodeId: string, now: number): void {
    this.lastBeat.set(nodeId, now);
  }

  forget(nodeId: string): void {
    this.lastBeat.delete(nodeId);
  }

  /** Nodes whose last beat is too old; they are forgotten until they beat again. */
  expired(now: number): string[] {
    const out: string[] = [];
    for (const [nodeId, at] of this.lastBeat) {
      if (now - at > this.periodMs * this.missedLimit) out.push(nodeId);
    }
    for (const id of out) this.lastBeat.delete(id);
    return out;
  }
}
