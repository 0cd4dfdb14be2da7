import { describe, expect, it } from 'vitest';
import { seededRng } from '@shoal/common';
import { buildDnsIndex } from '../../src/dns/dns-index.js';
import { ANSWER_TTL_S, resolve, type DnsDecision } from '../../src/dns/resolver.js';
import { endpoint, network, service, votingTable } from './fixtures.js';

const index = buildDnsIndex(votingTable());
const ask = (name: string, o: { type?: string; net?: string; from?: string; cls?: string } = {}): DnsDecision =>
  resolve(index, { networkId: o.net ?? 'net-front', source: o.from ?? '10.0.1.10', question: { name, type: o.type ?? 'A', class: o.cls } }, seededRng(1));
const addresses = (d: DnsDecision) => (d.kind === 'answer' ? d.answers.map((a) => a.data).sort() : ['(forward)']);
const rcode = (d: DnsDecision) => (d.kind === 'answer' ? d.rcode : 'forward');

describe('resolve: names of the cluster', () => {
  it('answers a vip-mode service by full name with its VIP, TTL 0, echoing the name as asked', () => {
    const d = ask('Vote_Redis.');
    expect(d).toEqual({ kind: 'answer', rcode: 'NOERROR', answers: [{ name: 'Vote_Redis.', type: 'A', ttl: ANSWER_TTL_S, data: '10.0.1.3' }] });
    expect(ANSWER_TTL_S).toBe(0);
  });

  it('answers aliases (the short stack name and spec aliases), case-insensitively, with or without the trailing dot', () => {
    for (const name of ['redis', 'REDIS', 'redis.', 'cache']) expect(addresses(ask(name))).toEqual(['10.0.1.3']);
  });

  it('answers tasks.NAME and tasks.ALIAS with every serving task, not the VIP', () => {
    expect(addresses(ask('tasks.vote_redis'))).toEqual(['10.0.1.11']);
    expect(addresses(ask('tasks.redis'))).toEqual(['10.0.1.11']);
    expect(addresses(ask('tasks.db', { net: 'net-back', from: '10.0.2.20' }))).toEqual(['10.0.2.10', '10.0.2.11']);
  });

  it('answers a dnsrr service with its serving tasks, in an order that varies between queries', () => {
    const idx = buildDnsIndex(votingTable());
    const rng = seededRng(7);
    const orders = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const d = resolve(idx, { networkId: 'net-back', source: '10.0.2.20', question: { name: 'db', type: 'A' } }, rng);
      expect(addresses(d)).toEqual(['10.0.2.10', '10.0.2.11']);
      if (d.kind === 'answer') orders.add(d.answers.map((a) => a.data).join(','));
    }
    expect(orders.size).toBe(2);
  });

  it('answers NAME.NETWORK for a network of the caller', () => {
    expect(addresses(ask('redis.vote_front'))).toEqual(['10.0.1.3']);
    expect(addresses(ask('tasks.redis.vote_front.'))).toEqual(['10.0.1.11']);
    expect(rcode(ask('nothing.vote_front'))).toBe('NXDOMAIN');
  });

  it('leaves out tasks that do not serve; a name with no serving task is NXDOMAIN (as Docker, whose records go with the last task)', () => {
    expect(rcode(ask('idle'))).toBe('NXDOMAIN');
    expect(rcode(ask('tasks.idle'))).toBe('NXDOMAIN');
    expect(rcode(ask('vote_idle', { type: 'AAAA' }))).toBe('NXDOMAIN');
  });

  it('answers AAAA and other types for a cluster name with NOERROR and no records; ANY like A', () => {
    expect(ask('redis', { type: 'AAAA' })).toEqual({ kind: 'answer', rcode: 'NOERROR', answers: [] });
    expect(ask('redis', { type: 'MX' })).toEqual({ kind: 'answer', rcode: 'NOERROR', answers: [] });
    expect(addresses(ask('redis', { type: 'ANY' }))).toEqual(['10.0.1.3']);
    expect(ask('redis', { cls: 'CH' })).toEqual({ kind: 'answer', rcode: 'NOERROR', answers: [] });
  });
});

describe('resolve: scope', () => {
  it('sees the services of the network the query came in on', () => {
    expect(rcode(ask('db', { net: 'net-front', from: '10.0.1.10' }))).toBe('NXDOMAIN');
    expect(addresses(ask('vote', { net: 'net-front', from: '10.0.1.99' }))).toEqual(['10.0.1.2']);
  });

  it("adds the calling task's other networks, found by its address", () => {
    // worker's task is on both networks: from the front network it still finds db on the back one.
    expect(addresses(ask('db', { net: 'net-front', from: '10.0.1.20' }))).toEqual(['10.0.2.10', '10.0.2.11']);
    expect(addresses(ask('vote', { net: 'net-back', from: '10.0.2.20' }))).toEqual(['10.0.1.2']);
  });

  it('prefers the arrival network when a name is on several', () => {
    const shared = (third: number, id: string) =>
      network(id, `n${third}`, third, [service(`s${third}`, 'api', { vip: `10.0.${third}.2` })], [endpoint('t1', `s${third}`, `10.0.${third}.5`)]);
    const idx = buildDnsIndex({ networks: [shared(1, 'a'), shared(2, 'b')] });
    const on = (net: string, from: string) => resolve(idx, { networkId: net, source: from, question: { name: 'api', type: 'A' } }, seededRng(1));
    expect(addresses(on('a', '10.0.1.5'))).toEqual(['10.0.1.2']);
    expect(addresses(on('b', '10.0.2.5'))).toEqual(['10.0.2.2']);
  });

  it('resolves services of other stacks on a shared network, and merges a name two services share', () => {
    const net = network('n', 'shared', 5, [
      service('s1', 'a_api', { aliases: ['api'], vip: '10.0.5.2' }),
      service('s2', 'b_api', { aliases: ['api'], vip: '10.0.5.3' }),
    ], [endpoint('t1', 's1', '10.0.5.10'), endpoint('t2', 's2', '10.0.5.11')]);
    const idx = buildDnsIndex({ networks: [net] });
    const q = (name: string) => resolve(idx, { networkId: 'n', source: '10.0.5.10', question: { name, type: 'A' } }, seededRng(1));
    expect(addresses(q('b_api'))).toEqual(['10.0.5.3']);
    expect(addresses(q('api'))).toEqual(['10.0.5.2', '10.0.5.3']);
  });

  it('answers nothing on a network the node does not have: single labels NXDOMAIN, others forwarded', () => {
    expect(rcode(ask('redis', { net: 'gone' }))).toBe('NXDOMAIN');
    expect(rcode(ask('example.com', { net: 'gone' }))).toBe('forward');
  });
});

describe('resolve: NXDOMAIN or forward', () => {
  it('answers an unknown single label and tasks.LABEL with NXDOMAIN at once', () => {
    expect(ask('nosuch')).toEqual({ kind: 'answer', rcode: 'NXDOMAIN', answers: [] });
    expect(rcode(ask('tasks.nosuch'))).toBe('NXDOMAIN');
    expect(rcode(ask('nosuch', { type: 'AAAA' }))).toBe('NXDOMAIN');
  });

  it('forwards other names, the root, and overlong names', () => {
    expect(ask('example.com')).toEqual({ kind: 'forward' });
    expect(rcode(ask('redis.example.com'))).toBe('forward');
    expect(rcode(ask('.', { type: 'NS' }))).toBe('forward');
    expect(rcode(ask(`${'a'.repeat(250)}.com`))).toBe('forward');
  });
});

describe('resolve: PTR', () => {
  const ptr = (addr: string, from = '10.0.1.10', net = 'net-front') => ask(`${addr.split('.').reverse().join('.')}.in-addr.arpa.`, { type: 'PTR', net, from });

  it('names a VIP and a serving task SERVICE.NETWORK', () => {
    expect(ptr('10.0.1.3')).toEqual({ kind: 'answer', rcode: 'NOERROR', answers: [{ name: '3.1.0.10.in-addr.arpa.', type: 'PTR', ttl: 0, data: 'vote_redis.vote_front' }] });
    expect(addresses(ptr('10.0.1.11'))).toEqual(['vote_redis.vote_front']);
  });

  it('answers NXDOMAIN for an unknown or non-serving overlay address, forwards other addresses', () => {
    expect(rcode(ptr('10.0.1.12'))).toBe('NXDOMAIN');
    expect(rcode(ptr('10.0.2.99'))).toBe('NXDOMAIN');
    expect(rcode(ptr('8.8.8.8'))).toBe('forward');
    expect(rcode(ask('x.in-addr.arpa', { type: 'PTR' }))).toBe('forward');
  });
});
