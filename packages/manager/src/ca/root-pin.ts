import { ERROR_CODES, ShoalError } from '@shoal/common';

/**
 * The joining node's pin: the CA the manager presents must be the one the join token names.
 * There is no trust on first use; a mismatch is refused.
 */
export function assertDigestMatches(actualDigest: string, digestFromToken: string): void {
  if (actualDigest === digestFromToken) return;
  throw new ShoalError(
    ERROR_CODES.UNAUTHENTICATED,
    "the manager's CA does not match the join token (is the token from this swarm?)",
  );
}
