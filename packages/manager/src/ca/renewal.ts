import { assert, type Rng } from '@shoal/common';

const EARLIEST = 0.5;
const LATEST = 0.8;

/**
 * When a node should renew its certificate: a random point between 50% and 80% of its life,
 * so that nodes issued together do not all come back at once. Milliseconds since the epoch.
 */
export function renewalTime(notBefore: number, notAfter: number, rng: Rng): number {
  assert(notAfter > notBefore, 'certificate notAfter must follow notBefore');
  const lifetime = notAfter - notBefore;
  const fraction = EARLIEST + (LATEST - EARLIEST) * rng.next();
  return notBefore + Math.floor(lifetime * fraction);
}

/** How long to wait from `now` before renewing (0 when that moment has passed). */
export function renewalDelay(notBefore: number, notAfter: number, now: number, rng: Rng): number {
  return Math.max(0, renewalTime(notBefore, notAfter, rng) - now);
}
