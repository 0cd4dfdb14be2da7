import { describe, expect, it } from 'vitest';
import { buildNetworkCreateSpec } from '../src/network/create-options.js';
import { parseAddrPool } from '../src/parse/addr-pool.js';
import { checkGateway, parseCidr } from '../src/parse/cidr.js';
import { parseEndpointMode, parseNetworkAttachment } from '../src/parse/network-attachment.js';
import { applyServiceUpdate, buildServiceSpec } from '../src/service/build-spec.js';
import { spec } from './fixtures.js';

describe('CIDRs', () => {
  it('reads IPv4 blocks and refuses host bits, naming the block meant', () => {
    expect(parseCidr('10.20.0.0/24', '--subnet')).toEqual({ base: 0x0a140000, prefix: 24 });
    expect(() => parseCidr('10.20.0.5/24', '--subnet')).toThrow('invalid --subnet "10.20.0.5/24": host bits are set (did you mean 10.20.0.0/24?)');
    for (const bad of ['10.20.0.0', '10.20.0/24', '10.20.0.256/24', '10.20.0.0/33', 'fd00::/64', '010.1.1.0/24']) {
      expect(() => parseCidr(bad, '--subnet')).toThrow(`invalid --subnet "${bad}": use an IPv4 CIDR such as 10.20.0.0/24`);
    }
  });

  it('wants a gateway inside the subnet that is neither its network nor its broadcast address', () => {
    const subnet = parseCidr('10.20.0.0/24', '--subnet');
    expect(() => checkGateway('10.20.0.1', subnet, '--gateway')).not.toThrow();
    expect(() => checkGateway('10.21.0.1', subnet, '--gateway')).toThrow('invalid --gateway "10.21.0.1": it is not in subnet 10.20.0.0/24');
    expect(() => checkGateway('10.20.0.255', subnet, '--gateway')).toThrow('it is the broadcast address of 10.20.0.0/24');
    expect(() => checkGateway('10.20.0.0', subnet, '--gateway')).toThrow('it is the network address of 10.20.0.0/24');
  });
});

describe('network create flags', () => {
  it('makes an overlay network by default, with options, labels and the address plan', () => {
    const s = buildNetworkCreateSpec('back', { driver: 'overlay', subnet: ['10.20.0.0/16'], gateway: ['10.20.0.254'], attachable: true, internal: true, opt: ['encrypted', 'com.docker.network.driver.mtu=1400'], label: ['team=db'] });
    expect(s).toEqual({
      annotations: { name: 'back', labels: { team: 'db' } },
      driver: 'overlay',
      attachable: true,
      internal: true,
      ingress: false,
      driverOpts: { encrypted: '', 'com.docker.network.driver.mtu': '1400' },
      ipam: [{ subnet: '10.20.0.0/16', gateway: '10.20.0.254' }],
    });
    expect(buildNetworkCreateSpec('plain', {})).toMatchObject({ driver: 'overlay', ipam: [], ingress: false, driverOpts: {} });
    expect(buildNetworkCreateSpec('mesh', { ingress: true }).ingress).toBe(true);
    expect(buildNetworkCreateSpec('s', { scope: 'swarm' }).driver).toBe('overlay');
    expect(() => buildNetworkCreateSpec('s', { scope: 'local' })).toThrow('invalid --scope "local": shoal networks span the swarm');
  });

  it('refuses node-local drivers and Docker\'s reserved names', () => {
    expect(() => buildNetworkCreateSpec('x', { driver: 'bridge' })).toThrow('--driver: driver "bridge" is not supported: only overlay networks are cluster-wide (use driver overlay)');
    for (const name of ['bridge', 'host', 'none', 'docker_gwbridge']) expect(() => buildNetworkCreateSpec(name, {})).toThrow(`network name ${name} is reserved`);
    expect(() => buildNetworkCreateSpec('-x', {})).toThrow('invalid network name "-x"');
    expect(() => buildNetworkCreateSpec('x-', {})).toThrow('invalid network name "x-"');
    expect(() => buildNetworkCreateSpec('n'.repeat(64), {})).toThrow('the limit is 63');
    expect(buildNetworkCreateSpec('n'.repeat(63), {}).annotations.name).toHaveLength(63);
  });

  it('checks the address plan and the MTU before anything is sent', () => {
    expect(() => buildNetworkCreateSpec('x', { gateway: ['10.0.0.1'] })).toThrow('--gateway: a gateway needs a subnet (give --subnet too)');
    expect(() => buildNetworkCreateSpec('x', { subnet: ['10.0.0.0/24', '10.1.0.0/24'] })).toThrow('--subnet was given 2 times: a shoal network has one subnet');
    expect(() => buildNetworkCreateSpec('x', { subnet: ['10.0.0.0/31'] })).toThrow('a /31 has no room for tasks');
    expect(() => buildNetworkCreateSpec('x', { opt: ['com.docker.network.driver.mtu=big'] })).toThrow('--opt: invalid com.docker.network.driver.mtu "big": use a number from 68 to 65535');
    expect(() => buildNetworkCreateSpec('x', { opt: ['com.docker.network.driver.mtu=70000'] })).toThrow('use a number from 68 to 65535');
    expect(() => buildNetworkCreateSpec('x', { opt: Array.from({ length: 33 }, (_, i) => `k${i}=v`) })).toThrow('the limit is 32');
  });
});

describe('swarm init --default-addr-pool', () => {
  it('passes the pools and the mask length, defaults as empty and 0', () => {
    expect(parseAddrPool(undefined, undefined)).toEqual({ cidrs: [], maskLen: 0 });
    expect(parseAddrPool(['10.10.0.0/16', '10.20.0.0/16'], '26')).toEqual({ cidrs: ['10.10.0.0/16', '10.20.0.0/16'], maskLen: 26 });
  });

  it('refuses bad CIDRs, overlaps, pools smaller than their subnets and mask lengths outside 8..30', () => {
    expect(() => parseAddrPool(['10.10.0.1/16'], undefined)).toThrow('invalid --default-addr-pool "10.10.0.1/16": host bits are set');
    expect(() => parseAddrPool(['10.0.0.0/8', '10.20.0.0/16'], undefined)).toThrow('invalid --default-addr-pool "10.20.0.0/16": it overlaps 10.0.0.0/8');
    expect(() => parseAddrPool(['10.10.0.0/26'], undefined)).toThrow('it is smaller than the /24 subnets cut from it');
    expect(() => parseAddrPool(['10.10.0.0/26'], '28')).not.toThrow();
    for (const bad of ['7', '31', 'x', '24.5']) expect(() => parseAddrPool([], bad)).toThrow(`invalid --default-addr-pool-mask-len "${bad}": use a number from 8 to 30`);
  });
});

describe('service --network and --endpoint-mode', () => {
  it('takes a name, or name=..,alias=.. (repeatable aliases)', () => {
    expect(parseNetworkAttachment('back')).toEqual({ target: 'back', aliases: [] });
    expect(parseNetworkAttachment('name=back,alias=db,alias=primary')).toEqual({ target: 'back', aliases: ['db', 'primary'] });
    expect(parseNetworkAttachment('target=back')).toEqual({ target: 'back', aliases: [] });
    expect(() => parseNetworkAttachment('alias=db')).toThrow('invalid --network "alias=db": name=NET is required');
    expect(() => parseNetworkAttachment('name=back,ip=10.0.0.9')).toThrow('unknown field "ip"');
    expect(() => parseEndpointMode('rr')).toThrow('invalid endpoint mode "rr": use vip or dnsrr');
  });

  it('builds the spec, refusing a network twice and dnsrr with ingress ports', () => {
    const s = buildServiceSpec({ name: 'web', network: ['front', 'name=back,alias=api'], endpointMode: 'dnsrr' }, 'nginx', []);
    expect(s.task.networks).toEqual([{ target: 'front', aliases: [] }, { target: 'back', aliases: ['api'] }]);
    expect(s.endpoint).toEqual({ ports: [], mode: 'dnsrr' });
    expect(buildServiceSpec({ name: 'web' }, 'nginx', []).endpoint).toEqual({ ports: [] });
    expect(() => buildServiceSpec({ name: 'web', network: ['a', 'name=a'] }, 'nginx', [])).toThrow('network a is given more than once');
    expect(() => buildServiceSpec({ name: 'web', publish: ['8080:80'], endpointMode: 'dnsrr' }, 'nginx', [])).toThrow("port published with ingress mode can't be used with dnsrr mode");
  });

  it('service update adds and removes networks and changes the endpoint mode', () => {
    const current = spec('web', { task: { ...spec('web').task, networks: [{ target: 'front', aliases: [] }, { target: 'back', aliases: [] }] } });
    const next = applyServiceUpdate(current, { networkAdd: ['name=mid,alias=m'], networkRm: ['front'], endpointMode: 'dnsrr' });
    expect(next.task.networks).toEqual([{ target: 'back', aliases: [] }, { target: 'mid', aliases: ['m'] }]);
    expect(next.endpoint.mode).toBe('dnsrr');
    expect(current.task.networks).toHaveLength(2);
    expect(() => applyServiceUpdate(current, { networkAdd: ['back'] })).toThrow('service is already attached to network back');
  });
});
