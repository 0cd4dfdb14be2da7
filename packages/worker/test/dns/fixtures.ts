import type { NetworkEndpoint, NetworkService, NetworkTable, NodeNetwork } from '@shoal/common';

/** A NetworkTable built by hand, in the shape the dispatcher pushes. */
export function network(id: string, name: string, third: number, services: NetworkService[], endpoints: NetworkEndpoint[]): NodeNetwork {
  return {
    id,
    name,
    allocation: { subnet: `10.0.${third}.0/24`, gateway: `10.0.${third}.1`, vxlanId: 4096 + third },
    internal: false,
    attachable: false,
    driverOpts: {},
    services,
    endpoints,
  };
}

export function service(id: string, name: string, o: Partial<NetworkService> = {}): NetworkService {
  return { id, name, aliases: [], endpointMode: 'vip', ...o };
}

export function endpoint(taskId: string, serviceId: string, address: string, serving = true): NetworkEndpoint {
  return { taskId, serviceId, address, nodeId: 'node-a', nodeAddr: '192.168.0.2', serving };
}

/**
 * The voting app on two networks: `vote_front` (vote, redis) and `vote_back` (redis, db, worker);
 * redis has 2 tasks (one unhealthy), db is dnsrr with 2 tasks, worker's task sits on both.
 */
export function votingTable(): NetworkTable {
  const front = network('net-front', 'vote_front', 1, [
    service('svc-vote', 'vote_vote', { aliases: ['vote'], vip: '10.0.1.2' }),
    service('svc-redis', 'vote_redis', { aliases: ['redis', 'cache'], vip: '10.0.1.3' }),
    service('svc-idle', 'vote_idle', { aliases: ['idle'], vip: '10.0.1.4' }),
  ], [
    endpoint('t-vote1', 'svc-vote', '10.0.1.10'),
    endpoint('t-redis1', 'svc-redis', '10.0.1.11'),
    endpoint('t-redis2', 'svc-redis', '10.0.1.12', false),
    endpoint('t-idle1', 'svc-idle', '10.0.1.13', false),
    endpoint('t-worker1', 'svc-worker', '10.0.1.20'),
  ]);
  const back = network('net-back', 'vote_back', 2, [
    service('svc-db', 'vote_db', { aliases: ['db'], endpointMode: 'dnsrr' }),
    service('svc-worker', 'vote_worker', { aliases: ['worker'], vip: '10.0.2.2' }),
  ], [
    endpoint('t-db1', 'svc-db', '10.0.2.10'),
    endpoint('t-db2', 'svc-db', '10.0.2.11'),
    endpoint('t-worker1', 'svc-worker', '10.0.2.20'),
  ]);
  return { networks: [front, back] };
}
