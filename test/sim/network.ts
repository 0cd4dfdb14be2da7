/**
 * The simulated network: per-message delay, loss, duplication and long delays (reordering), and
 * partitions (split, isolated leader, one-way, lossy links) until healed.
 */
import type { Message, NodeId } from '@shoal/raft';
import type { EvOf } from './events.js';
import { pick, randInt } from './rng.js';
import type { World } from './world.js';

function cloneMessage(m: Message): Message {
  const c: Message = { ...m, entries: m.entries.map((e) => ({ ...e })) };
  if (m.snapshot) c.snapshot = { ...m.snapshot, voters: [...m.snapshot.voters], learners: [...m.snapshot.learners] };
  return c;
}

export class Network {
  /** Links `a>b` that drop every message. */
  private readonly blocked = new Set<string>();
  /** Links `a>b` with their loss rate during a lossy partition. */
  private readonly lossy = new Map<string, number>();
  private partitionActive = false;

  constructor(private readonly sim: World) {}

  send(m: Message): void {
    const sim = this.sim;
    sim.stats.messagesSent++;
    const link = `${m.from}>${m.to}`;
    const f = sim.faultCfg;
    const lossRate = sim.netFaultsOn ? Math.max(f.loss, this.lossy.get(link) ?? 0) : 0;
    if (this.blocked.has(link) || sim.netRng.next() < lossRate) {
      sim.stats.messagesLost++;
      if (m.type === 'MsgSnap') {
        sim.trace(`MsgSnap ${m.from}>${m.to} snap${m.snapshot?.index ?? 0} lost`);
        sim.at(randInt(sim.netRng, 50, 300), { k: 'snapReport', node: m.from, to: m.to, ok: false });
      }
      return;
    }
    const copies = sim.netFaultsOn && sim.netRng.next() < f.duplicate ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      let delay = randInt(sim.netRng, f.minDelayMs, f.maxDelayMs);
      if (sim.netFaultsOn && sim.netRng.next() < f.longDelay) delay += randInt(sim.netRng, 50, 500);
      sim.at(delay, { k: 'msg', m: cloneMessage(m) });
    }
  }

  deliver(ev: EvOf<'msg'>): void {
    const sim = this.sim;
    const m = ev.m;
    const n = sim.node(m.to);
    if (this.blocked.has(`${m.from}>${m.to}`) || !n.up || !n.host) {
      sim.stats.messagesLost++;
      if (m.type === 'MsgSnap') sim.at(randInt(sim.netRng, 1, 30), { k: 'snapReport', node: m.from, to: m.to, ok: false });
      return;
    }
    if (m.type === 'MsgSnap') sim.at(randInt(sim.netRng, 1, 30), { k: 'snapReport', node: m.from, to: m.to, ok: true });
    if (sim.driver.held(n, ev)) return;
    sim.trace(`${m.type} ${m.from}>${m.to} t${m.term} i${m.index} lt${m.logTerm} c${m.commit} n${m.entries.length}${m.reject ? ' rej' : ''}${m.snapshot ? ` snap${m.snapshot.index}` : ''}${m.context ? ` ${m.context}` : ''}`);
    n.transport!.received(m.from);
    n.host.step(m);
  }

  /** Starts a partition unless one is in place; a `heal` event ends it. */
  partition(): void {
    if (this.partitionActive) return;
    const sim = this.sim;
    const rng = sim.faultRng;
    const kind = pick(rng, ['split', 'split', 'isolate-leader', 'asymmetric', 'lossy'] as const);
    const ids = [...sim.ids];
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    let desc: string;
    if (kind === 'split' || kind === 'isolate-leader') desc = this.split(kind, ids);
    else if (kind === 'asymmetric') desc = this.oneWay(ids[0]!);
    else desc = this.lossyLinks();
    this.partitionActive = true;
    sim.stats.partitions++;
    sim.trace(`partition ${desc}`);
    sim.at(randInt(rng, 300, 4000), { k: 'heal' });
  }

  healPartition(): void {
    if (!this.partitionActive) return;
    this.blocked.clear();
    this.lossy.clear();
    this.partitionActive = false;
    this.sim.trace('heal partition');
  }

  private cut(a: NodeId, b: NodeId): void {
    this.blocked.add(`${a}>${b}`);
  }

  /** Cuts a minority (the first of the shuffled `ids`, or the leader) from the rest. */
  private split(kind: 'split' | 'isolate-leader', ids: NodeId[]): string {
    const sim = this.sim;
    const leader = sim.faults.leader();
    const size = kind === 'isolate-leader' ? 1 : randInt(sim.faultRng, 1, Math.floor((sim.n - 1) / 2));
    const minority = kind === 'isolate-leader' && leader ? [leader.id] : ids.slice(0, size);
    for (const a of minority) {
      for (const b of sim.ids) {
        if (minority.includes(b)) continue;
        this.cut(a, b);
        this.cut(b, a);
      }
    }
    return `${kind} [${minority.join(',')}] | [${sim.ids.filter((id) => !minority.includes(id)).join(',')}]`;
  }

  /** Node `a` can no longer send, or no longer receive. */
  private oneWay(a: NodeId): string {
    const outgoing = this.sim.faultRng.next() < 0.5;
    for (const b of this.sim.ids) {
      if (b === a) continue;
      if (outgoing) this.cut(a, b);
      else this.cut(b, a);
    }
    return `asymmetric: ${a} ${outgoing ? 'cannot send' : 'cannot receive'}`;
  }

  /** Some links lose 30–90% of their messages. */
  private lossyLinks(): string {
    const rng = this.sim.faultRng;
    const links: string[] = [];
    for (const a of this.sim.ids)
      for (const b of this.sim.ids)
        if (a !== b && rng.next() < 0.4) {
          const rate = 0.3 + 0.6 * rng.next();
          this.lossy.set(`${a}>${b}`, rate);
          links.push(`${a}>${b}:${rate.toFixed(2)}`);
        }
    return `lossy ${links.join(' ')}`;
  }
}
