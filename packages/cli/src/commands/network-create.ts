import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { buildNetworkCreateSpec, type NetworkCreateOptions } from '../network/create-options.js';
import { collect } from '../parse/key-value.js';

export function registerNetworkCreate(network: Command, cli: Cli): void {
  network
    .command('create')
    .description('Create an overlay network that spans the swarm')
    .argument('<name>', 'network name')
    .option('-d, --driver <driver>', 'driver to manage the network (only "overlay")', 'overlay')
    .option('--subnet <cidr>', 'subnet in CIDR format, e.g. 10.20.0.0/24 (default: one from the swarm\'s address pool)', collect)
    .option('--gateway <ip>', 'gateway for the subnet (default: its first address)', collect)
    .option('--attachable', 'enable manual container attachment (docker run --network)')
    .option('--internal', 'restrict external access to the network')
    .option('--ingress', 'create the swarm routing-mesh network')
    .option('-o, --opt <opt>', 'driver option (K=V), e.g. encrypted or com.docker.network.driver.mtu=1400; repeatable', collect)
    .option('--label <label>', 'network label (K=V); repeatable', collect)
    .option('--scope <scope>', 'network scope (only "swarm", as Docker\'s overlay networks)')
    .action(async (name: string, opts: NetworkCreateOptions) => {
      const network = await cli.client().createNetwork(buildNetworkCreateSpec(name, opts));
      cli.out(network.id);
    });
}
