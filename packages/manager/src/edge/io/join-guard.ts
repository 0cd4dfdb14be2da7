import type * as grpc from '@grpc/grpc-js';
import { ERROR_CODES, resourceExhausted, type Clock } from '@shoal/common';
import { toServiceError } from '@shoal/common/rpc';
import { JoinThrottle, sourceOfPeer } from '../join-throttle.js';
import { refusalLogger } from '../log-throttle.js';

type Call = grpc.ServerUnaryCall<unknown, unknown>;
type Handler = (call: Call, callback: grpc.sendUnaryData<unknown>) => void;

export interface JoinGuardOptions {
  clock: Clock;
  log: (msg: string, fields: Record<string, unknown>) => void;
  /** A current manager forwarding a join it received: already counted at its own edge. */
  fromManager: (call: Call) => boolean;
}

/** Statuses that mean the caller guessed wrong (a wrong or malformed token): they count. */
const GUESSES = new Set<string>([ERROR_CODES.UNAUTHENTICATED, ERROR_CODES.INVALID_ARGUMENT]);

/**
 * IssueNodeCertificate at the edge where the joining node connects: attempts per source address
 * are rate-limited (edge/join-throttle.ts), and every refused one is logged (rate-limited too).
 */
export function guardJoins(issue: Handler, o: JoinGuardOptions): Handler {
  const throttle = new JoinThrottle(o.clock);
  const refused = refusalLogger(o.log, o.clock);
  return (call, callback) => {
    if (o.fromManager(call)) {
      issue(call, callback);
      return;
    }
    const source = sourceOfPeer(call.getPeer());
    const admitted = throttle.admit(source);
    if (!admitted.ok) {
      refused(`${source} limited`, 'join attempt refused: rate-limited', { source, reason: admitted.message });
      callback(toServiceError(resourceExhausted(admitted.message)));
      return;
    }
    issue(call, (err, res) => {
      const code = err?.metadata?.get('shoal-error-code')[0];
      if (typeof code === 'string' && GUESSES.has(code)) refused(`${source} guess`, 'join attempt refused', { source, reason: err?.details });
      else throttle.notAGuess(source);
      callback(err, res);
    });
  };
}
