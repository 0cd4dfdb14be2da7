import { ERROR_CODES, ShoalError, invalidArgument, type JoinTokens, type NodeRole } from '@shoal/common';
import { base36Length, bytesToBase36 } from './base36.js';
import { constantTimeEqual } from './constant-time.js';

/** A join token: `SHOAL-1-<base36 sha256 of the root CA cert>-<base36 128-bit secret>`. */
export interface JoinToken {
  version: number;
  digest: string;
  secret: string;
}

/** Returns `n` cryptographically random bytes (see io/random.ts for the real one). */
export type RandomBytes = (n: number) => Uint8Array;

export const JOIN_TOKEN_PREFIX = 'SHOAL';
export const JOIN_TOKEN_VERSION = 1;
export const DIGEST_LENGTH = base36Length(32);
export const SECRET_BYTES = 16;
export const SECRET_LENGTH = base36Length(SECRET_BYTES);

const DIGEST_PATTERN = new RegExp(`^[0-9a-z]{${DIGEST_LENGTH}}$`);
const SECRET_PATTERN = new RegExp(`^[0-9a-z]{${SECRET_LENGTH}}$`);

export function isValidDigest(digest: string): boolean {
  return DIGEST_PATTERN.test(digest);
}

export function formatJoinToken(digest: string, secret: string): string {
  return `${JOIN_TOKEN_PREFIX}-${JOIN_TOKEN_VERSION}-${digest}-${secret}`;
}

/** A fresh token for the CA whose digest is given; call once per role (and again to rotate). */
export function newJoinToken(digest: string, randomBytes: RandomBytes): string {
  if (!isValidDigest(digest)) throw invalidArgument(`invalid CA digest "${digest}"`);
  const bytes = randomBytes(SECRET_BYTES);
  if (bytes.length !== SECRET_BYTES) throw new Error(`assertion failed: wanted ${SECRET_BYTES} random bytes`);
  return formatJoinToken(digest, bytesToBase36(bytes));
}

export function parseJoinToken(token: string): JoinToken {
  const parts = token.trim().split('-');
  if (parts.length !== 4 || parts[0] !== JOIN_TOKEN_PREFIX) {
    throw invalidArgument(`invalid join token: expected ${JOIN_TOKEN_PREFIX}-${JOIN_TOKEN_VERSION}-<CA digest>-<secret>`);
  }
  const [, versionText = '', digest = '', secret = ''] = parts;
  const version = /^[0-9]+$/.test(versionText) ? Number(versionText) : NaN;
  if (version !== JOIN_TOKEN_VERSION) {
    throw invalidArgument(`invalid join token: unsupported version "${versionText}" (this node reads version ${JOIN_TOKEN_VERSION})`);
  }
  if (!isValidDigest(digest)) throw invalidArgument('invalid join token: malformed CA digest');
  if (!SECRET_PATTERN.test(secret)) throw invalidArgument('invalid join token: malformed secret');
  return { version, digest, secret };
}

/** Whether `token` is `expected`, compared in constant time (surrounding whitespace ignored). */
export function tokenMatches(token: string, expected: string): boolean {
  return constantTimeEqual(token.trim(), expected);
}

/**
 * The role a presented token grants. Throws INVALID_ARGUMENT for a malformed token and
 * UNAUTHENTICATED for one that is well formed but is neither of the swarm's current tokens.
 */
export function roleForJoinToken(token: string, tokens: JoinTokens): NodeRole {
  const presented = parseJoinToken(token);
  // Compare against both tokens every time, so timing does not reveal which one was close.
  const isManager = tokenMatches(token, tokens.manager);
  const isWorker = tokenMatches(token, tokens.worker);
  if (isManager) return 'manager';
  if (isWorker) return 'worker';
  const ourDigest = parseJoinToken(tokens.worker).digest;
  if (presented.digest !== ourDigest) {
    throw new ShoalError(ERROR_CODES.UNAUTHENTICATED, 'the join token is for a different swarm (its CA digest does not match)');
  }
  throw new ShoalError(ERROR_CODES.UNAUTHENTICATED, 'invalid join token (it may have been rotated)');
}
