import { createSocket } from 'node:dgram';
import { run, waitFor } from '../harness/exec.js';
import type { ClusterHost } from '../harness/cluster.js';
import { jsonLines, shoalOk } from './cli-helpers.js';

/**
 * What the routing-mesh e2e (issue 11) shares: requests to a published port as a user makes them
 * — curl from outside the hosts (this machine's own namespace, on the test bridge) or from inside
 * one — answered by `shoal/netapp`'s /cgi-bin/who ("HOSTNAME CALLER_ADDRESS") or its UDP echo
 * ("whoami" → "HOSTNAME SENDER_ADDRESS").
 */

export interface Answer {
  /** The container that answered (its hostname is its container ID). */
  hostname: string;
  /** The client address the application saw. */
  caller: string;
}

/** A failed request says how curl failed: exit 7 is "could not connect" (refused), 28 a timeout. */
export type Outcome = { ok: true; answer: Answer } | { ok: false; error: string; ms: number; code: number };

function parse(out: string): Answer {
  const [hostname = '', caller = ''] = out.trim().split(/\s+/);
  return { hostname, caller };
}

const curlArgs = (addr: string, port: number) => ['-sS', '--max-time', '3', `http://${addr}:${port}/cgi-bin/who`];

/** One curl from this machine (outside every host); never throws. */
export async function curlOutside(addr: string, port: number): Promise<Outcome> {
  const started = Date.now();
  const r = await run('curl', curlArgs(addr, port));
  return r.code === 0 ? { ok: true, answer: parse(r.stdout) } : { ok: false, error: r.stderr.trim(), ms: Date.now() - started, code: r.code };
}

/** One curl from inside host `from`; never throws. */
export async function curlFrom(from: ClusterHost, addr: string, port: number): Promise<Outcome> {
  const started = Date.now();
  const r = await from.exec('curl', curlArgs(addr, port));
  return r.code === 0 ? { ok: true, answer: parse(r.stdout) } : { ok: false, error: r.stderr.trim(), ms: Date.now() - started, code: r.code };
}

/** The answer of a request that must succeed. */
export function answered(o: Outcome, what: string): Answer {
  if (!o.ok) throw new Error(`${what}: ${o.error}`);
  return o.answer;
}

/** One UDP "whoami" from this machine to addr:port; rejects when no answer comes within 2 s. */
export function udpWhoami(addr: string, port: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    const timer = setTimeout(() => {
      s.close();
      reject(new Error(`no UDP answer from ${addr}:${port} within 2 s`));
    }, 2_000);
    s.on('message', (m) => {
      clearTimeout(timer);
      s.close();
      resolve(parse(m.toString()));
    });
    s.on('error', (e) => {
      clearTimeout(timer);
      s.close();
      reject(e);
    });
    s.send('whoami', port, addr);
  });
}

/** The containers (hostnames) that answer `n` requests from outside to addr:port. */
export async function answerersOutside(addr: string, port: number, n: number): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const a = answered(await curlOutside(addr, port), `request ${i + 1} to ${addr}:${port}`);
    seen.set(a.hostname, (seen.get(a.hostname) ?? 0) + 1);
  }
  return seen;
}

/** One row of `shoal service ps --format json` with the fields these tests read. */
export interface MeshTaskRow {
  ID: string;
  Node: string;
  CurrentState: string;
  Ports: string;
}

export async function tasksOf(h: ClusterHost, service: string): Promise<MeshTaskRow[]> {
  return jsonLines<MeshTaskRow>(await shoalOk(h, 'service', 'ps', '--format', 'json', '-f', 'desired-state=running', service));
}

/** Waits until `service` has `n` tasks whose state starts with `state` (e.g. "Running"). */
export async function waitTasks(h: ClusterHost, service: string, n: number, state = 'Running', timeoutMs = 90_000): Promise<MeshTaskRow[]> {
  return waitFor(`${n} ${state} tasks of ${service}`, async () => {
    const rows = (await tasksOf(h, service)).filter((t) => t.CurrentState.startsWith(state));
    return rows.length === n ? rows : undefined;
  }, timeoutMs, 250);
}
