import type { HostileDispatcher, Outcome } from './hostile-dispatcher.js';

/** Who the hostile node speaks for (its certificate's node) and what it aims at. */
export interface PoisonTarget {
  nodeId: string;
  addr: string;
  /** The node's real hostname: the one valid session in the sequence keeps it. */
  hostname: string;
  /** Tasks on this node (running ones make the best targets). */
  ownTaskIds: string[];
  /** A task on another node, if there is one. */
  foreignTaskId?: string;
}

/** What a dispatcher that checks its input answers to each attack. */
export type Expectation = 'refused' | 'undecodable' | 'ignored' | 'session';

const MB = 1024 * 1024;
const FAILED_PRECONDITION = 9;

function description(hostname: string): Record<string, unknown> {
  return { hostname, platform: { os: 'linux', architecture: 'x86_64' }, resources: { nanoCpus: 1e9, memoryBytes: 1e9 }, engineVersion: '20.10', engineLabels: {} };
}

/** A status in both forms: as JSON text (field 2) and as the typed message (field 3). */
function both(taskId: string, status: Record<string, unknown>): Record<string, unknown> {
  return { taskId, statusJson: JSON.stringify(status), status };
}

const status = (over: Record<string, unknown>) => ({ state: 'running', timestamp: new Date().toISOString(), message: 'started', ...over });

/**
 * Runs every attack in order and returns each outcome with what a checking dispatcher answers.
 * Sessions come first (a null description, a 5 MB hostname, wrong types, bytes that decode to
 * nothing); then one valid session, and under it status updates (a 7 MB message, a null status,
 * wrong types, a state only the manager sets, too many updates, undecodable bytes, a state that
 * moves backwards, another node's task).
 */
export async function poisonDispatcher(client: HostileDispatcher, t: PoisonTarget): Promise<(Outcome & { expected: Expectation })[]> {
  const out: (Outcome & { expected: Expectation })[] = [];
  const session = async (name: string, expected: Expectation, extra: Record<string, unknown>) => {
    const o = await client.session(name, { nodeId: t.nodeId, addr: t.addr, ...extra });
    out.push({ ...o, expected });
    return o.sessionId;
  };
  await session('session: description null (JSON form)', 'refused', { descriptionJson: 'null' });
  await session('session: 5 MB hostname (JSON form)', 'refused', { descriptionJson: JSON.stringify(description('x'.repeat(5 * MB))) });
  await session('session: 5 MB hostname (typed)', 'refused', { description: description('y'.repeat(5 * MB)) });
  await session('session: wrong types (JSON form)', 'refused', { descriptionJson: '{"hostname":42,"platform":"linux","resources":null,"engineLabels":[1]}' });
  out.push({ ...(await client.rawSession('session: undecodable bytes', Buffer.from([0x22, 0xff, 0xff, 0xff, 0xff, 0x0f]))), expected: 'undecodable' });
  const valid = description(t.hostname);
  let sessionId = await session('session: valid', 'session', { descriptionJson: JSON.stringify(valid), description: valid });
  const [own = 'none'] = t.ownTaskIds;
  // The node's real agent takes its session back when it notices (a failed heartbeat): then
  // this one opens another and sends the same again.
  const update = async (name: string, expected: Expectation, updates: Record<string, unknown>[]) => {
    for (let attempt = 0; ; attempt++) {
      const o = await client.updateStatus(name, { nodeId: t.nodeId, sessionId, updates });
      if (o.code !== FAILED_PRECONDITION || attempt === 3) return void out.push({ ...o, expected });
      sessionId = (await client.session('session: again', { nodeId: t.nodeId, addr: t.addr, descriptionJson: JSON.stringify(valid), description: valid })).sessionId;
    }
  };
  await update('status: 7 MB message (JSON form)', 'refused', [{ taskId: own, statusJson: JSON.stringify(status({ message: 'm'.repeat(7 * MB) })) }]);
  await update('status: 7 MB message (typed)', 'refused', [{ taskId: own, status: status({ message: 'n'.repeat(7 * MB) }) }]);
  await update('status: null (JSON form)', 'refused', [{ taskId: own, statusJson: 'null' }]);
  await update('status: wrong types (JSON form)', 'refused', [{ taskId: own, statusJson: '{"state":"running","timestamp":5,"message":{"a":[1]}}' }]);
  await update('status: a state only the manager sets', 'refused', [both(own, status({ state: 'orphaned', message: 'gone' }))]);
  const many = Array.from({ length: 300 }, (_, i) => both(`${own}-${i}`, status({})));
  await update('status: 300 updates in one call', 'refused', many);
  out.push({ ...(await client.rawUpdateStatus('status: undecodable bytes', Buffer.from([0x1a, 0xff, 0xff, 0xff, 0xff, 0x0f]))), expected: 'undecodable' });
  await update('status: backwards', 'ignored', [both(own, status({ state: 'accepted', message: 'back' }))]);
  if (t.foreignTaskId) await update("status: another node's task", 'ignored', [both(t.foreignTaskId, status({ state: 'failed', err: 'hijacked' }))]);
  return out;
}
