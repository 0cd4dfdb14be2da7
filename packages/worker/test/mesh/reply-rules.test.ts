import { ipv4Value } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { probeVerdict } from '../../src/mesh/io/probe.js';
import { observeNamespace, planNamespace, type MeshTarget } from '../../src/mesh/namespace-plan.js';
import { meshNodes, meshNodesDelta, meshRemoval, meshScript, subnetMark, MAX_MESH_NODES } from '../../src/mesh/reply-rules.js';

const NODES = [
  { nodeId: 'b', address: '10.0.0.4', nodeAddr: '10.99.0.12' },
  { nodeId: 'a', address: '10.0.0.3', nodeAddr: '10.99.0.11' },
];
const target: MeshTarget = { address: '10.0.0.7', subnet: '10.0.0.0/24', gateway: '10.0.0.1', nodes: meshNodes(NODES) };

describe('the reply path rules (pure)', () => {
  it('turns nodes into map elements: MAC and mark from the address, sorted, invalid ones dropped, bounded', () => {
    expect(meshNodes([...NODES, { nodeId: 'x', address: 'evil; drop', nodeAddr: '' }, { nodeId: 'a2', address: '10.0.0.3', nodeAddr: '' }])).toEqual([
      { address: '10.0.0.3', mac: '02:42:0a:00:00:03', mark: 0x0a000003 },
      { address: '10.0.0.4', mac: '02:42:0a:00:00:04', mark: 0x0a000004 },
    ]);
    const many = Array.from({ length: MAX_MESH_NODES + 5 }, (_, i) => ({ nodeId: `n${i}`, address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, nodeAddr: '' }));
    expect(meshNodes(many)).toHaveLength(MAX_MESH_NODES);
    expect(ipv4Value('255.255.255.255')).toBe(0xffffffff);
  });

  it('marks a subnet by its address and netmask as u32', () => {
    expect(subnetMark('10.0.0.0/24')).toEqual({ mark: 0x0a000000, mask: 0xffffff00 });
    expect(subnetMark('10.255.3.77/16')).toEqual({ mark: 0x0aff0000, mask: 0xffff0000 });
    expect(subnetMark('10.0.0.9/32')).toEqual({ mark: 0x0a000009, mask: 0xffffffff });
    expect(subnetMark('nonsense')).toBeUndefined();
  });

  it('writes both tables in one replace: marks by source MAC, UDP peers, source fix, mark on replies, MAC rewrite at egress', () => {
    const s = meshScript('eth1', '10.0.0.7', target.nodes);
    expect(s).toContain('table ip shoal_mesh\ndelete table ip shoal_mesh\ntable ip shoal_mesh {');
    expect(s).toContain('elements = { 02:42:0a:00:00:03 : 0x0a000003, 02:42:0a:00:00:04 : 0x0a000004 }');
    expect(s).toContain('iifname "eth1" ct state new ct mark set ether saddr map @node_marks');
    expect(s).toContain('ip saddr != 10.0.0.7 ip daddr . udp dport . udp sport @udp_peers ip saddr set 10.0.0.7');
    expect(s).toContain('type route hook output priority mangle; ct mark != 0 meta mark set ct mark;');
    expect(s).toContain('elements = { 0x0a000003 : 02:42:0a:00:00:03, 0x0a000004 : 02:42:0a:00:00:04 }');
    expect(s).toContain('type filter hook egress device "eth1" priority 0; meta mark != 0 ether daddr set meta mark map @node_macs;');
    expect(meshScript('eth1', '10.0.0.7', [])).toContain('map node_marks { type ether_addr : mark; }');
    expect(() => meshScript('eth1"; flush ruleset', '10.0.0.7', [])).toThrow(/not an interface name/);
    expect(() => meshScript('eth1', '10.0.0.7 accept', [])).toThrow(/not an IPv4 address/);
    expect(meshRemoval()).toContain('delete table netdev shoal_mesh_l2');
  });

  it('patches only the elements of nodes that came or went', () => {
    const before = meshNodes(NODES);
    const after = meshNodes([NODES[1]!, { nodeId: 'c', address: '10.0.0.5', nodeAddr: '' }]);
    expect(meshNodesDelta(before, before)).toBe('');
    expect(meshNodesDelta(before, after).split('\n').filter(Boolean)).toEqual([
      'delete element ip shoal_mesh node_marks { 02:42:0a:00:00:04 }',
      'delete element netdev shoal_mesh_l2 node_macs { 0x0a000004 }',
      'add element ip shoal_mesh node_marks { 02:42:0a:00:00:05 : 0x0a000005 }',
      'add element netdev shoal_mesh_l2 node_macs { 0x0a000005 : 02:42:0a:00:00:05 }',
    ]);
  });
});

describe('one namespace: read, plan (pure)', () => {
  const addrs = [
    { ifname: 'lo', addr_info: [{ local: '127.0.0.1' }] },
    { ifname: 'eth0', addr_info: [{ local: '10.0.1.7' }] },
    { ifname: 'eth1', addr_info: [{ local: '10.0.0.7' }] },
  ];
  const ourRule = { priority: 4242, src: 'all', fwmark: '0xa000000', fwmask: '0xffffff00', table: '4242' };
  const route = { dst: 'default', gateway: '10.0.0.1', dev: 'eth1', flags: [] };
  const rp = (all: number, eth1: number) => `/proc/sys/net/ipv4/conf/all/rp_filter:${all}\n/proc/sys/net/ipv4/conf/eth1/rp_filter:${eth1}\n`;

  it('a fresh namespace gets the rule, the route, a loose rp_filter and the tables', () => {
    const w = planNamespace(target, observeNamespace(target, addrs, [{ priority: 0, table: 'local' }], [], rp(1, 0)));
    expect(w.ifname).toBe('eth1');
    expect(w.ipLines).toEqual(['rule add pref 4242 fwmark 0x0a000000/0xffffff00 lookup 4242', 'route replace default via 10.0.0.1 dev eth1 table 4242']);
    expect(w.rpFilterDev).toBe('eth1');
    expect(w.nft).toContain('device "eth1"');
  });

  it('a programmed namespace gets only the tables again (adopted after a restart)', () => {
    const o = observeNamespace(target, addrs, [ourRule], [route], rp(0, 2));
    expect(o).toEqual({ ifname: 'eth1', rule: true, staleRules: 0, route: true, rpFilter: 2 });
    const w = planNamespace(target, o);
    expect(w.ipLines).toEqual([]);
    expect(w.rpFilterDev).toBeUndefined();
  });

  it('replaces a rule of another subnet at our priority; refuses a namespace without the address', () => {
    const stale = { ...ourRule, fwmark: '0xa010000' };
    const w = planNamespace(target, observeNamespace(target, addrs, [stale], [route], rp(0, 0)));
    expect(w.ipLines).toEqual(['rule del pref 4242', 'rule add pref 4242 fwmark 0x0a000000/0xffffff00 lookup 4242']);
    expect(() => planNamespace(target, observeNamespace(target, addrs.slice(0, 2), [], [], ''))).toThrow('no interface holds the ingress address 10.0.0.7');
  });
});

describe('the probe verdict', () => {
  it('preserved when the script went in; snat with the reason otherwise', () => {
    expect(probeVerdict(0, '').clientAddress).toBe('preserved');
    expect(probeVerdict(1, 'Error: Could not process rule: Operation not supported\n')).toEqual({
      clientAddress: 'snat',
      reason: 'the kernel has no netdev egress hook (Linux < 5.16): forwarded connections are source-NATed',
    });
    expect(probeVerdict(-1, 'spawn unshare ENOENT')).toEqual({ clientAddress: 'snat', reason: 'cannot program the reply path (spawn unshare ENOENT): forwarded connections are source-NATed' });
  });
});
