/**
 * The production host's `RaftTransport` over the simulated network, for one incarnation of a
 * node: a crashed incarnation sends nothing. A crash armed for the `send` stage strikes right
 * after a Ready's messages are handed to the network.
 */
import type { Message, NodeId } from '@shoal/raft';
import type { RaftTransport } from '../../packages/manager/src/raft/raft-host.js';
import type { Incarnation } from './incarnation.js';
import type { World } from './world.js';

export class SimTransport implements RaftTransport {
  private readonly heard = new Map<NodeId, number>();

  constructor(
    private readonly sim: World,
    private readonly inc: Incarnation,
  ) {}

  send(messages: readonly Message[]): void {
    if (!this.inc.alive) return;
    for (const m of messages) this.sim.net.send(m);
    if (messages.length > 0 && this.inc.crashAt === 'send') this.inc.crash('after send');
  }

  setMembers(): void {}

  /** A message from `from` arrived. */
  received(from: NodeId): void {
    this.heard.set(from, this.sim.now);
  }

  lastHeard(raftId: NodeId): number | undefined {
    return this.heard.get(raftId);
  }
}
