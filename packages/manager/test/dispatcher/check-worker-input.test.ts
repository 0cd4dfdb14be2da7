import { describe, expect, it } from 'vitest';
import { WORKER_INPUT_LIMITS as L, fitText } from '@shoal/common';
import { checkJoinFields, checkSessionRequest, checkStatusUpdates } from '../../src/dispatcher/check-worker-input.js';

/** A Session request as protobuf decoding hands it to the dispatcher (int64 as strings). */
function session(description: unknown = wireDescription()): unknown {
  return { nodeId: 'n1', addr: '10.99.0.12:4242', description };
}

function wireDescription(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    hostname: 'h2',
    platform: { os: 'linux', architecture: 'x86_64' },
    resources: { nanoCpus: '2000000000', memoryBytes: '8242114560' },
    engineVersion: '20.10.24+dfsg1',
    engineLabels: { zone: 'a' },
    ...over,
  };
}

function wireStatus(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { state: 'running', timestamp: '2026-12-03T16:00:00.000Z', message: 'started', err: '', containerId: 'c0ffee', containerIp: '172.17.0.2', ...over };
}

const updates = (...statuses: unknown[]) => ({ nodeId: 'n1', sessionId: 's', updates: statuses.map((status, i) => ({ taskId: `t${i}`, status })) });

describe('checkSessionRequest', () => {
  it('takes the ingress report (backend, client address, message) and checks its values and length', () => {
    const ingress = { backend: 'nftables', clientAddress: 'preserved', message: '' };
    expect(checkSessionRequest(session(wireDescription({ ingress }))).description.ingress).toEqual(ingress);
    const snat = { backend: 'iptables', clientAddress: 'snat', message: 'netdev egress hook unavailable (Linux < 5.16): client addresses are source-NATed' };
    expect(checkSessionRequest(session(wireDescription({ ingress: snat }))).description.ingress).toEqual(snat);
    // Older agents send none (decoded as null).
    expect(checkSessionRequest(session(wireDescription({ ingress: null }))).description).not.toHaveProperty('ingress');
    expect(() => checkSessionRequest(session(wireDescription({ ingress: { ...ingress, backend: 'pf' } })))).toThrow(
      'session refused: description.ingress.backend is "pf", not nftables, iptables, ipvs',
    );
    expect(() => checkSessionRequest(session(wireDescription({ ingress: { ...ingress, clientAddress: 'kept' } })))).toThrow('description.ingress.client_address is "kept", not preserved or snat');
    expect(() => checkSessionRequest(session(wireDescription({ ingress: { ...ingress, message: 'x'.repeat(513) } })))).toThrow('description.ingress.message has 513 characters (limit 512)');
    expect(() => checkSessionRequest(session(wireDescription({ ingress: { ...ingress, message: 'a\u0007b' } })))).toThrow('description.ingress.message must not contain control characters');
  });

  it('turns a well-formed request into the model description', () => {
    expect(checkSessionRequest(session())).toEqual({
      nodeId: 'n1',
      addr: '10.99.0.12:4242',
      description: {
        hostname: 'h2',
        platform: { os: 'linux', architecture: 'x86_64' },
        resources: { nanoCpus: 2_000_000_000, memoryBytes: 8_242_114_560 },
        engineVersion: '20.10.24+dfsg1',
        engineLabels: { zone: 'a' },
      },
    });
  });

  it('refuses a missing (null) description, as protobuf decodes an absent message', () => {
    expect(() => checkSessionRequest(session(null))).toThrow('session refused: description is missing');
    expect(() => checkSessionRequest(session(wireDescription({ platform: null })))).toThrow('description.platform is missing');
  });

  it('refuses a 5 MB hostname, an empty one and one with control characters', () => {
    expect(() => checkSessionRequest(session(wireDescription({ hostname: 'x'.repeat(5_000_000) })))).toThrow(
      `description.hostname has 5000000 characters (limit ${L.hostnameChars})`,
    );
    expect(() => checkSessionRequest(session(wireDescription({ hostname: '' })))).toThrow('description.hostname must not be empty');
    expect(() => checkSessionRequest(session(wireDescription({ hostname: 'h2\nh3' })))).toThrow('must not contain whitespace or control characters');
    expect(checkSessionRequest(session(wireDescription({ hostname: 'a'.repeat(253) }))).description.hostname).toHaveLength(253);
  });

  it('refuses wrong types, negative and unsafe resources', () => {
    expect(() => checkSessionRequest(session(wireDescription({ hostname: 42 })))).toThrow('description.hostname must be a string, not number');
    expect(() => checkSessionRequest(session(wireDescription({ resources: { nanoCpus: '-1', memoryBytes: '0' } })))).toThrow('nano_cpus is -1, outside 0..');
    expect(() => checkSessionRequest(session(wireDescription({ resources: { nanoCpus: '9223372036854775807', memoryBytes: '0' } })))).toThrow(
      'nano_cpus must be an integer',
    );
    expect(() => checkSessionRequest(session('{"hostname":"h2"}'))).toThrow('description must be an object, not string');
  });

  it('bounds the engine labels: count, key, value and the whole description', () => {
    const many = Object.fromEntries(Array.from({ length: L.engineLabels + 1 }, (_, i) => [`k${i}`, 'v']));
    expect(() => checkSessionRequest(session(wireDescription({ engineLabels: many })))).toThrow(`has ${L.engineLabels + 1} entries (limit ${L.engineLabels})`);
    expect(() => checkSessionRequest(session(wireDescription({ engineLabels: { k: 'v'.repeat(L.engineLabelValueChars + 1) } })))).toThrow('description.engine_labels["k"] has');
    const big = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'v'.repeat(4000)]));
    expect(() => checkSessionRequest(session(wireDescription({ engineLabels: big })))).toThrow(`description has 80`);
  });

  it('keeps a label named __proto__ as a label', () => {
    const labels = JSON.parse('{"__proto__":"x"}') as Record<string, string>;
    const out = checkSessionRequest(session(wireDescription({ engineLabels: labels }))).description.engineLabels;
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('bounds the address and the join fields', () => {
    expect(() => checkSessionRequest({ ...(session() as object), addr: 'a'.repeat(L.addrChars + 1) })).toThrow('session refused: addr has');
    expect(() => checkJoinFields('x'.repeat(5_000_000), '10.0.0.1:4242')).toThrow('join refused: hostname has 5000000 characters');
    expect(checkJoinFields('h2', '10.0.0.1:4242')).toEqual({ hostname: 'h2', addr: '10.0.0.1:4242' });
  });
});

describe('checkStatusUpdates', () => {
  it('turns well-formed updates into model statuses, dropping empty optional fields', () => {
    expect(checkStatusUpdates(updates(wireStatus(), wireStatus({ state: 'failed', err: 'boom', exitCode: 3, containerIp: '' })))).toEqual([
      { taskId: 't0', status: { state: 'running', timestamp: '2026-12-03T16:00:00.000Z', message: 'started', containerId: 'c0ffee', containerIp: '172.17.0.2' } },
      { taskId: 't1', status: { state: 'failed', timestamp: '2026-12-03T16:00:00.000Z', message: 'started', err: 'boom', exitCode: 3, containerId: 'c0ffee' } },
    ]);
  });

  it('keeps a health verdict, drops an empty one, refuses any other', () => {
    for (const health of ['starting', 'healthy', 'unhealthy'] as const) {
      expect(checkStatusUpdates(updates(wireStatus({ health })))[0]!.status.health).toBe(health);
    }
    expect(checkStatusUpdates(updates(wireStatus({ health: '' })))[0]!.status).not.toHaveProperty('health');
    expect(checkStatusUpdates(updates(wireStatus()))[0]!.status).not.toHaveProperty('health');
    expect(() => checkStatusUpdates(updates(wireStatus({ health: 'none' })))).toThrow('(task t0).status.health is "none", not starting, healthy, unhealthy or empty');
    expect(() => checkStatusUpdates(updates(wireStatus({ health: 'x'.repeat(1000) })))).toThrow('.status.health has 1000 characters');
    expect(() => checkStatusUpdates(updates(wireStatus({ health: 3 })))).toThrow('.status.health must be a string, not number');
  });

  it('refuses a 7 MB message or error', () => {
    expect(() => checkStatusUpdates(updates(wireStatus({ message: 'x'.repeat(7_000_000) })))).toThrow(
      `task status refused: updates[0] (task t0).status.message has 7000000 characters (limit ${L.statusMessageChars})`,
    );
    expect(() => checkStatusUpdates(updates(wireStatus({ err: 'x'.repeat(L.statusErrChars + 1) })))).toThrow('.status.err has');
  });

  it('refuses a missing status, wrong types and states a node does not report', () => {
    expect(() => checkStatusUpdates(updates(null))).toThrow('updates[0] (task t0).status is missing');
    expect(() => checkStatusUpdates(updates(wireStatus({ state: 7 })))).toThrow('.state must be a string, not number');
    expect(() => checkStatusUpdates(updates(wireStatus({ state: 'bogus' })))).toThrow('.state is "bogus", not a state a node reports');
    for (const state of ['new', 'pending', 'assigned', 'orphaned', 'remove']) {
      expect(() => checkStatusUpdates(updates(wireStatus({ state })))).toThrow(`is "${state}", not a state a node reports`);
    }
    expect(() => checkStatusUpdates({ updates: 'all' })).toThrow('updates must be a list');
  });

  it('refuses bad timestamps, exit codes, container IDs and addresses', () => {
    expect(() => checkStatusUpdates(updates(wireStatus({ timestamp: 'yesterday' })))).toThrow('.timestamp must be an ISO-8601 time');
    expect(() => checkStatusUpdates(updates(wireStatus({ timestamp: '2026-13-45T99:00:00Z' })))).toThrow('.timestamp must be an ISO-8601 time');
    expect(() => checkStatusUpdates(updates(wireStatus({ exitCode: 2 ** 31 })))).toThrow('.exit_code is 2147483648, outside');
    expect(() => checkStatusUpdates(updates(wireStatus({ exitCode: 1.5 })))).toThrow('.exit_code must be an integer');
    expect(() => checkStatusUpdates(updates(wireStatus({ containerId: '../etc' })))).toThrow('.container_id must be letters');
    expect(() => checkStatusUpdates(updates(wireStatus({ containerIp: 'example.com' })))).toThrow('.container_ip is not an IP address');
    expect(checkStatusUpdates(updates(wireStatus({ containerIp: 'fd00::2' })))[0]!.status.containerIp).toBe('fd00::2');
  });

  it('bounds the number of updates per call and refuses a task twice in one call', () => {
    const many = { updates: Array.from({ length: L.updatesPerCall + 1 }, (_, i) => ({ taskId: `t${i}`, status: wireStatus() })) };
    expect(() => checkStatusUpdates(many)).toThrow(`updates has ${L.updatesPerCall + 1} entries (limit ${L.updatesPerCall} per call)`);
    const twice = { updates: [{ taskId: 't1', status: wireStatus() }, { taskId: 't1', status: wireStatus() }] };
    expect(() => checkStatusUpdates(twice)).toThrow('updates[1].task_id repeats task t1');
  });
});

describe('fitText (what an honest agent does to its own texts)', () => {
  it('cuts long texts to the limit and replaces control characters, so the dispatcher takes them', () => {
    const long = fitText('e'.repeat(10_000), L.statusErrChars);
    expect(long).toHaveLength(L.statusErrChars);
    expect(long.endsWith('(truncated)')).toBe(true);
    expect(fitText('a\u0000b\tc\nd', 100)).toBe('a b\tc\nd');
    expect(() => checkStatusUpdates(updates(wireStatus({ err: long, message: fitText('x\u0007', 10) })))).not.toThrow();
  });
});
