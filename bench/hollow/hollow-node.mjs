// One hollow node: the real worker Agent (session, heartbeats, status batching, assignments) with
// the FakeRuntime instead of Docker, a certificate from the real join path (requestMembership, as
// `shoald` uses on `swarm join`), and its own gRPC channel. Many of them live in one process.
import { Agent, FakeRuntime, realTimers } from '@shoal/worker';
import { nodeClientCredentials, requestMembership } from '@shoal/daemon';

const clock = { now: () => Date.now() };
const quiet = { info() {}, warn() {}, debug() {}, error() {} };
const noIngress = { apply: async () => {}, removeAll: async () => {} };

/**
 * A refused or failed join is tried again after a pause until this long has passed: the join
 * throttle (10 per source address at once) and the cap on handshaking connections per source
 * address (16) refuse hollow nodes, which all come from 127.0.0.1, whenever the manager is slow.
 */
const JOIN_DEADLINE_MS = 600_000;

/** Joins through the CA with the worker token; resolves with the node's ID, certificates and managers. */
export async function joinHollow({ remoteAddr, token, hostname }) {
  const deadline = Date.now() + JOIN_DEADLINE_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await requestMembership({ remoteAddr, token, hostname, advertiseAddr: '127.0.0.1' });
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`hollow node ${hostname} could not join ${remoteAddr}: ${e.message}`);
      await new Promise((r) => setTimeout(r, Math.min(2_000, 50 * 2 ** attempt) * (0.5 + Math.random())));
    }
  }
}

/**
 * A joined hollow node. `runtime` options: startDelayMs, fail ({ images, label }), engine labels.
 * The runtime's counters say how many tasks it was given and runs.
 */
export class HollowNode {
  constructor({ membership, hostname, engineLabels = {}, startDelayMs = 0, fail }) {
    this.nodeId = membership.nodeId;
    this.runtime = new FakeRuntime({ recordCalls: false, startDelayMs, timers: realTimers, fail, description: { hostname, engineLabels } });
    const certs = membership.certs;
    // One credentials object per node: every session of this node reuses its TLS context.
    const credentials = nodeClientCredentials(certs);
    this.membership = membership;
    this.hostname = hostname;
    this.agentOptions = { nodeId: this.nodeId, managers: membership.managers, addr: '127.0.0.1', executor: this.runtime, clock, log: quiet, ingress: noIngress, credentials: () => credentials };
  }

  async start() {
    this.agent = new Agent({ ...this.agentOptions, description: await this.runtime.describe() });
    await this.agent.start();
  }

  /** Containers running now on this node. */
  running() {
    let n = 0;
    for (const c of this.runtime.containers.values()) if (c.running) n++;
    return n;
  }

  /** Stops the agent; its containers stay as they are (shoald's stop without leave). */
  async stop() {
    await this.agent?.stop({ cleanup: false });
  }
}
