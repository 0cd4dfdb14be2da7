import { isEncryptedOpts, type Network, type NetworkKey } from '@shoal/common';
import type { RandomBytes } from '../ca/join-token.js';

/**
 * Key rotation of encrypted networks, as a pure plan (the loop in key-rotator.ts commits it).
 *
 * A key is created every `rotationMs` (12 h, as Swarm). A new key is first only *accepted*: it is
 * pushed to every node with the tables, and senders switch to it at `sendFrom` = created +
 * `stageMs`, so no node seals with a key its peers do not hold yet. The previous key stays valid
 * for one more period (late datagrams, nodes that reconnect); a network holds at most `maxKeys`.
 */
export interface KeyPolicy {
  rotationMs: number;
  stageMs: number;
  maxKeys: number;
}

export const DEFAULT_KEY_POLICY: KeyPolicy = { rotationMs: 12 * 3600_000, stageMs: 30_000, maxKeys: 3 };
export const NETWORK_KEY_BYTES = 32;
const MAX_KEY_ID = 0xffff_ffff;

export interface KeyUpdate {
  networkId: string;
  /** The network's keys after the change; absent: remove them (no longer encrypted). */
  keys: NetworkKey[] | undefined;
}

export interface KeyPlan {
  updates: KeyUpdate[];
  /** When planning again may do more (the next rotation or expiry), if ever. */
  wakeAt?: number;
}

export function planNetworkKeys(networks: readonly Network[], now: number, policy: KeyPolicy, randomBytes: RandomBytes): KeyPlan {
  const updates: KeyUpdate[] = [];
  let wakeAt: number | undefined;
  const wake = (at: number) => (wakeAt = wakeAt === undefined ? at : Math.min(wakeAt, at));
  for (const network of networks) {
    if (!isEncryptedOpts(network.spec.driverOpts)) {
      if (network.keys !== undefined) updates.push({ networkId: network.id, keys: undefined });
      continue;
    }
    const keys = nextKeys(network.keys ?? [], now, policy, randomBytes);
    if (!sameKeys(keys, network.keys)) updates.push({ networkId: network.id, keys });
    const newest = keys[keys.length - 1];
    if (newest) wake(newest.createdAt + policy.rotationMs);
    for (const k of keys) wake(k.notAfter);
  }
  return wakeAt === undefined ? { updates } : { updates, wakeAt };
}

/** The keys a network should hold at `now`: expired ones gone, a new one when the newest is due. */
export function nextKeys(current: readonly NetworkKey[], now: number, policy: KeyPolicy, randomBytes: RandomBytes): NetworkKey[] {
  const live = current.filter((k) => k.notAfter > now).sort((a, b) => a.id - b.id);
  const newest = live[live.length - 1];
  if (!newest || newest.createdAt + policy.rotationMs <= now) {
    const previous = current.reduce((max, k) => Math.max(max, k.id), 0);
    live.push({
      id: previous >= MAX_KEY_ID ? 1 : previous + 1,
      keyB64: toBase64(randomBytes(NETWORK_KEY_BYTES)),
      createdAt: now,
      // The first key has no peer to wait for: the network's nodes get it with their first task.
      sendFrom: newest ? now + policy.stageMs : now,
      notAfter: now + policy.stageMs + 2 * policy.rotationMs,
    });
  }
  return live.slice(-policy.maxKeys);
}

function sameKeys(a: readonly NetworkKey[], b: readonly NetworkKey[] | undefined): boolean {
  if (!b || a.length !== b.length) return false;
  return a.every((k, i) => k.id === b[i]?.id && k.keyB64 === b[i]?.keyB64 && k.notAfter === b[i]?.notAfter);
}

function toBase64(bytes: Uint8Array): string {
  if (bytes.length !== NETWORK_KEY_BYTES) throw new Error(`assertion failed: wanted ${NETWORK_KEY_BYTES} random bytes`);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** A network as the control API shows it: the keys stay in the store and the workers' tables. */
export function withoutKeys(network: Network): Network {
  if (network.keys === undefined) return network;
  const { keys: _keys, ...rest } = network;
  return rest;
}
