import type { RunResult } from '../harness/exec.js';
import type { ClusterHost } from '../harness/cluster.js';

/** One row of `shoal node ls --format json`. */
export interface NodeRow {
  ID: string;
  Hostname: string;
  Status: string;
  Availability: string;
  ManagerStatus: string;
  Self: boolean;
}

/** One row of `shoal service ps --format json`. */
export interface TaskRow {
  ID: string;
  Name: string;
  Node: string;
  DesiredState: string;
  CurrentState: string;
  Error: string;
}

export const jsonLines = <T>(out: string): T[] =>
  out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);

export function describeRun(args: string[], r: RunResult): string {
  return `shoal ${args.join(' ')} exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`;
}

export async function shoalOk(h: ClusterHost, ...args: string[]): Promise<string> {
  const r = await h.shoal(...args);
  if (r.code !== 0) throw new Error(`${h.name}: ${describeRun(args, r)}\n--- ${h.name} shoald log ---\n${(await h.shoaldLog()).trim().split('\n').slice(-15).join('\n')}`);
  return r.stdout;
}

export async function nodes(h: ClusterHost): Promise<NodeRow[]> {
  return jsonLines<NodeRow>(await shoalOk(h, 'node', 'ls', '--format', 'json'));
}
