import type { Command } from 'commander';
import { invalidArgument } from '@shoal/common';
import type { Cli } from '../context.js';
import { parseAddrPool } from '../parse/addr-pool.js';
import { formatCidr, parseCidr } from '../parse/cidr.js';
import { parseDuration } from '../parse/duration.js';
import { collect } from '../parse/key-value.js';

const MIN_CERT_EXPIRY_MS = 10_000;

interface InitOptions {
  advertiseAddr?: string;
  listenAddr?: string;
  certExpiry: string;
  forceNewCluster?: boolean;
  defaultAddrPool?: string[];
  defaultAddrPoolMaskLen?: string;
  ingressSubnet?: string;
}

export function registerSwarmInit(swarm: Command, cli: Cli): void {
  swarm
    .command('init')
    .description('Initialize a swarm: this node becomes its first manager')
    .option('--advertise-addr <addr>', 'address advertised to other members of the swarm')
    .option('--listen-addr <addr>', 'listen address for node-to-node traffic (default: the --listen-addr of shoald)')
    .option('--cert-expiry <duration>', 'validity period for node certificates', '2160h0m0s')
    .option('--force-new-cluster', 'force create a new cluster from the current state')
    .option('--default-addr-pool <cidr>', 'default address pool in CIDR format (default 10.0.0.0/8); repeatable', collect)
    .option('--default-addr-pool-mask-len <n>', 'subnet mask length of the networks cut from the pools (default 24)')
    .option('--ingress-subnet <cidr>', 'subnet of the ingress network (the routing mesh); default: the first subnet of the pool (10.0.0.0/24)')
    .action(async (opts: InitOptions) => {
      const certExpiryMs = parseDuration(opts.certExpiry);
      if (certExpiryMs < MIN_CERT_EXPIRY_MS) throw invalidArgument(`--cert-expiry must be at least 10s (got ${opts.certExpiry})`);
      const pool = parseAddrPool(opts.defaultAddrPool, opts.defaultAddrPoolMaskLen);
      const ingressSubnet = opts.ingressSubnet === undefined ? '' : formatCidr(parseCidr(opts.ingressSubnet, '--ingress-subnet'));
      const client = cli.client();
      const reply = await client.swarmInit(opts.advertiseAddr ?? '', opts.listenAddr ?? '', opts.forceNewCluster ?? false, certExpiryMs, pool, ingressSubnet);
      cli.out(`Swarm initialized: current node (${reply.nodeId}) is now a manager.\n`);
      const tokens = await client.joinTokens('');
      cli.out('To add a worker to this swarm, run the following command:\n');
      cli.out(`    shoal swarm join --token ${tokens.worker} ${reply.advertiseAddr}\n`);
      cli.out("To add a manager to this swarm, run 'shoal swarm join-token manager' and follow the instructions.\n");
    });
}
