import { describe, expect, it } from 'vitest';
import { isIpv4, networkVips, removedPairs, vipsByTask } from '../../src/vip/vip-plan.js';
import { endpoint, network, service, table } from './fixtures.js';

const front = network(
  'netA',
  '10.0.1.0/24',
  [service('web', '10.0.1.2'), service('db', '10.0.1.3'), service('rr', undefined, 'dnsrr')],
  [
    endpoint('t-web1', 'web', '10.0.1.10'),
    endpoint('t-web2', 'web', '10.0.1.9'),
    endpoint('t-web3', 'web', '10.0.1.11', false),
    endpoint('t-db1', 'db', '10.0.1.20', false),
    endpoint('t-rr1', 'rr', '10.0.1.30'),
  ],
);
const back = network('netB', '10.0.2.0/24', [service('db', '10.0.2.2')], [endpoint('t-db1', 'db', '10.0.2.20'), endpoint('t-web1', 'web', '10.0.2.10')]);

describe('networkVips', () => {
  it('gives each VIP service its serving endpoints on that network, in address order', () => {
    expect(networkVips(front)).toEqual([
      { vip: '10.0.1.2', backends: ['10.0.1.9', '10.0.1.10'] },
      { vip: '10.0.1.3', backends: [] },
    ]);
  });

  it('drops addresses that are not plain IPv4, so nothing else reaches a rule', () => {
    const bad = network('x', '10.0.3.0/24', [service('s', '10.0.3.2; flush ruleset')], [endpoint('t', 's', '10.0.3.5')]);
    expect(networkVips(bad)).toEqual([]);
    expect(isIpv4('10.0.3.256')).toBe(false);
    expect(isIpv4('10.0.3.255')).toBe(true);
  });
});

describe('vipsByTask', () => {
  it('gives a task the VIPs of every network it has an address on, and nothing of the others', () => {
    const plans = vipsByTask(table(front, back), ['t-web1', 't-web2', 't-db1', 't-gone']);
    expect(plans.get('t-web1')).toEqual({
      key: 'netA,netB',
      vips: [
        { vip: '10.0.1.2', backends: ['10.0.1.9', '10.0.1.10'] },
        { vip: '10.0.1.3', backends: [] },
        { vip: '10.0.2.2', backends: ['10.0.2.20'] },
      ],
    });
    expect(plans.get('t-web2')?.key).toBe('netA');
    expect(plans.get('t-web2')?.vips.map((v) => v.vip)).toEqual(['10.0.1.2', '10.0.1.3']);
    expect(plans.get('t-gone')).toEqual({ key: '', vips: [] });
  });
});

describe('removedPairs', () => {
  const before = [
    { vip: '10.0.1.2', backends: ['10.0.1.9', '10.0.1.10'] },
    { vip: '10.0.1.3', backends: ['10.0.1.20'] },
  ];
  it('lists the backends that left each VIP, and every backend of a VIP that went', () => {
    expect(removedPairs(before, [{ vip: '10.0.1.2', backends: ['10.0.1.10', '10.0.1.11'] }])).toEqual([
      { vip: '10.0.1.2', backend: '10.0.1.9' },
      { vip: '10.0.1.3', backend: '10.0.1.20' },
    ]);
  });
  it('is empty when backends were only added', () => {
    expect(removedPairs(before, [...before, { vip: '10.0.1.4', backends: ['10.0.1.30'] }])).toEqual([]);
  });
});
