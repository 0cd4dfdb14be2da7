import type { NetworkEndpoint, NetworkService, NetworkTable, NodeNetwork } from '@shoal/common';

export function endpoint(taskId: string, serviceId: string, address: string, serving = true): NetworkEndpoint {
  return { taskId, serviceId, address, nodeId: 'n1', nodeAddr: '192.168.0.1', serving };
}

export function service(id: string, vip?: string, endpointMode: 'vip' | 'dnsrr' = 'vip'): NetworkService {
  return vip ? { id, name: id, aliases: [], endpointMode, vip } : { id, name: id, aliases: [], endpointMode };
}

export function network(id: string, subnet: string, services: NetworkService[], endpoints: NetworkEndpoint[]): NodeNetwork {
  return {
    id,
    name: id,
    allocation: { subnet, gateway: subnet.replace(/0\/24$/, '1'), vxlanId: 4097 },
    internal: false,
    attachable: false,
    driverOpts: {},
    services,
    endpoints,
  };
}

export function table(...networks: NodeNetwork[]): NetworkTable {
  return { networks };
}
