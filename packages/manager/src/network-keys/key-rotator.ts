import type { Clock } from '@shoal/common';
import type { RandomBytes } from '../ca/join-token.js';
import type { Store } from '../store/types.js';
import { DEFAULT_KEY_POLICY, planNetworkKeys, type KeyPolicy } from './plan-keys.js';

export interface KeyRotatorOptions {
  store: Store;
  clock: Clock;
  /** Cryptographically secure (ca/io/random.ts secureRandomBytes). */
  randomBytes: RandomBytes;
  /** Runs `fn` after `delayMs`; returns a function that cancels it. */
  schedule: (delayMs: number, fn: () => void) => () => void;
  policy?: KeyPolicy;
  onError?: (error: unknown) => void;
}

/** Longest sleep between two passes, so that a clock jump is noticed within an hour. */
export const MAX_WAIT_MS = 3600_000;

/**
 * The leader's loop for network keys: a pass after every change to the networks table and when
 * the plan says (the next rotation); each pass commits the plan in one transaction whose writes
 * carry the versions read (a conflict is retried by the next pass). Keys never appear in logs.
 */
export class NetworkKeyRotator {
  private unwatch?: () => void;
  private cancelWake?: () => void;
  private running = false;
  private again = false;

  constructor(private readonly opts: KeyRotatorOptions) {}

  start(): void {
    if (this.unwatch) return;
    this.unwatch = this.opts.store.watch(() => this.request(0), { tables: ['networks'] });
    this.request(0);
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = undefined;
    this.cancelWake?.();
    this.cancelWake = undefined;
  }

  /** One pass now; resolves when committed (tests drive it directly). */
  async runPass(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      const now = this.opts.clock.now();
      const policy = this.opts.policy ?? DEFAULT_KEY_POLICY;
      const view = this.opts.store.view();
      const plan = planNetworkKeys(view.list('networks'), now, policy, this.opts.randomBytes);
      if (plan.updates.length > 0) {
        await this.opts.store.update((tx) => {
          for (const u of plan.updates) {
            const network = view.get('networks', u.networkId);
            if (!network) continue;
            const { keys: _old, ...rest } = network;
            tx.update('networks', u.keys ? { ...rest, keys: u.keys } : rest);
          }
        });
      }
      const wakeIn = plan.wakeAt === undefined ? MAX_WAIT_MS : Math.min(MAX_WAIT_MS, Math.max(0, plan.wakeAt - now));
      this.request(wakeIn);
    } catch (e) {
      this.opts.onError?.(e);
      this.request(1_000);
    } finally {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.request(0);
      }
    }
  }

  private request(delayMs: number): void {
    if (!this.unwatch) return;
    this.cancelWake?.();
    this.cancelWake = this.opts.schedule(delayMs, () => void this.runPass());
  }
}
