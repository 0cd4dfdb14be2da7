import type { Network, Service, Task, TaskHealth, TaskState } from '@shoal/common';
import { makeNode, makeService, makeSpec, makeTask } from '../scheduler/fixtures.js';
import type { Unversioned, WriteTx } from '../../src/store/types.js';

/**
 * Objects as the allocator (i10-alloc) leaves them: networks with an allocation, services with
 * VIPs, tasks with their addresses. Built directly, so these tests do not depend on the allocator.
 */
export function network(id: string, o: { name?: string; attachable?: boolean; subnet?: string; vxlanId?: number; opts?: Record<string, string> } = {}): Unversioned<Network> {
  const subnet = o.subnet ?? '10.0.1.0/24';
  return {
    id,
    spec: {
      annotations: { name: o.name ?? `net-${id}`, labels: {} },
      driver: 'overlay',
      attachable: o.attachable ?? false,
      internal: false,
      ingress: false,
      driverOpts: o.opts ?? {},
      ipam: [],
    },
    allocation: { subnet, gateway: subnet.replace(/\.0\/\d+$/, '.1'), vxlanId: o.vxlanId ?? 0x400001 },
  };
}

export interface NetServiceOptions {
  name?: string;
  /** Network name → [aliases, vip (with prefix) or undefined]. */
  on: Record<string, { aliases?: string[]; vip?: string; networkId: string }>;
  mode?: 'vip' | 'dnsrr';
  healthcheck?: string[];
}

export function netService(id: string, o: NetServiceOptions): Service {
  const s = makeService(id, {
    spec: makeSpec((spec) => {
      spec.networks = Object.entries(o.on).map(([target, a]) => ({ target, aliases: a.aliases ?? [] }));
      if (o.healthcheck) spec.container.healthcheck = { test: o.healthcheck, intervalMs: 1000, timeoutMs: 1000, retries: 1, startPeriodMs: 0 };
    }),
  });
  s.spec.annotations.name = o.name ?? `svc-${id}`;
  if (o.mode) s.spec.endpoint.mode = o.mode;
  const vips = Object.values(o.on).flatMap((a) => (a.vip ? [{ networkId: a.networkId, address: a.vip }] : []));
  if (vips.length > 0) s.endpoint = { virtualIps: vips };
  return s;
}

export interface NetTaskOptions {
  service: Service;
  nodeId?: string;
  state?: TaskState;
  desiredState?: TaskState;
  health?: TaskHealth;
  /** networkId → address with prefix. */
  addresses: Record<string, string>;
}

export function netTask(id: string, o: NetTaskOptions): Task {
  const t = makeTask(id, { serviceId: o.service.id, nodeId: o.nodeId ?? 'n1', state: o.state ?? 'running', desiredState: o.desiredState ?? 'running', spec: o.service.spec.task });
  if (o.health) t.status.health = o.health;
  t.networks = Object.entries(o.addresses).map(([networkId, address]) => {
    const name = o.service.spec.task.networks.find(() => true)?.target ?? networkId;
    return {
      networkId,
      name,
      address,
      aliases: [],
      allocation: { subnet: '10.0.1.0/24', gateway: '10.0.1.1', vxlanId: 0x400001 },
      internal: false,
      attachable: false,
      driverOpts: {},
    };
  });
  return t;
}

export function node(id: string, addr: string) {
  const n = makeNode(id);
  n.status.addr = addr;
  return n;
}

/** Creates objects in one transaction (they carry a meta, which the store overwrites). */
export function createAll(tx: WriteTx, o: { networks?: Unversioned<Network>[]; nodes?: ReturnType<typeof node>[]; services?: Service[]; tasks?: Task[] }): void {
  for (const n of o.networks ?? []) tx.create('networks', n);
  for (const n of o.nodes ?? []) tx.create('nodes', n);
  for (const s of o.services ?? []) tx.create('services', s);
  for (const t of o.tasks ?? []) tx.create('tasks', t);
}
