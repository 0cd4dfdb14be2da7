import type * as grpc from '@grpc/grpc-js';
import { ShoalError, type Clock } from '@shoal/common';
import { loadProtos, toServiceError } from '@shoal/common/rpc';
import { peerIdentity, type CallWithAuthContext } from '../../ca/io/peer-identity.js';
import type { NodeIdentity } from '../../ca/node-identity.js';
import { refusalLogger } from '../log-throttle.js';
import { authorize, requirementOf, speaksForField, type Decision, type GuardedService, type MembershipView } from '../policy.js';

export interface GuardOptions {
  /** What this manager's store and Raft group say now; read on every call. */
  view: () => MembershipView;
  clock: Clock;
  log: (msg: string, fields: Record<string, unknown>) => void;
}

type AnyCall = CallWithAuthContext & { request?: unknown; getPeer(): string; emit(event: 'error', e: unknown): boolean };
type Handler = (call: AnyCall, callback?: grpc.sendUnaryData<unknown>) => void;

/** The verified certificate's identity, or undefined when the caller presented none (or a malformed one). */
export function callerOf(call: CallWithAuthContext): NodeIdentity | undefined {
  try {
    return peerIdentity(call);
  } catch {
    return undefined;
  }
}

/** The access decision for one call of `service.method`. */
function decide(service: GuardedService, method: string, call: AnyCall, view: MembershipView): Decision {
  const field = speaksForField(service, method);
  const request = call.request as Record<string, unknown> | undefined;
  const speaksFor = field && request ? String(request[field] ?? '') : undefined;
  return authorize({ requires: requirementOf(service, method), caller: callerOf(call), speaksFor }, view);
}

/**
 * Wraps every handler of a service on the node-to-node port: the policy (edge/policy.ts) decides
 * before the handler runs, from the caller's certificate and this manager's view of the swarm.
 * A refusal is one status line to the caller and one (rate-limited) log line here.
 */
export function guardService<H extends object>(service: GuardedService, handlers: H, o: GuardOptions): H {
  const definition = (loadProtos()[service] as unknown as { service: Record<string, { responseStream: boolean }> }).service;
  const refused = refusalLogger(o.log, o.clock);
  const out: Record<string, Handler> = {};
  for (const [method, fn] of Object.entries(handlers) as Array<[string, Handler]>) {
    const streamsReplies = definition[method]?.responseStream ?? false;
    out[method] = (call, callback) => {
      const decision = decide(service, method, call, o.view());
      if (decision.allowed) {
        fn(call, callback);
        return;
      }
      const caller = callerOf(call)?.nodeId ?? call.getPeer();
      refused(`${caller} ${decision.reason}`, 'refused a call on the node-to-node port', { call: `${service}.${method}`, caller, reason: decision.reason });
      const error = toServiceError(new ShoalError(decision.code, decision.reason));
      if (streamsReplies || !callback) call.emit('error', error);
      else callback(error);
    };
  }
  return out as unknown as H;
}
