import { describe, expect, it } from 'vitest';
import { isShoalError } from '@shoal/common';
import { renderConfig, toServiceSpecs } from '../../src/compose/index.js';
import { load } from './helpers.js';

const stack = (networks: string, serviceExtra = '') =>
  `services:\n  web:\n    image: nginx\n    networks: [back]\n${serviceExtra}networks:\n  back:\n${networks}`;
const convert = (text: string) => toServiceSpecs(load(text).project, 'st');
const refused = (text: string) => {
  try {
    convert(text);
  } catch (e) {
    expect(isShoalError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected the file to be refused');
};

describe('top-level networks', () => {
  it('become overlay specs with options, flags, labels and the address plan', () => {
    const out = convert(stack(
      '    driver: overlay\n    driver_opts:\n      encrypted: ""\n      com.docker.network.driver.mtu: 1400\n    attachable: true\n    internal: true\n    labels: [team=db]\n    ipam:\n      driver: default\n      config:\n        - subnet: 10.20.0.0/24\n          gateway: 10.20.0.254\n',
    ));
    expect(out.networks.specs).toEqual([
      {
        annotations: { name: 'st_back', labels: { team: 'db', 'com.docker.stack.namespace': 'st', 'io.shoal.stack': 'st' } },
        driver: 'overlay',
        attachable: true,
        internal: true,
        ingress: false,
        driverOpts: { encrypted: '', 'com.docker.network.driver.mtu': '1400' },
        ipam: [{ subnet: '10.20.0.0/24', gateway: '10.20.0.254' }],
      },
    ]);
  });

  it('creates the default network for services that name none, and keeps a network\'s own name', () => {
    const out = convert('services:\n  a:\n    image: x\n  b:\n    image: x\n    networks: [net]\nnetworks:\n  net:\n    name: shared-n\n');
    expect(out.networks.specs.map((n) => n.annotations.name)).toEqual(['shared-n', 'st_default']);
    expect(out.networks.specs[1]).toMatchObject({ driver: 'overlay', attachable: false, internal: false, ipam: [] });
  });

  it('creates no network that no service uses', () => {
    expect(convert('services:\n  a:\n    image: x\n    networks: [net]\nnetworks:\n  net: {}\n  unused: {}\n').networks.specs.map((n) => n.annotations.name)).toEqual(['st_net']);
  });

  it('refuses what shoal cannot build, naming the key', () => {
    expect(refused(stack('    driver: bridge\n'))).toBe('networks.back.driver: driver "bridge" is not supported: only overlay networks are cluster-wide (use driver overlay)');
    expect(refused(stack('    enable_ipv6: true\n'))).toBe("networks.back.enable_ipv6: IPv6 is not supported on shoal's overlay networks");
    expect(refused(stack('    ipam: {driver: custom}\n'))).toContain('networks.back.ipam.driver: "custom" is not supported');
    expect(refused(stack('    ipam:\n      config: [{subnet: 10.1.0.0/24}, {subnet: 10.2.0.0/24}]\n'))).toBe('networks.back.ipam.config: 2 entries; a network has at most one subnet');
    expect(refused(stack('    ipam:\n      config: [{subnet: 10.1.0.0/16, ip_range: 10.1.1.0/24}]\n'))).toContain('networks.back.ipam.config[0].ip_range: is not supported');
    expect(refused(stack('    ipam:\n      config: [{subnet: 10.1.0.9/24}]\n'))).toContain('invalid networks.back.ipam.config[0].subnet "10.1.0.9/24": host bits are set');
    expect(refused(stack('    ipam:\n      config: [{subnet: 10.1.0.0/24, gateway: 10.2.0.1}]\n'))).toContain('invalid networks.back.ipam.config[0].gateway "10.2.0.1": it is not in subnet 10.1.0.0/24');
    expect(refused(stack('    driver_opts: {com.docker.network.driver.mtu: huge}\n'))).toContain('networks.back.driver_opts: invalid com.docker.network.driver.mtu "huge"');
    expect(refused(stack('    ipam:\n      config: [{subnet: 10.1.0.0/24, bogus: 1}]\n'))).toContain('additional property "bogus" is not allowed');
  });

  it('lists external networks to be found, not created', () => {
    const out = convert('services:\n  a:\n    image: x\n    networks: [pub, priv]\nnetworks:\n  pub:\n    external: true\n  priv:\n    external:\n      name: corp-private\n');
    expect(out.networks).toEqual({ specs: [], external: ['corp-private', 'pub'] });
  });
});

describe('deploy.endpoint_mode', () => {
  it('sets the service\'s endpoint mode; absent stays absent (vip)', () => {
    const mode = (m: string) => convert(stack('    {}\n', `    deploy: {endpoint_mode: ${m}}\n`)).services[0]!.endpoint.mode;
    expect(mode('dnsrr')).toBe('dnsrr');
    expect(mode('vip')).toBe('vip');
    expect(convert(stack('    {}\n')).services[0]!.endpoint).toEqual({ ports: [] });
  });

  it('refuses dnsrr with a port published through ingress, as Docker does', () => {
    expect(refused(stack('    {}\n', '    ports: ["8080:80"]\n    deploy: {endpoint_mode: dnsrr}\n'))).toContain("services.web.deploy.endpoint_mode: port published with ingress mode can't be used with dnsrr mode");
    expect(convert(stack('    {}\n', '    ports: [{target: 80, published: 8080, mode: host}]\n    deploy: {endpoint_mode: dnsrr}\n')).services[0]!.endpoint.mode).toBe('dnsrr');
  });
});

describe('stack config', () => {
  it('shows the networks as merged', () => {
    const text = renderConfig(load(stack('    driver_opts: {encrypted: ""}\n    ipam:\n      config: [{subnet: 10.20.0.0/24}]\n')).project);
    expect(text).toContain('networks:\n  back:\n    driver_opts:\n      encrypted: ""\n    ipam:\n      config:\n        - subnet: 10.20.0.0/24\n');
  });
});
