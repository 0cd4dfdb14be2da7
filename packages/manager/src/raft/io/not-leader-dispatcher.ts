import type * as grpc from '@grpc/grpc-js';
import { unavailable } from '@shoal/common';
import { toServiceError, type DispatcherHandlers } from '@shoal/common/rpc';

/**
 * The dispatcher runs on the leader only. On other managers its calls fail at once with
 * UNAVAILABLE naming the leader, so agents move on to the next manager they know.
 */
export function notLeaderDispatcher(current: () => DispatcherHandlers | undefined, leaderAddr: () => string | undefined): DispatcherHandlers {
  const refuse = () => {
    const leader = leaderAddr();
    return toServiceError(unavailable(`this manager is not the leader${leader ? `; the leader is at ${leader}` : ' (no leader elected)'}`));
  };
  const route = (method: keyof DispatcherHandlers) => (call: unknown, callback?: unknown) => {
    const handlers = current();
    if (handlers) {
      (handlers[method] as (c: unknown, cb?: unknown) => void)(call, callback);
      return;
    }
    if (typeof callback === 'function') (callback as grpc.sendUnaryData<unknown>)(refuse());
    else (call as grpc.ServerWritableStream<unknown, unknown>).emit('error', refuse());
  };
  return {
    Session: route('Session'),
    Heartbeat: route('Heartbeat'),
    Assignments: route('Assignments'),
    UpdateTaskStatus: route('UpdateTaskStatus'),
    ReportHostPorts: route('ReportHostPorts'),
  } as DispatcherHandlers;
}
