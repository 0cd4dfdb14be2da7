/** Read-only views of the whole cluster, for the end-of-run checks and failure messages. */
import type { NodeId } from '@shoal/raft';
import type { World } from './world.js';

/** One leader, every node up, following it and having applied its whole log; no client op pending. */
export function isQuiet(sim: World): boolean {
  let leader: NodeId = 0;
  for (const n of sim.nodes.values()) {
    if (!n.up || n.paused || !n.host) return false;
    if (n.host.status().state === 'leader') {
      if (leader !== 0) return false;
      leader = n.id;
    }
  }
  if (leader === 0) return false;
  const last = sim.node(leader).host!.status().lastIndex;
  for (const n of sim.nodes.values()) {
    const s = n.host!.status();
    if (s.lead !== leader || s.commit !== last || s.applied !== last || n.storage!.lastIndex() !== last) return false;
  }
  return sim.clients.allIdle();
}

/** Every node is up and its host has applied the highest commit index any node knows. */
export function allApplied(sim: World): boolean {
  const applied = new Set([...sim.nodes.values()].map((n) => (n.up && !n.paused ? n.host!.status().applied : -1)));
  const [a] = [...applied];
  return applied.size === 1 && a !== -1 && a === maxCommit(sim);
}

export function maxCommit(sim: World): number {
  let m = 0;
  for (const n of sim.nodes.values()) if (n.host) m = Math.max(m, n.host.status().commit);
  return m;
}

export function maxTerm(sim: World): number {
  let m = 0;
  for (const n of sim.nodes.values()) if (n.host) m = Math.max(m, n.host.status().term);
  return m;
}

/** Each node's role, term, leader, indexes and (on a leader) its followers' progress. */
export function describeCluster(sim: World): string {
  return sim.ids
    .map((id) => {
      const n = sim.node(id);
      if (!n.up || !n.host) return `${id}:${n.starting ? 'starting' : 'down'}`;
      const s = n.host.status();
      const progress = Object.entries(s.progress ?? {})
        .map(([peer, p]) => `${peer}:${p.state} m${p.match} n${p.next}${p.recentActive ? '' : ' inactive'}`)
        .join(' ');
      return `${id}:${s.state[0]} t${s.term} lead${s.lead} c${s.commit} a${s.applied} l${s.lastIndex} f${s.firstIndex}${n.paused ? ' paused' : ''}${progress ? ` [${progress}]` : ''}`;
    })
    .join(', ');
}
