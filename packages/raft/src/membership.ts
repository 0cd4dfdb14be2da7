import type { ConfChange, ConfState, NodeId } from './types.js';

/**
 * The configuration a node currently applies: voters (who elect and count for commitment) and
 * learners (who only receive the log). Changes take effect when their entry is applied, one
 * server at a time (Raft thesis §4.1).
 */
export class Membership {
  readonly voters = new Set<NodeId>();
  readonly learners = new Set<NodeId>();
  /**
   * False for a node that started with no configuration and has not restored a snapshot yet: it
   * does not know the cluster's base configuration, so replayed changes alone never make it
   * campaign.
   */
  known: boolean;

  constructor(conf: ConfState) {
    this.restore(conf);
    this.known = this.voters.size > 0;
  }

  /** Replaces the configuration (e.g. with a snapshot's). */
  restore(conf: ConfState): void {
    this.voters.clear();
    this.learners.clear();
    for (const v of conf.voters) this.voters.add(v);
    for (const l of conf.learners) if (!this.voters.has(l)) this.learners.add(l);
    if (this.voters.size > 0) this.known = true;
  }

  isVoter(id: NodeId): boolean {
    return this.voters.has(id);
  }

  isMember(id: NodeId): boolean {
    return this.voters.has(id) || this.learners.has(id);
  }

  /** Voters and learners, the nodes a leader replicates to. */
  members(): NodeId[] {
    return [...this.voters, ...this.learners];
  }

  confState(): ConfState {
    const byId = (a: NodeId, b: NodeId): number => a - b;
    return { voters: [...this.voters].sort(byId), learners: [...this.learners].sort(byId) };
  }

  /**
   * Whether `cc` may be proposed against this configuration: not a no-op, and never removing the
   * last voter.
   */
  accepts(cc: ConfChange): boolean {
    if (!Number.isInteger(cc.node) || cc.node <= 0) return false;
    switch (cc.type) {
      case 'addLearner':
        return !this.isMember(cc.node);
      case 'addVoter':
        return !this.voters.has(cc.node);
      case 'remove':
        return this.learners.has(cc.node) || (this.voters.has(cc.node) && this.voters.size > 1);
    }
  }

  /**
   * Applies a committed change. Idempotent, so that a driver replaying its log after a restart
   * (on top of a snapshot that may already include the change) gets the same result.
   */
  apply(cc: ConfChange): void {
    switch (cc.type) {
      case 'addLearner':
        if (!this.voters.has(cc.node)) this.learners.add(cc.node);
        break;
      case 'addVoter':
        this.learners.delete(cc.node);
        this.voters.add(cc.node);
        break;
      case 'remove':
        this.voters.delete(cc.node);
        this.learners.delete(cc.node);
        break;
    }
  }
}
