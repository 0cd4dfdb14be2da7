import type * as grpc from '@grpc/grpc-js';
import { unaryHandler, type ControlHandlers } from '@shoal/common/rpc';
import { invalidArgument, type Cluster, type Node, type Rng, type ServiceSpec, type Task } from '@shoal/common';
import type { ReadTx, Store } from '../../store/types.js';
import { filterNodes, filterServices, filterTasks, type Filters } from '../list-filters.js';
import { resolveRef } from '../resolve-ref.js';
import { createService, removeService, rollbackService, updateService } from '../services.js';
import { removeNode, updateNode, type RoleChanges } from '../nodes.js';
import { joinTokens, type TokenMaker } from '../join-tokens.js';
import { managerAddrs } from '../../manager-addrs.js';
import { updateCluster } from '../cluster-settings.js';
import { listPage, wholeList } from '../list-page.js';
import { checkSpecSize } from '../validate-service-spec.js';
import { checkNetworkSpecSize } from '../validate-network-spec.js';
import { createNetwork, filterNetworks, removeNetwork } from '../networks.js';
import { withoutKeys } from '../../network-keys/plan-keys.js';

/** The root CA's private key never leaves the managers. */
function withoutKey(cluster: Cluster | undefined): Cluster | undefined {
  if (!cluster?.rootCA) return cluster;
  return { ...cluster, rootCA: { ...cluster.rootCA, keyPem: '' } };
}

function parseSpec(json: string): ServiceSpec {
  checkSpecSize(json);
  try {
    return JSON.parse(json) as ServiceSpec;
  } catch (e) {
    throw invalidArgument(`malformed service spec: ${(e as Error).message}`);
  }
}

function parseNetworkSpec(json: string): unknown {
  checkNetworkSpecSize(json);
  try {
    return JSON.parse(json) as unknown;
  } catch (e) {
    throw invalidArgument(`malformed network spec: ${(e as Error).message}`);
  }
}

const one = (o: unknown) => ({ objectJson: JSON.stringify(o) });
/** A listing: paged for callers that page, else whole (bounded; see list-page.ts). */
const many = (os: { id: string }[], req: { paged: boolean; pageToken: string }) => (req.paged ? listPage(os, req.pageToken) : wholeList(os));

/** Resolves service and node names in task filters to IDs, as Docker's `service ps` does. */
function resolveTaskFilters(store: Store, filters: Filters): Filters {
  const view = store.view();
  const out = { ...filters };
  if (filters.service) out.service = filters.service.split(',').map((r) => resolveRef(view, 'services', r).id).join(',');
  if (filters.node) out.node = filters.node.split(',').map((r) => resolveRef(view, 'nodes', r).id).join(',');
  return out;
}

/** The tasks a listing must filter: through the index when it names services or nodes. */
function candidateTasks(view: ReadTx, filters: Filters): Task[] {
  const ids = (value: string) => [...new Set(value.split(','))];
  if (filters.service) return ids(filters.service).flatMap((id) => view.byIndex('tasks', 'serviceId', id));
  if (filters.node) return ids(filters.node).flatMap((id) => view.byIndex('tasks', 'nodeId', id));
  return view.list('tasks');
}

/**
 * The Control service's handlers. `guard` runs before every call: it refuses calls on a node that
 * cannot serve them (not a manager, not yet initialised) with one clear error.
 */
export function controlHandlers(getStore: () => Store, rng: Rng, makeToken: TokenMaker, decorateNode: (n: Node) => Node = (n) => n, roles?: RoleChanges): ControlHandlers {
  const h = unaryHandler;
  return {
    GetCluster: h(async () => one(withoutKey(getStore().view().list('clusters')[0]))),
    UpdateCluster: h(async (req) => one(withoutKey(await updateCluster(getStore(), { version: Number(req.version), maxReplicas: Number(req.maxReplicas) })))),
    JoinTokens: h(async (req) => {
      const store = getStore();
      const tokens = await joinTokens(store, req.rotate, makeToken);
      return { ...tokens, managerAddrs: managerAddrs(store.view()) };
    }),
    ListNodes: h(async (req) => many(filterNodes(getStore().view().list('nodes'), req.filters).map(decorateNode), req)),
    GetNode: h(async (req) => one(decorateNode(resolveRef(getStore().view(), 'nodes', req.ref)))),
    UpdateNode: h(async (req) =>
      one(decorateNode(await updateNode(getStore(), req.ref, { availability: req.availability, role: req.role, labelAdd: req.labelAdd, labelRm: req.labelRm }, roles))),
    ),
    RemoveNode: h(async (req) => {
      await removeNode(getStore(), req.ref, req.force);
      return {};
    }),
    CreateService: h(async (req) => one(await createService(getStore(), rng, parseSpec(req.specJson)))),
    GetService: h(async (req) => one(resolveRef(getStore().view(), 'services', req.ref))),
    UpdateService: h(async (req) =>
      one(
        req.rollback === 'previous'
          ? await rollbackService(getStore(), req.ref)
          : await updateService(getStore(), req.ref, Number(req.version), parseSpec(req.specJson)),
      ),
    ),
    RemoveService: h(async (req) => {
      await removeService(getStore(), req.ref);
      return {};
    }),
    ListServices: h(async (req) => many(filterServices(getStore().view().list('services'), req.filters), req)),
    CreateNetwork: h(async (req) => one(await createNetwork(getStore(), rng, parseNetworkSpec(req.specJson)))),
    // An encrypted network's keys stay in the store and the workers' tables: never in a reply.
    GetNetwork: h(async (req) => one(withoutKeys(resolveRef(getStore().view(), 'networks', req.ref)))),
    ListNetworks: h(async (req) => many(filterNetworks(getStore().view().list('networks'), req.filters).map(withoutKeys), req)),
    RemoveNetwork: h(async (req) => {
      await removeNetwork(getStore(), req.ref);
      return {};
    }),
    ListTasks: h(async (req) => {
      const filters = resolveTaskFilters(getStore(), req.filters);
      return many(filterTasks(candidateTasks(getStore().view(), filters), filters), req);
    }),
  } satisfies grpc.UntypedServiceImplementation;
}
