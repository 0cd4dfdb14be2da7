/**
 * A linearizability checker: the Wing–Gong search as improved by Lowe, with the memoisation of
 * (set of operations linearized so far, model state) used by the Porcupine checker.
 *
 * The history is turned into a time-ordered list of call and return events. The search walks that
 * list, tentatively linearizing any operation whose call it meets (if the model accepts it and the
 * resulting (linearized set, state) configuration was never seen before), lifting both of its
 * events out of the list. Meeting a return event means the operation it belongs to had to be
 * linearized already: the search backtracks the most recent tentative choice and tries the next
 * candidate. The history is linearizable when the list empties; it is not when the search must
 * backtrack with nothing left to undo.
 *
 * Intervals are closed: an operation whose call time equals another's return time is treated as
 * concurrent with it. An operation whose outcome is unknown (the client crashed or timed out) can
 * be recorded with `return: Infinity` and an output that the model accepts for any effect.
 */

export interface Operation<I, O> {
  clientId: number | string;
  input: I;
  /** Time the call was issued. */
  call: number;
  output: O;
  /** Time the response was received (Infinity if it never was). */
  return: number;
}

export interface Model<S, I, O> {
  init(): S;
  /** Apply `input` to `state`; ok is false when the model could not have produced `output`. */
  step(state: S, input: I, output: O): [ok: boolean, next: S];
  /** A canonical string for the state: equal states must hash equal. Defaults to JSON.stringify. */
  hash?(state: S): string;
  /** Split a history into independent sub-histories, each checked on its own (P-compositionality). */
  partition?(history: readonly Operation<I, O>[]): Operation<I, O>[][];
  /** A short human-readable form of an operation for explanations. */
  describe?(op: Operation<I, O>): string;
}

export interface CheckOptions {
  /** Give up (result 'unknown') after this long, across all partitions. */
  timeoutMs?: number;
  /** Time source for the timeout; defaults to performance.now. */
  now?: () => number;
}

export type CheckResult<I, O> =
  | { result: 'ok'; partitions: number }
  | {
      result: 'illegal';
      partitions: number;
      /** Index of the partition that is not linearizable. */
      partition: number;
      /** The longest linearization of that partition's operations the search found. */
      longestPrefix: Operation<I, O>[];
      /**
       * An operation that had to be linearized next (its return was reached) but could not be, at the
       * deepest point of the search.
       */
      stuck: Operation<I, O> | undefined;
      explanation: string;
    }
  | { result: 'unknown'; partitions: number; reason: string };

type SearchResult<I, O> =
  | { kind: 'ok' }
  | { kind: 'illegal'; longestPrefix: Operation<I, O>[]; stuck: Operation<I, O> | undefined }
  | { kind: 'timeout' };

interface Entry {
  /** Operation index within the partition. */
  id: number;
  isCall: boolean;
  time: number;
  /** The return entry of a call entry. */
  match: Entry | undefined;
  prev: Entry | undefined;
  next: Entry | undefined;
}

/** Builds the doubly linked list of events, headed by a sentinel. */
function buildList<I, O>(ops: readonly Operation<I, O>[]): Entry {
  const events: Entry[] = [];
  ops.forEach((op, id) => {
    if (!(op.call <= op.return)) throw new Error(`operation ${id} returns (${op.return}) before its call (${op.call})`);
    const ret: Entry = { id, isCall: false, time: op.return, match: undefined, prev: undefined, next: undefined };
    const call: Entry = { id, isCall: true, time: op.call, match: ret, prev: undefined, next: undefined };
    events.push(call, ret);
  });
  // Calls before returns at equal times: touching intervals are concurrent.
  events.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? a.id - b.id : a.isCall ? -1 : 1));
  const head: Entry = { id: -1, isCall: false, time: -Infinity, match: undefined, prev: undefined, next: undefined };
  let last = head;
  for (const e of events) {
    last.next = e;
    e.prev = last;
    last = e;
  }
  return head;
}

/** Removes a call entry and its return entry from the list. */
function lift(call: Entry): void {
  if (call.prev) call.prev.next = call.next;
  if (call.next) call.next.prev = call.prev;
  const ret = call.match as Entry;
  if (ret.prev) ret.prev.next = ret.next;
  if (ret.next) ret.next.prev = ret.prev;
}

/** Undoes lift: entries are put back where they were (LIFO order keeps their neighbours valid). */
function unlift(call: Entry): void {
  const ret = call.match as Entry;
  if (ret.prev) ret.prev.next = ret;
  if (ret.next) ret.next.prev = ret;
  if (call.prev) call.prev.next = call;
  if (call.next) call.next.prev = call;
}

class Bitset {
  readonly words: Uint32Array;
  constructor(size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32) || 1);
  }
  set(i: number): void {
    this.words[i >>> 5] = (this.words[i >>> 5] as number) | (1 << (i & 31));
  }
  clear(i: number): void {
    this.words[i >>> 5] = (this.words[i >>> 5] as number) & ~(1 << (i & 31));
  }
  key(): string {
    let s = '';
    for (const w of this.words) s += w.toString(36) + ',';
    return s;
  }
}

function search<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
  expired: () => boolean,
): SearchResult<I, O> {
  const hash = model.hash ? (s: S) => (model.hash as (s: S) => string)(s) : (s: S) => JSON.stringify(s);
  const head = buildList(ops);
  const linearized = new Bitset(ops.length);
  const seen = new Set<string>();
  const calls: { entry: Entry; state: S }[] = [];
  let state = model.init();
  let best: Operation<I, O>[] = [];
  let stuck: Operation<I, O> | undefined;
  let steps = 0;
  let entry = head.next;

  while (head.next !== undefined) {
    if ((++steps & 0x3ff) === 0 && expired()) return { kind: 'timeout' };
    if (entry === undefined) throw new Error('internal: ran off the end of the event list');
    if (entry.isCall) {
      const op = ops[entry.id] as Operation<I, O>;
      const [ok, next] = model.step(state, op.input, op.output);
      if (ok) {
        linearized.set(entry.id);
        const key = linearized.key() + '|' + hash(next);
        if (!seen.has(key)) {
          seen.add(key);
          calls.push({ entry, state });
          state = next;
          lift(entry);
          entry = head.next;
          continue;
        }
        linearized.clear(entry.id);
      }
      entry = entry.next;
    } else {
      // The operation returning here was not linearized: the last choice was wrong.
      if (calls.length > best.length || stuck === undefined) {
        best = calls.map((c) => ops[c.entry.id] as Operation<I, O>);
        stuck = ops[entry.id];
      }
      const top = calls.pop();
      if (top === undefined) return { kind: 'illegal', longestPrefix: best, stuck };
      state = top.state;
      linearized.clear(top.entry.id);
      unlift(top.entry);
      entry = top.entry.next;
    }
  }
  return { kind: 'ok' };
}

function describeOp<S, I, O>(model: Model<S, I, O>, op: Operation<I, O>): string {
  if (model.describe) return model.describe(op);
  return `client ${op.clientId}: ${JSON.stringify(op.input)} -> ${JSON.stringify(op.output)} [${op.call}, ${op.return}]`;
}

/** Checks whether `history` is linearizable with respect to `model`. */
export function checkOperations<S, I, O>(
  model: Model<S, I, O>,
  history: readonly Operation<I, O>[],
  options: CheckOptions = {},
): CheckResult<I, O> {
  const now = options.now ?? (() => performance.now());
  const deadline = options.timeoutMs === undefined ? Infinity : now() + options.timeoutMs;
  const expired = () => now() >= deadline;
  const partitions = model.partition ? model.partition(history) : [history.slice()];
  let timedOut = false;
  for (let i = 0; i < partitions.length; i++) {
    const part = partitions[i] as Operation<I, O>[];
    const r = search(model, part, expired);
    if (r.kind === 'illegal') {
      const describe = (op: Operation<I, O>) => describeOp(model, op);
      const lines = [
        `partition ${i} (${part.length} operations) is not linearizable`,
        `longest linearizable prefix found (${r.longestPrefix.length} operations):`,
        ...r.longestPrefix.map((op, n) => `  ${n + 1}. ${describe(op)}`),
        r.stuck ? `could not place next: ${describe(r.stuck)}` : 'could not place any operation',
      ];
      return {
        result: 'illegal',
        partitions: partitions.length,
        partition: i,
        longestPrefix: r.longestPrefix,
        stuck: r.stuck,
        explanation: lines.join('\n'),
      };
    }
    if (r.kind === 'timeout') {
      // Keep going: a later (small) partition may still be proved illegal before it notices the deadline.
      timedOut = true;
    }
  }
  if (timedOut) {
    return { result: 'unknown', partitions: partitions.length, reason: `timed out after ${options.timeoutMs} ms` };
  }
  return { result: 'ok', partitions: partitions.length };
}
