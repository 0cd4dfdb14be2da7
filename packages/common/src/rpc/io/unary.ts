import type * as grpc from '@grpc/grpc-js';
import { fromServiceError, toServiceError } from './status-map.js';

type Callback<Res> = (err: grpc.ServiceError | null, res?: Res) => void;

/**
 * Calls a unary method and resolves with its reply; failures become ShoalErrors.
 * Usage: `callUnary((options, cb) => client.ListNodes(req, options, cb), target)`.
 */
export function callUnary<Res>(
  invoke: (options: grpc.CallOptions, cb: Callback<Res>) => unknown,
  target: string,
  timeoutMs = 30_000,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    invoke({ deadline: Date.now() + timeoutMs }, (err, res) => {
      if (err) reject(fromServiceError(err, target));
      else resolve(res as Res);
    });
  });
}

/** Wraps an async handler as a gRPC unary handler that maps errors through the status table. */
export function unaryHandler<Req, Res>(fn: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>) {
  return (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => {
    fn(call.request, call).then(
      (res) => callback(null, res),
      (err: unknown) => callback(toServiceError(err)),
    );
  };
}
