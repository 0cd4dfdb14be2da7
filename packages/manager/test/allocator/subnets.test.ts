import { describe, expect, it } from 'vitest';
import type { Network } from '@shoal/common';
import { allocateNetwork } from '../../src/allocator/network-allocation.js';
import { formatCidr, parseAddress, parseCidr } from '../../src/allocator/ipv4.js';
import { pickSubnet, poolSettings, userSubnet } from '../../src/allocator/subnets.js';
import { pickVxlanId, VXLAN_ID_BASE } from '../../src/allocator/vxlan-ids.js';
import { makeNode } from '../scheduler/fixtures.js';
import { networkSpec } from './fixtures.js';

const cidr = (t: string) => parseCidr(t)!;
const addr = (t: string) => parseAddress(t)!;
const spec = (name: string, subnet?: string, gateway?: string) => networkSpec(name, { subnet, gateway });
const network = (name: string, subnet: string, vxlanId: number): Network => ({
  id: `id-${name}`,
  meta: { version: 1, createdAt: '', updatedAt: '' },
  spec: spec(name),
  allocation: { subnet, gateway: subnet.replace(/0\/\d+$/, '1'), vxlanId },
});

describe('subnets', () => {
  const defaults = poolSettings(undefined, undefined);

  it('cuts 10.0.0.0/8 in /24s, skipping taken subnets and those holding a node address', () => {
    expect(formatCidr(pickSubnet(defaults, [], []))).toBe('10.0.0.0/24');
    expect(formatCidr(pickSubnet(defaults, [], [addr('10.0.0.1')]))).toBe('10.0.1.0/24');
    const taken = [{ name: 'a', cidr: cidr('10.0.1.0/24') }, { name: 'big', cidr: cidr('10.0.2.0/23') }];
    expect(formatCidr(pickSubnet(defaults, taken, [addr('10.0.0.9')]))).toBe('10.0.4.0/24');
    // A user's /16 inside the pool is jumped over whole.
    expect(formatCidr(pickSubnet(defaults, [{ name: 'u', cidr: cidr('10.0.0.0/16') }], []))).toBe('10.1.0.0/24');
  });

  it('takes the pools in order and says so when they are used up', () => {
    const s = poolSettings(['192.168.0.0/23', '172.30.0.0/24'], 24);
    const taken = [{ name: 'a', cidr: cidr('192.168.0.0/24') }, { name: 'b', cidr: cidr('192.168.1.0/24') }];
    expect(formatCidr(pickSubnet(s, taken, []))).toBe('172.30.0.0/24');
    expect(() => pickSubnet(s, [...taken, { name: 'c', cidr: cidr('172.30.0.0/24') }], [])).toThrow(
      'could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network',
    );
  });

  it('refuses bad pool settings with one line', () => {
    expect(() => poolSettings(['10.0.0.0'], 24)).toThrow('invalid default address pool 10.0.0.0');
    expect(() => poolSettings(['10.0.0.0/8'], 30)).toThrow('invalid default address pool mask length 30');
    expect(() => poolSettings(['10.0.0.0/26'], 24)).toThrow('smaller than the subnet size /24');
    expect(() => poolSettings(['10.0.0.0/8', '10.5.0.0/16'], 24)).toThrow('overlap');
    expect(poolSettings(['10.20.0.0/16'], 26)).toEqual({ pools: [cidr('10.20.0.0/16')], subnetSize: 26 });
  });

  it("honours a user's subnet and gateway, and names the network it overlaps", () => {
    expect(userSubnet('10.20.0.0/24', undefined, [], [])).toEqual({ cidr: cidr('10.20.0.0/24'), gateway: addr('10.20.0.1') });
    expect(userSubnet('10.20.0.0/24', '10.20.0.254', [], []).gateway).toBe(addr('10.20.0.254'));
    const taken = [{ name: 'web_back', cidr: cidr('10.20.0.0/16') }];
    expect(() => userSubnet('10.20.0.0/24', undefined, taken, [])).toThrow('subnet 10.20.0.0/24 overlaps network web_back (10.20.0.0/16)');
    expect(() => userSubnet('10.99.0.0/16', undefined, [], [addr('10.99.0.2')])).toThrow('holds the address of a node (10.99.0.2)');
    expect(() => userSubnet('10.20.0.5/24', undefined, [], [])).toThrow('invalid subnet 10.20.0.5/24');
    expect(() => userSubnet('10.20.0.0/24', '10.21.0.1', [], [])).toThrow('gateway 10.21.0.1 is not a host address of subnet 10.20.0.0/24');
    expect(() => userSubnet('10.20.0.0/24', '10.20.0.255', [], [])).toThrow('not a host address');
  });
});

describe('VXLAN IDs', () => {
  it('hands out the lowest free ID from a base above Docker swarm mode', () => {
    expect(VXLAN_ID_BASE).toBeGreaterThan(4096 + 0xffff);
    expect(pickVxlanId(new Set())).toBe(VXLAN_ID_BASE);
    expect(pickVxlanId(new Set([VXLAN_ID_BASE, VXLAN_ID_BASE + 2]))).toBe(VXLAN_ID_BASE + 1);
  });
});

describe('allocateNetwork', () => {
  const nodes = [makeNode('n1')]; // at 10.0.0.1
  it('gives a pool subnet, its first host as gateway, and a fresh VXLAN ID', () => {
    const a = allocateNetwork({ spec: spec('web_default'), networks: [network('x', '10.0.1.0/24', VXLAN_ID_BASE)], nodes, cluster: undefined });
    expect(a).toEqual({ subnet: '10.0.2.0/24', gateway: '10.0.2.1', vxlanId: VXLAN_ID_BASE + 1 });
  });

  it("keeps the subnet and VXLAN ID of a removed network whose tasks still run", () => {
    const lingering = [{ networkId: 'gone', allocation: { subnet: '10.0.1.0/24', gateway: '10.0.1.1', vxlanId: VXLAN_ID_BASE } }];
    const a = allocateNetwork({ spec: spec('new'), networks: [], lingering, nodes, cluster: undefined });
    expect(a).toEqual({ subnet: '10.0.2.0/24', gateway: '10.0.2.1', vxlanId: VXLAN_ID_BASE + 1 });
  });

  it("uses the cluster's pool", () => {
    const cluster = { id: 'c', meta: { version: 1, createdAt: '', updatedAt: '' }, spec: { annotations: { name: 'c', labels: {} }, taskHistoryRetentionLimit: 5, heartbeatPeriodMs: 1000, nodeCertLifetimeMs: 1, defaultAddrPool: ['172.31.0.0/16'], subnetSize: 28 } };
    expect(allocateNetwork({ spec: spec('a'), networks: [], nodes, cluster }).subnet).toBe('172.31.0.0/28');
  });
});
