import { describe, expect, it } from 'vitest';
import { type HostPort, type Node, type PortConfig, type ServiceSpec } from '@shoal/common';
import { checkHostPortsFree } from '../../src/control/host-port-conflicts.js';
import { makeService } from '../scheduler/fixtures.js';

const ingress = (publishedPort: number, protocol: 'tcp' | 'udp' = 'tcp'): PortConfig => ({ protocol, targetPort: 80, publishedPort, publishMode: 'ingress' });

const spec = (ports: PortConfig[]): ServiceSpec => makeService('s1', { ports }).spec;

function node(hostname: string, hostPorts: HostPort[] | undefined, state: 'ready' | 'down' = 'ready'): Node {
  return {
    id: `id-${hostname}`,
    meta: { version: 1, createdAt: '', updatedAt: '' },
    spec: { annotations: { name: '', labels: {} }, role: 'worker', availability: 'active' },
    description: { hostname, platform: { os: 'linux', architecture: 'x86_64' }, resources: { nanoCpus: 1e9, memoryBytes: 1e9 }, engineVersion: '', engineLabels: {} },
    status: { state, message: '', addr: '10.0.0.1' },
    ...(hostPorts ? { hostPorts } : {}),
  };
}

const sshd: HostPort = { port: 8080, protocol: 'tcp', process: 'sshd', pid: 123 };

describe('checkHostPortsFree', () => {
  it('refuses an ingress port a host process listens on, naming the node and the listener', () => {
    const nodes = [node('h1', []), node('h2', [sshd])];
    expect(() => checkHostPortsFree(spec([ingress(8080)]), undefined, nodes)).toThrow('port 8080 is already in use on node h2 by sshd (pid 123)');
  });

  it('says what it knows of a listener it could not name', () => {
    expect(() => checkHostPortsFree(spec([ingress(8080)]), undefined, [node('h1', [{ ...sshd, process: '', pid: 0 }])])).toThrow('port 8080 is already in use on node h1 by a host process');
    expect(() => checkHostPortsFree(spec([ingress(53, 'udp')]), undefined, [node('h1', [{ port: 53, protocol: 'udp', process: 'dnsmasq', pid: 9 }])])).toThrow('port 53/udp is already in use on node h1 by dnsmasq (pid 9)');
  });

  it('lets other ports, other protocols, host-mode ports and nodes that are down through', () => {
    const nodes = [node('h1', [sshd, { port: 9090, protocol: 'udp', process: 'x', pid: 1 }]), node('h2', [{ ...sshd, port: 7000 }], 'down'), node('h3', undefined)];
    expect(() => checkHostPortsFree(spec([ingress(8081), ingress(9090), ingress(7000)]), undefined, nodes)).not.toThrow();
    expect(() => checkHostPortsFree(spec([{ ...ingress(8080), publishMode: 'host' }]), undefined, nodes)).not.toThrow();
  });

  it('on update, checks only the ports the service did not publish before', () => {
    const nodes = [node('h1', [sshd])];
    expect(() => checkHostPortsFree(spec([ingress(8080)]), spec([ingress(8080)]), nodes)).not.toThrow();
    expect(() => checkHostPortsFree(spec([ingress(8080)]), spec([ingress(8081)]), nodes)).toThrow(/port 8080 is already in use on node h1/);
  });
});
