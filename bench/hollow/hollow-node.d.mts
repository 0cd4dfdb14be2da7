// Types of hollow-node.mjs, for the integration test that runs hollow nodes in-process.
import type { FakeRuntime, FailRule } from '@shoal/worker';
import type { Membership } from '@shoal/daemon';

export function joinHollow(o: { remoteAddr: string; token: string; hostname: string }): Promise<Membership>;

export class HollowNode {
  constructor(o: { membership: Membership; hostname: string; engineLabels?: Record<string, string>; startDelayMs?: number; fail?: FailRule });
  readonly nodeId: string;
  readonly runtime: FakeRuntime;
  start(): Promise<void>;
  running(): number;
  stop(): Promise<void>;
}
