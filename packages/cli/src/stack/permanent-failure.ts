import type { TaskFailure } from './converge.js';

/**
 * Task errors that the restart policy will only repeat: the image is neither on the node nor
 * pullable (the worker's "No such image: REF (and it could not be pulled: …)", Docker's wording),
 * or its reference cannot be parsed. Waiting for convergence after one of these only burns the
 * timeout, so the wait ends at once with the reason.
 */
const PERMANENT: readonly RegExp[] = [/^No such image: /, /invalid reference format/];

export function isPermanentFailure(message: string): boolean {
  return PERMANENT.some((re) => re.test(message));
}

/** The first failure among these that will not heal by itself, if any. */
export function permanentFailure(failures: readonly TaskFailure[]): TaskFailure | undefined {
  return failures.find((f) => isPermanentFailure(f.message));
}

/** The error line the CLI ends with: `service web_web: task failed: No such image: foo:latest`. */
export function failedTaskMessage(f: TaskFailure): string {
  return `service ${f.serviceName}: task failed: ${f.message}`;
}
