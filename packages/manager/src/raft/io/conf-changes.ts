import { unavailable } from '@shoal/common';
import type { ConfChange } from '@shoal/raft';
import type { RaftHost } from '../raft-host.js';

/** How long a membership change may take to be proposed, and then to be applied. */
const CONF_CHANGE_TIMEOUT_MS = 10_000;

/**
 * Membership changes on the leader, one at a time: `change` proposes one (retried on each change
 * of the Raft state while another is pending) and resolves once it is applied; `applied` is
 * called by the host for every applied change and wakes whoever waits for it.
 */
export class ConfChanges {
  private waiters: Array<{ cc: ConfChange; done: () => void }> = [];

  constructor(
    private readonly host: () => RaftHost,
    private readonly isLeader: () => boolean,
    private readonly noQuorumMessage: () => string,
  ) {}

  /** A change is proposed and not yet applied. */
  get pending(): boolean {
    return this.waiters.length > 0;
  }

  async change(cc: ConfChange): Promise<void> {
    const host = this.host();
    let proposed = false;
    await host.until(() => !this.isLeader() || (proposed = host.proposeConfChange(cc)), CONF_CHANGE_TIMEOUT_MS);
    if (!proposed && !this.isLeader()) throw unavailable('this manager lost the leadership; retry');
    if (!proposed) throw unavailable('the membership change could not be proposed in time; retry');
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.done !== done);
        reject(unavailable(this.noQuorumMessage()));
      }, CONF_CHANGE_TIMEOUT_MS);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ cc, done });
    });
  }

  applied(cc: ConfChange): void {
    const matching = this.waiters.filter((w) => w.cc.type === cc.type && w.cc.node === cc.node);
    this.waiters = this.waiters.filter((w) => !matching.includes(w));
    matching.forEach((w) => w.done());
  }
}
