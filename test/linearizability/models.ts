import type { Model, Operation } from './checker.js';

/** A single read/write register. A read's output is the value it returned; a write's is ignored. */
export type RegisterInput<V> = { kind: 'read' } | { kind: 'write'; value: V };
export type RegisterOp<V = number> = Operation<RegisterInput<V>, V | undefined>;

export function registerModel<V = number>(initial: V): Model<V, RegisterInput<V>, V | undefined> {
  return {
    init: () => initial,
    step(state, input, output) {
      if (input.kind === 'write') return [true, input.value];
      return [JSON.stringify(output) === JSON.stringify(state), state];
    },
    hash: (state) => JSON.stringify(state),
    describe: (op) =>
      op.input.kind === 'write'
        ? `client ${op.clientId}: write(${JSON.stringify(op.input.value)}) [${op.call}, ${op.return}]`
        : `client ${op.clientId}: read() -> ${JSON.stringify(op.output)} [${op.call}, ${op.return}]`,
  };
}

/**
 * A key-value map. `get` outputs the value read (null when absent); `put` and `delete` outputs
 * are ignored (use undefined). Partitioned by key: operations on different keys commute, so each
 * key is checked on its own.
 */
export type KvInput =
  | { kind: 'get'; key: string }
  | { kind: 'put'; key: string; value: string }
  | { kind: 'delete'; key: string };
export type KvOutput = string | null | undefined;
export type KvOp = Operation<KvInput, KvOutput>;
/** Entries kept sorted by key so that equal maps hash equal. */
export type KvState = readonly (readonly [string, string])[];

function kvGet(state: KvState, key: string): string | null {
  for (const [k, v] of state) if (k === key) return v;
  return null;
}

function kvSet(state: KvState, key: string, value: string | null): KvState {
  const rest = state.filter(([k]) => k !== key);
  if (value !== null) rest.push([key, value]);
  return rest.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function kvModel(): Model<KvState, KvInput, KvOutput> {
  return {
    init: () => [],
    step(state, input, output) {
      switch (input.kind) {
        case 'get':
          return [output === kvGet(state, input.key), state];
        case 'put':
          return [true, kvSet(state, input.key, input.value)];
        case 'delete':
          return [true, kvSet(state, input.key, null)];
      }
    },
    hash: (state) => JSON.stringify(state),
    partition(history) {
      const byKey = new Map<string, KvOp[]>();
      for (const op of history) {
        const list = byKey.get(op.input.key);
        if (list) list.push(op);
        else byKey.set(op.input.key, [op]);
      }
      return [...byKey.values()];
    },
    describe(op) {
      const i = op.input;
      const what =
        i.kind === 'put'
          ? `put(${JSON.stringify(i.key)}, ${JSON.stringify(i.value)})`
          : i.kind === 'delete'
            ? `delete(${JSON.stringify(i.key)})`
            : `get(${JSON.stringify(i.key)}) -> ${JSON.stringify(op.output)}`;
      return `client ${op.clientId}: ${what} [${op.call}, ${op.return}]`;
    },
  };
}
