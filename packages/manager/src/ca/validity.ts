import { ERROR_CODES, ShoalError, assert } from '@shoal/common';

/** A certificate's validity window in milliseconds since the epoch. */
export interface ValidityWindow {
  notBefore: number;
  notAfter: number;
}

const SECOND_MS = 1000;
const HOUR_MS = 60 * 60 * SECOND_MS;
export const DAY_MS = 24 * HOUR_MS;
export const NODE_CERT_LIFETIME_MS = 90 * DAY_MS;
export const ROOT_CA_LIFETIME_YEARS = 20;

/** Certificates carry whole seconds (UTCTime), so windows are rounded down to a second. */
function toSeconds(ms: number): number {
  return Math.floor(ms / SECOND_MS) * SECOND_MS;
}

/**
 * How far notBefore is moved into the past so that a node whose clock is a little behind the
 * issuer's still accepts a fresh certificate: a tenth of the lifetime, at most an hour.
 */
export function clockSkewAllowance(lifetimeMs: number): number {
  return Math.min(HOUR_MS, Math.floor(lifetimeMs / 10));
}

/** The window of a certificate issued at `now` that lives `lifetimeMs`. */
export function issuanceWindow(now: number, lifetimeMs: number): ValidityWindow {
  assert(lifetimeMs >= 2 * SECOND_MS, `certificate lifetime too short: ${lifetimeMs} ms`);
  return { notBefore: toSeconds(now - clockSkewAllowance(lifetimeMs)), notAfter: toSeconds(now + lifetimeMs) };
}

/** The window of a root CA created at `now`: twenty calendar years. */
export function rootWindow(now: number): ValidityWindow {
  const notAfter = new Date(toSeconds(now));
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + ROOT_CA_LIFETIME_YEARS);
  return { notBefore: toSeconds(now - HOUR_MS), notAfter: notAfter.getTime() };
}

/** Throws UNAUTHENTICATED unless `now` lies inside the window (both ends included). */
export function assertWithinWindow(window: ValidityWindow, now: number, what: string): void {
  if (now < window.notBefore) {
    throw new ShoalError(ERROR_CODES.UNAUTHENTICATED, `${what} is not valid yet (valid from ${new Date(window.notBefore).toISOString()})`);
  }
  if (now > window.notAfter) {
    throw new ShoalError(ERROR_CODES.UNAUTHENTICATED, `${what} has expired (valid until ${new Date(window.notAfter).toISOString()})`);
  }
}
