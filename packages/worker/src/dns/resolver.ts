import { randomInt, type Rng } from '@shoal/common';
import { inSubnet, type DnsIndex, type NameEntry, type NetworkNames } from './dns-index.js';
import { MAX_NAME_CHARS, normalizeName, reverseAddress } from './dns-names.js';

/**
 * The resolver of shoald's DNS server (pure): given the index of the node's NetworkTable, the
 * network a query arrived on, the caller's address and the question, it answers or says to
 * forward. See dns/README.md for the rules and where they follow Docker's embedded DNS.
 */

export interface DnsQuestion {
  /** As asked: answers echo it unchanged (case included). */
  name: string;
  /** dns-packet's type names: 'A', 'AAAA', 'PTR', 'ANY', ... */
  type: string;
  /** dns-packet's class names; absent means 'IN'. */
  class?: string;
}

export interface DnsQuery {
  /** The network whose gateway address the query was sent to. */
  networkId: string;
  /** The caller's address: a task's address on that network, or an attachable container's. */
  source: string;
  question: DnsQuestion;
}

export interface DnsRecord {
  name: string;
  type: 'A' | 'PTR';
  ttl: number;
  data: string;
}

export type DnsRcode = 'NOERROR' | 'NXDOMAIN';
export type DnsDecision = { kind: 'answer'; rcode: DnsRcode; answers: DnsRecord[] } | { kind: 'forward' };

/**
 * TTL of every answer: 0, so no cache in a container (glibc has none, but nscd, dnsmasq, JVMs and
 * Go's net package would honour a TTL) keeps a stopped task's address; the table changes within
 * a second of a task stopping and the next lookup sees it. Docker answers with 600 s.
 */
export const ANSWER_TTL_S = 0;

const FORWARD: DnsDecision = { kind: 'forward' };
const nxdomain = (): DnsDecision => ({ kind: 'answer', rcode: 'NXDOMAIN', answers: [] });

export function resolve(index: DnsIndex, query: DnsQuery, rng: Rng): DnsDecision {
  const { question } = query;
  const name = normalizeName(question.name);
  if (name === '' || name.length > MAX_NAME_CHARS) return FORWARD;
  const scope = scopeOf(index, query.networkId, query.source);
  if (question.type === 'PTR') return resolvePtr(index, scope, question, name);
  const entry = lookup(scope, name);
  if (!entry) return isClusterName(scope, name) ? nxdomain() : FORWARD;
  const internet = (question.class ?? 'IN') === 'IN' || question.class === 'ANY';
  if (!internet || (question.type !== 'A' && question.type !== 'ANY')) return { kind: 'answer', rcode: 'NOERROR', answers: [] };
  const addresses = entry.shuffle ? shuffled(entry.addresses, rng) : entry.addresses;
  return { kind: 'answer', rcode: 'NOERROR', answers: addresses.map((data) => ({ name: question.name, type: 'A', ttl: ANSWER_TTL_S, data })) };
}

/**
 * The networks a query sees: the one it arrived on, then the caller's other networks (a task
 * found by its address among the endpoints), as Docker resolves in all of a container's networks.
 */
export function scopeOf(index: DnsIndex, networkId: string, source: string): NetworkNames[] {
  const arrival = index.networks.get(networkId);
  if (!arrival) return [];
  const taskId = arrival.callers.get(source);
  const scope = [arrival];
  for (const id of taskId === undefined ? [] : (index.networksOfTask.get(taskId) ?? [])) {
    const net = index.networks.get(id);
    if (net && id !== networkId) scope.push(net);
  }
  return scope;
}

/** `NAME`, `tasks.NAME`, and either followed by `.NETWORK` (as Docker's `name.network`). */
function lookup(scope: readonly NetworkNames[], name: string): NameEntry | undefined {
  for (const net of scope) {
    const entry = net.names.get(name);
    if (entry) return entry;
  }
  for (const net of scope) {
    const suffix = `.${net.name}`;
    if (name.length > suffix.length && name.endsWith(suffix)) {
      const entry = net.names.get(name.slice(0, -suffix.length));
      if (entry) return entry;
    }
  }
  return undefined;
}

/**
 * Names that can only be ours, answered NXDOMAIN at once instead of forwarded: a single label
 * (no resolver outside knows `redis`), `tasks.LABEL`, and anything under one of the caller's
 * network names.
 */
function isClusterName(scope: readonly NetworkNames[], name: string): boolean {
  if (!name.includes('.')) return true;
  if (name.startsWith('tasks.') && !name.slice('tasks.'.length).includes('.')) return true;
  return scope.some((net) => name.endsWith(`.${net.name}`));
}

function resolvePtr(index: DnsIndex, scope: readonly NetworkNames[], question: DnsQuestion, name: string): DnsDecision {
  const address = reverseAddress(name);
  if (address === undefined) return FORWARD;
  for (const net of scope) {
    const target = net.reverse.get(address);
    if (target) return { kind: 'answer', rcode: 'NOERROR', answers: [{ name: question.name, type: 'PTR', ttl: ANSWER_TTL_S, data: target }] };
  }
  // An overlay address nobody here knows: the host's resolvers cannot know it either.
  for (const net of index.networks.values()) if (inSubnet(net.subnet, address)) return nxdomain();
  return FORWARD;
}

function shuffled(addresses: readonly string[], rng: Rng): string[] {
  const out = [...addresses];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
