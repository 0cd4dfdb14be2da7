import * as grpc from '@grpc/grpc-js';
import { ERROR_CODES, ShoalError, type ErrorCode } from '../../errors.js';

/** The one table mapping shoal's stable error codes to gRPC statuses (DESIGN §4). */
const STATUS_OF: Record<ErrorCode, grpc.status> = {
  [ERROR_CODES.INVALID_ARGUMENT]: grpc.status.INVALID_ARGUMENT,
  [ERROR_CODES.NOT_FOUND]: grpc.status.NOT_FOUND,
  [ERROR_CODES.ALREADY_EXISTS]: grpc.status.ALREADY_EXISTS,
  [ERROR_CODES.CONFLICT]: grpc.status.ABORTED,
  [ERROR_CODES.NOT_A_MANAGER]: grpc.status.FAILED_PRECONDITION,
  [ERROR_CODES.NOT_IN_SWARM]: grpc.status.FAILED_PRECONDITION,
  [ERROR_CODES.ALREADY_IN_SWARM]: grpc.status.FAILED_PRECONDITION,
  [ERROR_CODES.FAILED_PRECONDITION]: grpc.status.FAILED_PRECONDITION,
  [ERROR_CODES.UNAVAILABLE]: grpc.status.UNAVAILABLE,
  [ERROR_CODES.PERMISSION_DENIED]: grpc.status.PERMISSION_DENIED,
  [ERROR_CODES.UNAUTHENTICATED]: grpc.status.UNAUTHENTICATED,
  [ERROR_CODES.RESOURCE_EXHAUSTED]: grpc.status.RESOURCE_EXHAUSTED,
  [ERROR_CODES.INTERNAL]: grpc.status.INTERNAL,
};

const CODE_KEY = 'shoal-error-code';

export function toServiceError(err: unknown): Partial<grpc.ServiceError> {
  const metadata = new grpc.Metadata();
  if (err instanceof ShoalError) {
    metadata.set(CODE_KEY, err.code);
    return { code: STATUS_OF[err.code], details: err.message, metadata };
  }
  const message = err instanceof Error ? err.message : String(err);
  metadata.set(CODE_KEY, ERROR_CODES.INTERNAL);
  return { code: grpc.status.INTERNAL, details: `internal error: ${message}`, metadata };
}

/** Turns a failed call back into a ShoalError with the server's code and message. */
export function fromServiceError(err: grpc.ServiceError, target: string): ShoalError {
  const code = err.metadata?.get(CODE_KEY)[0];
  if (typeof code === 'string' && Object.values(ERROR_CODES).includes(code as ErrorCode)) {
    return new ShoalError(code as ErrorCode, err.details);
  }
  if (err.code === grpc.status.UNAVAILABLE) {
    return new ShoalError(ERROR_CODES.UNAVAILABLE, `cannot reach ${target}: ${err.details}`);
  }
  if (err.code === grpc.status.DEADLINE_EXCEEDED) {
    return new ShoalError(ERROR_CODES.UNAVAILABLE, `${target} did not answer in time`);
  }
  return new ShoalError(ERROR_CODES.INTERNAL, err.details || err.message);
}
