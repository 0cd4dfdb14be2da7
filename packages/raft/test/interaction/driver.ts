import { seededRng } from '@shoal/common';
import { decodeConfChange, MemoryStorage, RaftNode, type ConfChangeType, type ConfState, type Entry, type HardState, type Message, type NodeId, type Ready, type Snapshot, type Status } from '../../src/index.js';
import { list, num, parseCommand, type Command } from './datadriven.js';

/** The base of every node's random seed: node `id` draws from seededRng(SEED + id). */
const SEED = 1000;

interface Peer {
  id: NodeId;
  node: RaftNode;
  storage: MemoryStorage;
  /** The test state machine: the data of every applied entry, by index. */
  applied: { index: number; data: string }[];
  /** How many times it was (re)started, which varies its seed after a restart. */
  incarnation: number;
  /** The configuration it was created with (empty for a node joining a running cluster). */
  initial: ConfState;
  /** The configuration after each applied conf entry, oldest first, for snapshots. */
  confs: { index: number; conf: ConfState }[];
  cfg: Config;
}

interface Config {
  electionTicks: number;
  heartbeatTicks: number;
  preVote: boolean;
  checkQuorum: boolean;
}

/**
 * Runs the commands of interaction scenarios against a set of RaftNodes in one process. Nothing
 * happens on its own: every tick, Ready and message delivery is a command, and every command
 * returns what it did as text.
 */
export class InteractionDriver {
  private readonly peers = new Map<NodeId, Peer>();
  /** Messages addressed to each node id, waiting for `deliver-msgs` (the node may not exist yet). */
  private readonly inboxes = new Map<NodeId, Message[]>();
  /** Node ids on one side of a partition; empty when healed. */
  private cut = new Set<NodeId>();
  /** `log-level none` hides the output of the commands that follow (set-up), until `log-level info`. */
  private quiet = false;

  run(line: string): string {
    const cmd = parseCommand(line);
    const out: string[] = [];
    const handler = this.handlers[cmd.name];
    if (handler === undefined) throw new Error(`unknown command ${cmd.name}`);
    handler(cmd, out);
    return out.length === 0 || (this.quiet && cmd.name !== 'log-level') ? 'ok' : out.join('\n');
  }

  private readonly handlers: Record<string, (cmd: Command, out: string[]) => void> = {
    'log-level': (cmd) => {
      const level = cmd.positional[0];
      if (level !== 'none' && level !== 'info') throw new Error('log-level none|info');
      this.quiet = level === 'none';
    },
    'add-nodes': (cmd, out) => this.addNodes(cmd, out),
    campaign: (cmd) => this.peer(arg(cmd, 0)).node.campaign(),
    tick: (cmd) => this.tick(arg(cmd, 0), cmd.positional[1] === undefined ? 1 : num(cmd.positional[1])),
    'tick-heartbeat': (cmd) => this.tick(arg(cmd, 0), this.peer(arg(cmd, 0)).cfg.heartbeatTicks),
    'tick-election': (cmd, out) => this.tickElection(arg(cmd, 0), out),
    propose: (cmd, out) => {
      const data = cmd.positional[1] ?? '';
      if (!this.peer(arg(cmd, 0)).node.propose(data)) out.push('dropped');
    },
    'process-ready': (cmd, out) => {
      for (const id of ids(cmd)) this.processReady(this.peer(id), out);
    },
    'deliver-msgs': (cmd, out) => this.deliverMsgs(cmd, out),
    stabilize: (cmd, out) => this.stabilize(cmd.positional.length === 0 ? [...this.peers.keys()] : ids(cmd), out),
    partition: (cmd, out) => {
      this.cut = new Set(ids(cmd));
      const rest = [...this.peers.keys()].filter((id) => !this.cut.has(id));
      out.push(`partitioned (${[...this.cut].join(',')}) from (${rest.join(',')})`);
    },
    heal: (_cmd, out) => {
      this.cut = new Set();
      out.push('healed');
    },
    restart: (cmd, out) => this.restart(arg(cmd, 0), out),
    compact: (cmd, out) => this.compact(arg(cmd, 0), num(cmd.positional[1] ?? ''), out),
    'transfer-leadership': (cmd, out) => {
      const from = num(cmd.keyed.get('from') ?? '');
      const to = num(cmd.keyed.get('to') ?? '');
      if (!this.peer(from).node.transferLeadership(to)) out.push('refused');
    },
    'read-index': (cmd, out) => {
      if (!this.peer(arg(cmd, 0)).node.readIndex(cmd.positional[1] ?? '')) out.push('dropped');
    },
    'propose-conf-change': (cmd, out) => {
      const type = cmd.positional[1] as ConfChangeType;
      if (!['addLearner', 'addVoter', 'remove'].includes(type)) throw new Error('propose-conf-change ID addLearner|addVoter|remove NODE');
      if (!this.peer(arg(cmd, 0)).node.proposeConfChange({ type, node: arg(cmd, 2), context: '' })) out.push('refused');
    },
    'report-unreachable': (cmd) => this.peer(arg(cmd, 0)).node.reportUnreachable(arg(cmd, 1)),
    'report-snapshot': (cmd) => this.peer(arg(cmd, 0)).node.reportSnapshot(arg(cmd, 1), cmd.positional[2] !== 'fail'),
    status: (cmd, out) => this.status(arg(cmd, 0), out),
    'raft-log': (cmd, out) => this.raftLog(arg(cmd, 0), out),
    'raft-state': (_cmd, out) => {
      for (const p of this.peers.values()) {
        const s = p.node.status();
        out.push(`${p.id}: ${s.state} Term:${s.term} Lead:${s.lead}${this.cut.has(p.id) ? ' (partitioned)' : ''}`);
      }
    },
    'applied-state': (cmd, out) => {
      for (const id of cmd.positional.length === 0 ? [...this.peers.keys()] : ids(cmd)) {
        const p = this.peer(id);
        out.push(`${id}: [${p.applied.map((a) => `${a.index}:${JSON.stringify(a.data)}`).join(' ')}]`);
      }
    },
  };

  // ---- nodes ---------------------------------------------------------------------------------

  private addNodes(cmd: Command, out: string[]): void {
    const n = num(cmd.positional[0] ?? '');
    const first = this.peers.size + 1;
    const created = Array.from({ length: n }, (_, i) => first + i);
    const voters = cmd.keyed.has('voters') ? list(cmd.keyed.get('voters')!) : created;
    const learners = cmd.keyed.has('learners') ? list(cmd.keyed.get('learners')!) : [];
    const cfg: Config = {
      electionTicks: num(cmd.keyed.get('election') ?? '10'),
      heartbeatTicks: num(cmd.keyed.get('heartbeat') ?? '1'),
      preVote: (cmd.keyed.get('prevote') ?? 'true') === 'true',
      checkQuorum: (cmd.keyed.get('checkquorum') ?? 'true') === 'true',
    };
    for (const id of created) {
      const initial = { voters: [...voters], learners: [...learners] };
      const peer: Peer = { id, node: undefined as unknown as RaftNode, storage: new MemoryStorage(), applied: [], incarnation: 0, initial, confs: [], cfg };
      peer.node = this.newNode(peer);
      this.peers.set(id, peer);
      out.push(`node ${id}: ${fmtConf(initial)} election=${cfg.electionTicks} heartbeat=${cfg.heartbeatTicks} prevote=${cfg.preVote} checkquorum=${cfg.checkQuorum}`);
    }
  }

  private newNode(p: Peer): RaftNode {
    const c = p.cfg;
    return new RaftNode({
      id: p.id,
      peers: p.initial.voters,
      learners: p.initial.learners,
      storage: p.storage,
      rng: seededRng(SEED + p.id + 100 * p.incarnation),
      electionTicks: c.electionTicks,
      heartbeatTicks: c.heartbeatTicks,
      preVote: c.preVote,
      checkQuorum: c.checkQuorum,
    });
  }

  private peer(id: NodeId): Peer {
    const p = this.peers.get(id);
    if (p === undefined) throw new Error(`no node ${id}`);
    return p;
  }

  private restart(id: NodeId, out: string[]): void {
    const p = this.peer(id);
    p.incarnation++;
    // The state machine is rebuilt from the stored snapshot; the node re-applies the rest.
    const snap = p.storage.snapshot();
    p.applied = decodeSnapshot(snap);
    p.confs = p.confs.filter((c) => c.index <= snap.index);
    p.node = this.newNode(p);
    const hs = p.storage.initialState();
    out.push(`restarted ${id} from storage: ${fmtHardState(hs)} snapshot ${p.storage.snapshot().index} log [${p.storage.firstIndex()}, ${p.storage.lastIndex()}]`);
  }

  // ---- time ----------------------------------------------------------------------------------

  private tick(id: NodeId, times: number): void {
    const node = this.peer(id).node;
    for (let i = 0; i < times; i++) node.tick();
  }

  /**
   * A leader ticks one election timeout (CheckQuorum runs then). Anyone else ticks until its
   * randomized election timeout fires (it campaigns), at most 2 * electionTicks times; the
   * number of ticks it took is printed, since it depends on the node's seed.
   */
  private tickElection(id: NodeId, out: string[]): void {
    const { node, cfg } = this.peer(id);
    if (node.status().state === 'leader') {
      this.tick(id, cfg.electionTicks);
      return;
    }
    const before = JSON.stringify(node.status());
    const hadReady = node.hasReady();
    for (let i = 1; i <= 2 * cfg.electionTicks; i++) {
      node.tick();
      if ((!hadReady && node.hasReady()) || JSON.stringify(node.status()) !== before) {
        out.push(`election timeout after ${i} ticks`);
        return;
      }
    }
    out.push(`no election timeout in ${2 * cfg.electionTicks} ticks`);
  }

  // ---- Ready ---------------------------------------------------------------------------------

  /** The driver loop of the README for one Ready: persist, send, apply, advance. */
  private processReady(p: Peer, out: string[]): boolean {
    if (!p.node.hasReady()) return false;
    const rd = p.node.ready();
    out.push(`> ${p.id} handling Ready`);
    for (const line of fmtReady(rd)) out.push(`  ${line}`);
    if (rd.snapshot) p.storage.applySnapshot(rd.snapshot);
    if (rd.hardState) p.storage.setHardState(rd.hardState);
    p.storage.append(rd.entries);
    for (const m of rd.messages) this.inbox(m.to).push(m);
    if (rd.snapshot) {
      p.applied = decodeSnapshot(rd.snapshot);
      p.confs = [{ index: rd.snapshot.index, conf: { voters: rd.snapshot.voters, learners: rd.snapshot.learners } }];
    }
    for (const e of rd.committedEntries) {
      if (e.type !== 'conf') p.applied.push({ index: e.index, data: dataText(e.data) });
      if (e.type === 'conf') {
        const cc = decodeConfChange(e.data);
        p.applied.push({ index: e.index, data: `conf: ${cc.type} ${cc.node}` });
        const conf = p.node.applyConfChange(cc);
        p.confs.push({ index: e.index, conf });
        out.push(`  applied conf change ${e.term}/${e.index} ${cc.type} ${cc.node}: now ${fmtConf(conf)}`);
      }
    }
    p.node.advance(rd);
    return true;
  }

  private deliverMsgs(cmd: Command, out: string[]): void {
    const type = cmd.keyed.get('type');
    const pick = (m: Message): boolean => type === undefined || m.type === type;
    if (cmd.keyed.has('drop')) {
      for (const id of list(cmd.keyed.get('drop')!)) {
        const inbox = this.inbox(id);
        for (const m of inbox.filter(pick)) out.push(`dropped: ${fmtMessage(m)}`);
        this.inboxes.set(id, inbox.filter((m) => !pick(m)));
      }
    }
    for (const id of ids(cmd)) this.deliver(this.peer(id), out, pick);
  }

  private deliver(p: Peer, out: string[], pick: (m: Message) => boolean = () => true): boolean {
    const batch = this.inbox(p.id).filter(pick);
    if (batch.length === 0) return false;
    this.inboxes.set(p.id, this.inbox(p.id).filter((m) => !pick(m)));
    for (const m of batch) {
      if (this.cut.has(m.from) !== this.cut.has(m.to) && this.cut.size > 0) {
        out.push(`${fmtMessage(m)} (dropped: partition)`);
        continue;
      }
      out.push(fmtMessage(m));
      p.node.step(m);
    }
    return true;
  }

  /** Processes Readys and delivers messages among `group` until none of them has anything to do. */
  private stabilize(group: NodeId[], out: string[]): void {
    for (let round = 0; round < 1000; round++) {
      let busy = false;
      for (const id of group) {
        while (this.processReady(this.peer(id), out)) busy = true;
      }
      for (const id of group) {
        const p = this.peer(id);
        if (this.inbox(id).length === 0) continue;
        out.push(`> ${id} receiving messages`);
        const lines: string[] = [];
        busy = this.deliver(p, lines) || busy;
        out.push(...lines.map((l) => `  ${l}`));
      }
      if (!busy) return;
    }
    throw new Error('stabilize did not settle in 1000 rounds');
  }

  // ---- storage -------------------------------------------------------------------------------

  private compact(id: NodeId, index: number, out: string[]): void {
    const p = this.peer(id);
    const data = JSON.stringify(p.applied.filter((a) => a.index <= index));
    const conf = p.confs.filter((c) => c.index <= index).at(-1)?.conf ?? p.initial;
    p.storage.createSnapshot(index, conf, data);
    p.storage.compact(index);
    out.push(`${id}: snapshot at ${index}, log now [${p.storage.firstIndex()}, ${p.storage.lastIndex()}]`);
  }

  private inbox(id: NodeId): Message[] {
    let inbox = this.inboxes.get(id);
    if (inbox === undefined) {
      inbox = [];
      this.inboxes.set(id, inbox);
    }
    return inbox;
  }

  private status(id: NodeId, out: string[]): void {
    const s = this.peer(id).node.status();
    out.push(`${id}: ${s.state} Term:${s.term} Vote:${s.vote} Lead:${s.lead} Commit:${s.commit} Applied:${s.applied} Log:[${s.firstIndex}, ${s.lastIndex}]${s.leadTransferee !== 0 ? ` LeadTransferee:${s.leadTransferee}` : ''}`);
    out.push(`  ${fmtConf(s)}`);
    for (const line of fmtProgress(s)) out.push(`  ${line}`);
  }

  private raftLog(id: NodeId, out: string[]): void {
    const p = this.peer(id);
    const s = p.node.status();
    const snap = p.storage.snapshot();
    if (snap.index > 0) out.push(`snapshot ${fmtSnapshot(snap)}`);
    const entries = p.node.entries(s.firstIndex, s.lastIndex + 1);
    if (entries.length === 0) out.push('log is empty');
    for (const e of entries) out.push(fmtEntry(e));
  }
}

function arg(cmd: Command, i: number): NodeId {
  return num(cmd.positional[i] ?? '');
}

function ids(cmd: Command): NodeId[] {
  return cmd.positional.map(num);
}

function dataText(data: Uint8Array | string): string {
  return typeof data === 'string' ? data : new TextDecoder().decode(data);
}

function decodeSnapshot(snap: Snapshot): { index: number; data: string }[] {
  if (snap.index === 0) return [];
  return JSON.parse(dataText(snap.data)) as { index: number; data: string }[];
}

// ---- formatting ----------------------------------------------------------------------------------

export function fmtHardState(hs: HardState): string {
  return `Term:${hs.term} Vote:${hs.vote} Commit:${hs.commit}`;
}

export function fmtEntry(e: Entry): string {
  if (e.type === 'conf') {
    const cc = decodeConfChange(e.data);
    return `${e.term}/${e.index} EntryConfChange ${cc.type} ${cc.node}${cc.context !== '' ? ` ${JSON.stringify(cc.context)}` : ''}`;
  }
  return `${e.term}/${e.index} EntryNormal ${JSON.stringify(dataText(e.data))}`;
}

function fmtEntries(es: readonly Entry[]): string {
  return `[${es.map(fmtEntry).join(', ')}]`;
}

export function fmtSnapshot(s: Snapshot): string {
  return `Index:${s.index} Term:${s.term} ${fmtConf(s)}`;
}

export function fmtConf(c: ConfState): string {
  return `voters=(${c.voters.join(',')})${c.learners.length > 0 ? ` learners=(${c.learners.join(',')})` : ''}`;
}

function fmtProgress(s: Status): string[] {
  return Object.entries(s.progress).map(([id, pr]) => `${id}: ${pr.state} match=${pr.match} next=${pr.next}${pr.learner ? ' learner' : ''}${pr.recentActive ? ' active' : ''}`);
}

/** One message on one line, showing only the fields its type uses. */
export function fmtMessage(m: Message): string {
  const head = `${m.from}->${m.to} ${m.type} Term:${m.term}`;
  const ctx = m.context !== '' ? ` Context:${m.context}` : '';
  const rej = m.reject ? ' Rejected' : '';
  switch (m.type) {
    case 'MsgVote':
    case 'MsgPreVote':
      return `${head} Log:${m.logTerm}/${m.index}${ctx}`;
    case 'MsgVoteResp':
    case 'MsgPreVoteResp':
      return `${head}${rej}`;
    case 'MsgApp':
      return `${head} Log:${m.logTerm}/${m.index} Commit:${m.commit}${m.entries.length > 0 ? ` Entries:${fmtEntries(m.entries)}` : ''}`;
    case 'MsgAppResp':
      return `${head} Index:${m.index}${m.reject ? ` Rejected (Hint: ${m.rejectHint})` : ''}`;
    case 'MsgHeartbeat':
      return `${head} Commit:${m.commit}${ctx}`;
    case 'MsgHeartbeatResp':
      return `${head}${ctx}`;
    case 'MsgProp':
      // Not yet in anyone's log: no term or index to show.
      return `${m.from}->${m.to} MsgProp Entries:[${m.entries.map((e) => (e.type === 'conf' ? `EntryConfChange ${JSON.stringify(dataText(e.data))}` : `EntryNormal ${JSON.stringify(dataText(e.data))}`)).join(', ')}]`;
    case 'MsgReadIndex':
      return `${head}${ctx}`;
    case 'MsgReadIndexResp':
      return `${head} Index:${m.index}${ctx}`;
    case 'MsgSnap':
      return `${head} Snapshot:{${m.snapshot ? fmtSnapshot(m.snapshot) : 'none'}}`;
    default:
      return head;
  }
}

function fmtReady(rd: Ready): string[] {
  const lines: string[] = [];
  if (rd.softState) lines.push(`Lead:${rd.softState.lead} State:${rd.softState.state}`);
  if (rd.hardState) lines.push(`HardState ${fmtHardState(rd.hardState)}`);
  if (rd.snapshot) lines.push(`Snapshot ${fmtSnapshot(rd.snapshot)}`);
  if (rd.entries.length > 0) {
    lines.push('Entries:');
    for (const e of rd.entries) lines.push(`  ${fmtEntry(e)}`);
  }
  if (rd.messages.length > 0) {
    lines.push('Messages:');
    for (const m of rd.messages) lines.push(`  ${fmtMessage(m)}`);
  }
  if (rd.committedEntries.length > 0) {
    lines.push('CommittedEntries:');
    for (const e of rd.committedEntries) lines.push(`  ${fmtEntry(e)}`);
  }
  if (rd.readStates.length > 0) {
    lines.push('ReadStates:');
    for (const r of rd.readStates) lines.push(`  Index:${r.index} Context:${r.requestCtx}`);
  }
  return lines;
}
