import type Docker from 'dockerode';
import { LABEL_NETWORK_ID } from '../names.js';
import { mtuOfAddress, observedDockerNetwork, parseBridgeAddrs, parseFdb, parseLinks, parseNeigh, parsePortEntries, type DockerNetworkInfo, type ObservedState } from '../observed.js';
import { readJson, type CommandRunner } from './commands.js';

/** How many containers (any state) name each Docker network id, from one container listing. */
async function containersPerNetwork(docker: Docker): Promise<Map<string, number>> {
  const list = await docker.listContainers({ all: true });
  const counts = new Map<string, number>();
  for (const c of list) {
    for (const ep of Object.values(c.NetworkSettings?.Networks ?? {})) {
      if (ep.NetworkID) counts.set(ep.NetworkID, (counts.get(ep.NetworkID) ?? 0) + 1);
    }
  }
  return counts;
}

/** Shoal's Docker networks (by label) and any Docker network holding one of `names`. */
async function dockerNetworks(docker: Docker, names: ReadonlySet<string>): Promise<ObservedState['dockerNetworks']> {
  const [all, counts] = await Promise.all([docker.listNetworks(), containersPerNetwork(docker)]);
  const relevant = (all as DockerNetworkInfo[]).filter((n) => n.Labels?.[LABEL_NETWORK_ID] !== undefined || names.has(n.Name));
  return relevant.map((n) => observedDockerNetwork(n, counts.get(n.Id) ?? 0));
}

/** Everything the planner compares: Docker networks, shoal's links, and their fdb and neighbour entries. */
export async function readNode(docker: Docker, run: CommandRunner, names: ReadonlySet<string>): Promise<ObservedState> {
  const [nets, kernel] = await Promise.all([dockerNetworks(docker, names), readKernel(run)]);
  return { dockerNetworks: nets, ...kernel };
}

/** The kernel's half of the observed state: shoal's links, their entries, and the bridges' MACs and addresses. */
export async function readKernel(run: CommandRunner): Promise<Omit<ObservedState, 'dockerNetworks'>> {
  const [links, fdb, neigh, addrs] = await Promise.all([
    readJson(run, 'ip', ['-j', '-d', 'link', 'show']),
    readJson(run, 'bridge', ['-j', 'fdb', 'show']),
    readJson(run, 'ip', ['-j', '-4', 'neigh', 'show']),
    readJson(run, 'ip', ['-j', '-4', 'addr', 'show']),
  ]);
  return { ...parseLinks(links), fdb: parseFdb(fdb), portEntries: parsePortEntries(fdb), neigh: parseNeigh(neigh), bridgeAddrs: parseBridgeAddrs(links, addrs) };
}

/** The MTU of the interface holding the underlay address; 1500 (and a reason) when none holds it. */
export async function readUnderlayMtu(run: CommandRunner, underlay: string): Promise<{ mtu: number; note?: string }> {
  const mtu = mtuOfAddress(await readJson(run, 'ip', ['-j', '-4', 'addr', 'show']), underlay);
  if (mtu !== undefined && mtu > 0) return { mtu };
  return { mtu: 1500, note: `no interface holds the advertise address ${underlay}; overlay MTU assumes an underlay of 1500` };
}
