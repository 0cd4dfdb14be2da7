import { alreadyExists, conflict, maxReplicasOf, newId, type Rng, type Service, type ServiceSpec } from '@shoal/common';
import type { Store } from '../store/types.js';
import { resolveRef } from './resolve-ref.js';
import { checkIngressPortsFree, checkReplicaLimit, validateServiceSpec } from './validate-service-spec.js';
import { checkHostPortsFree } from './host-port-conflicts.js';
import { resolveServiceNetworks, retryOnConflict, serviceVips } from './networks.js';
import { assignPublishedPorts, publishedKeys } from './published-ports.js';
import { INGRESS_KEY } from '../store/indexes.js';

const hasIngressPorts = (spec: ServiceSpec) => spec.endpoint.ports.some((p) => p.publishMode === 'ingress');

export async function createService(store: Store, rng: Rng, spec: ServiceSpec): Promise<Service> {
  validateServiceSpec(spec);
  const id = newId(rng);
  // A VIP taken meanwhile by another write on the same view: built again (a name taken meanwhile
  // then fails as "already exists").
  await retryOnConflict(() => store.update((tx) => {
    checkReplicaLimit(spec, maxReplicasOf(tx.list('clusters')[0]));
    if (tx.count('services', 'name', spec.annotations.name) > 0) throw alreadyExists(`service ${spec.annotations.name} already exists`);
    // Only a service that publishes ingress ports needs to look at the others.
    const publishing = hasIngressPorts(spec) ? tx.byIndex('services', 'ingressPorts', INGRESS_KEY) : [];
    const numbered = assignPublishedPorts(spec, publishedKeys(publishing));
    if (hasIngressPorts(spec)) checkIngressPortsFree(numbered, publishing);
    checkHostPortsFree(numbered, undefined, tx.list('nodes'));
    const resolved = resolveServiceNetworks(tx, numbered);
    const virtualIps = serviceVips(tx, resolved.spec, resolved.networks, undefined);
    tx.create('services', { id, spec: resolved.spec, ...(virtualIps.length > 0 ? { endpoint: { virtualIps } } : {}) });
  }));
  return store.view().get('services', id)!;
}

export async function updateService(store: Store, ref: string, version: number, spec: ServiceSpec): Promise<Service> {
  validateServiceSpec(spec);
  const id = await store.update((tx) => {
    const current = resolveRef(tx, 'services', ref);
    checkReplicaLimit(spec, maxReplicasOf(tx.list('clusters')[0]));
    if (version !== 0 && current.meta.version !== version) {
      throw conflict(`update out of sequence: service ${current.spec.annotations.name} changed since it was read (version ${version}, now ${current.meta.version})`);
    }
    if (spec.annotations.name !== current.spec.annotations.name) {
      if (tx.count('services', 'name', spec.annotations.name) > 0) throw alreadyExists(`service ${spec.annotations.name} already exists`);
    }
    const publishing = hasIngressPorts(spec) ? tx.byIndex('services', 'ingressPorts', INGRESS_KEY).filter((s) => s.id !== current.id) : [];
    const numbered = assignPublishedPorts(spec, publishedKeys(publishing), current.spec);
    if (hasIngressPorts(spec)) checkIngressPortsFree(numbered, publishing);
    checkHostPortsFree(numbered, current.spec, tx.list('nodes'));
    const resolved = resolveServiceNetworks(tx, numbered, current.spec);
    const virtualIps = serviceVips(tx, resolved.spec, resolved.networks, current);
    const { endpoint: _old, ...rest } = current;
    tx.update('services', { ...rest, previousSpec: current.spec, spec: resolved.spec, ...(virtualIps.length > 0 ? { endpoint: { virtualIps } } : {}) });
    return current.id;
  });
  return store.view().get('services', id)!;
}

export async function rollbackService(store: Store, ref: string): Promise<Service> {
  const current = resolveRef(store.view(), 'services', ref);
  if (!current.previousSpec) throw conflict(`service ${current.spec.annotations.name} has no previous spec to roll back to`);
  return updateService(store, current.id, current.meta.version, current.previousSpec);
}

export async function removeService(store: Store, ref: string): Promise<void> {
  await store.update((tx) => {
    const service = resolveRef(tx, 'services', ref);
    tx.remove('services', service.id);
  });
}
