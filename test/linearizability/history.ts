import { randomInt, type Rng } from '@shoal/common';
import type { RegisterOp } from './models.js';

export interface RandomRegisterHistoryOptions {
  clients: number;
  operations: number;
  /** Probability that an operation is a write. */
  writeRatio?: number;
  /** Time units between consecutive linearization points (intervals stretch up to the neighbours'). */
  spacing?: number;
}

/**
 * A history of a real linearizable execution: clients act on an atomic register whose operations
 * take effect at distinct linearization points; each operation's [call, return] interval is drawn
 * at random around its point, within the gap its client leaves between its own operations, so
 * intervals of different clients overlap freely. Writes use distinct values 1, 2, ...; the
 * register starts at 0.
 */
export function randomRegisterHistory(rng: Rng, options: RandomRegisterHistoryOptions): RegisterOp[] {
  const { clients, operations } = options;
  const writeRatio = options.writeRatio ?? 0.5;
  const spacing = options.spacing ?? 10;
  // Linearization points, in order, each owned by a client.
  const points = Array.from({ length: operations }, (_, i) => ({ at: (i + 1) * spacing, client: randomInt(rng, clients) }));
  let value = 0;
  let nextValue = 1;
  const ops: RegisterOp[] = points.map(({ at, client }) => {
    if (rng.next() < writeRatio) {
      value = nextValue++;
      return { clientId: client, input: { kind: 'write', value }, call: at, output: undefined, return: at };
    }
    return { clientId: client, input: { kind: 'read' }, call: at, output: value, return: at };
  });
  // Stretch each interval within (previous return of its client, next point of its client).
  for (let c = 0; c < clients; c++) {
    const mine = ops.filter((op) => op.clientId === c);
    let prevReturn = 0;
    mine.forEach((op, i) => {
      const at = op.call;
      const nextAt = mine[i + 1]?.call ?? at + 5 * spacing;
      op.call = prevReturn + 1 + randomInt(rng, at - prevReturn);
      op.return = at + randomInt(rng, nextAt - at);
      prevReturn = op.return;
    });
  }
  return ops;
}
