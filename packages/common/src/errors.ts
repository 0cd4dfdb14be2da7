/**
 * Expected failures carry a stable code. The service edge maps codes to gRPC statuses in one
 * table (see grpc-status.ts); the CLI prints the message as one line and exits non-zero.
 * Programmer errors are not ShoalErrors: they are assertion failures and crash.
 */
export const ERROR_CODES = {
  INVALID_ARGUMENT: 'E_INVALID_ARGUMENT',
  NOT_FOUND: 'E_NOT_FOUND',
  ALREADY_EXISTS: 'E_ALREADY_EXISTS',
  CONFLICT: 'E_CONFLICT',
  NOT_A_MANAGER: 'E_NOT_A_MANAGER',
  NOT_IN_SWARM: 'E_NOT_IN_SWARM',
  ALREADY_IN_SWARM: 'E_ALREADY_IN_SWARM',
  FAILED_PRECONDITION: 'E_FAILED_PRECONDITION',
  UNAVAILABLE: 'E_UNAVAILABLE',
  PERMISSION_DENIED: 'E_PERMISSION_DENIED',
  UNAUTHENTICATED: 'E_UNAUTHENTICATED',
  /** A bound was hit (a queue, a buffer, a message size) or a resource of the node ran out (its disk): retry later. */
  RESOURCE_EXHAUSTED: 'E_RESOURCE_EXHAUSTED',
  INTERNAL: 'E_INTERNAL',
  /** The peer does not know the method: it runs another version of shoal. */
  UNIMPLEMENTED: 'E_UNIMPLEMENTED',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export class ShoalError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ShoalError';
    this.code = code;
  }
}

export const invalidArgument = (m: string) => new ShoalError(ERROR_CODES.INVALID_ARGUMENT, m);
export const notFound = (m: string) => new ShoalError(ERROR_CODES.NOT_FOUND, m);
export const alreadyExists = (m: string) => new ShoalError(ERROR_CODES.ALREADY_EXISTS, m);
export const conflict = (m: string) => new ShoalError(ERROR_CODES.CONFLICT, m);
export const failedPrecondition = (m: string) => new ShoalError(ERROR_CODES.FAILED_PRECONDITION, m);
export const unavailable = (m: string) => new ShoalError(ERROR_CODES.UNAVAILABLE, m);
export const resourceExhausted = (m: string) => new ShoalError(ERROR_CODES.RESOURCE_EXHAUSTED, m);

export function isShoalError(e: unknown): e is ShoalError {
  return e instanceof ShoalError;
}

/** Programmer errors: crash loudly. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}
