/** Node ids are small positive integers; 0 means "nobody" (no vote, no known leader). */
export type NodeId = number;
export const NONE: NodeId = 0;

export type EntryType = 'normal' | 'conf';

/** One log entry. Index 0 is the empty prefix (term 0) and never holds data. */
export interface Entry {
  term: number;
  index: number;
  type: EntryType;
  data: Uint8Array | string;
}

/** What must be on stable storage before any message of the same Ready is sent. */
export interface HardState {
  term: number;
  vote: NodeId;
  commit: number;
}

export type StateRole = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

/** Volatile state worth reporting; not persisted. */
export interface SoftState {
  lead: NodeId;
  state: StateRole;
}

export type MessageType =
  | 'MsgVote'
  | 'MsgVoteResp'
  | 'MsgPreVote'
  | 'MsgPreVoteResp'
  | 'MsgApp'
  | 'MsgAppResp'
  | 'MsgHeartbeat'
  | 'MsgHeartbeatResp'
  | 'MsgProp'
  | 'MsgReadIndex'
  | 'MsgReadIndexResp'
  | 'MsgTimeoutNow'
  | 'MsgSnap';

/**
 * One message between nodes (or, for MsgProp, from the application). Fields unused by a type are
 * zero / empty. `index` and `logTerm` name the entry preceding `entries` for MsgApp, the
 * candidate's last entry for votes, and the acknowledged (or rejected) index for MsgAppResp.
 */
export interface Message {
  type: MessageType;
  from: NodeId;
  to: NodeId;
  term: number;
  logTerm: number;
  index: number;
  entries: Entry[];
  commit: number;
  reject: boolean;
  /** On a rejected MsgAppResp: the follower's last index, so the leader can skip back. */
  rejectHint: number;
  /**
   * MsgVote/MsgPreVote: `'transfer'` for a campaign started by MsgTimeoutNow. MsgHeartbeat(Resp):
   * the read request being confirmed. MsgReadIndex(Resp): the caller's request context.
   */
  context: string;
  /** MsgSnap: the leader's snapshot, sent when the follower needs entries it has compacted. */
  snapshot?: Snapshot;
}

/**
 * The application state up to and including `index` (whose term is `term`), taken by the driver
 * from its state machine. `voters` and `learners` are the configuration at `index`.
 */
export interface Snapshot {
  index: number;
  term: number;
  voters: NodeId[];
  learners: NodeId[];
  data: Uint8Array | string;
}

/** A cluster configuration: who votes, and who only receives the log. */
export interface ConfState {
  voters: NodeId[];
  learners: NodeId[];
}

export type ConfChangeType = 'addLearner' | 'addVoter' | 'remove';

/** One membership change, carried by a 'conf' entry (`entry.data` is `encodeConfChange(cc)`). */
export interface ConfChange {
  type: ConfChangeType;
  node: NodeId;
  /** Opaque to raft, e.g. JSON with the member's address. */
  context: string;
}

export function encodeConfChange(cc: ConfChange): string {
  return JSON.stringify({ type: cc.type, node: cc.node, context: cc.context });
}

const CONF_CHANGE_TYPES: readonly string[] = ['addLearner', 'addVoter', 'remove'];

/** Parses the data of a 'conf' entry; throws on anything `encodeConfChange` did not produce. */
export function decodeConfChange(data: Uint8Array | string): ConfChange {
  const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
  const v = JSON.parse(text) as Partial<ConfChange> | null;
  if (v === null || typeof v !== 'object' || !CONF_CHANGE_TYPES.includes(String(v.type)) || typeof v.node !== 'number' || typeof v.context !== 'string') {
    throw new Error(`not a conf change: ${text}`);
  }
  return { type: v.type as ConfChangeType, node: v.node, context: v.context };
}

/** Size of an entry's data for `maxSizePerMsg`: bytes, or UTF-16 code units for strings. */
export function dataSize(data: Uint8Array | string): number {
  return typeof data === 'string' ? data.length : data.byteLength;
}

/** Fills the fields a message type does not use. */
export function message(fields: Pick<Message, 'type' | 'from' | 'to'> & Partial<Message>): Message {
  return { term: 0, logTerm: 0, index: 0, entries: [], commit: 0, reject: false, rejectHint: 0, context: '', ...fields };
}

/**
 * Everything the driver must do, in order: persist `snapshot`, `hardState` and `entries`, send
 * `messages`, restore the state machine from `snapshot`, apply `committedEntries` (which follow
 * the snapshot), then call `advance(ready)`.
 */
export interface Ready {
  softState?: SoftState;
  hardState?: HardState;
  /** A snapshot received from the leader: persist it (`applySnapshot`) and restore from it. */
  snapshot?: Snapshot;
  entries: Entry[];
  messages: Message[];
  committedEntries: Entry[];
  /** Answers to `readIndex` calls, in order; serve each once `index` has been applied. */
  readStates: ReadState[];
}

/**
 * A confirmed read: every write committed before the read was requested is at or below `index`.
 * The application answers the read `requestCtx` once it has applied `index`.
 */
export interface ReadState {
  index: number;
  requestCtx: string;
}

export function isEmptyHardState(hs: HardState): boolean {
  return hs.term === 0 && hs.vote === NONE && hs.commit === 0;
}

export function sameHardState(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}
