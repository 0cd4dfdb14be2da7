import type Docker from 'dockerode';
import type { TaskNetworkAttachment } from '@shoal/common';

/** A task's attachment to a stack's overlay network, as the dispatcher sends it. */
export const att: TaskNetworkAttachment = {
  networkId: 'net1abcdefghij',
  name: 'vote_back',
  address: '10.0.1.7/24',
  aliases: [],
  allocation: { subnet: '10.0.1.0/24', gateway: '10.0.1.1', vxlanId: 4194305 },
  internal: true,
  attachable: false,
  driverOpts: {},
};

export type FakeNetwork = { Id: string; Name: string; Labels: Record<string, string>; Options: Record<string, string>; Internal: boolean; IPAM: unknown };

/**
 * An Engine double holding `networks` (no containers). Creates and removals go to `record`;
 * with `recordReads`, the list calls too.
 */
export function engineDouble(networks: FakeNetwork[], record: (line: string) => void, recordReads = false): Docker {
  return {
    listNetworks: async () => {
      if (recordReads) record('docker listNetworks');
      return networks;
    },
    listContainers: async () => {
      if (recordReads) record('docker listContainers');
      return [];
    },
    createNetwork: async (body: Omit<FakeNetwork, 'Id'>) => {
      record(`docker create ${body.Name}`);
      networks.push({ Id: `id-${body.Name}`, ...body });
    },
    getNetwork: (id: string) => ({
      remove: async () => {
        record(`docker remove ${id}`);
        networks.splice(networks.findIndex((n) => n.Id === id), 1);
      },
    }),
  } as unknown as Docker;
}
