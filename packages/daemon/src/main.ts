#!/usr/bin/env node
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { CONNECTION_LIMITS, connectionLimitsFor, withHandshakesPerSource } from '@shoal/manager';
import { parseBackendFlag, parseUpstream, type IngressBackendFlag } from '@shoal/worker';
import { Daemon } from './daemon.js';
import { restrictDataDir } from './data-dir.js';
import { openFileLimit } from './file-limit.js';
import { createLogger } from './logger.js';

const program = new Command('shoald')
  .description('shoal daemon: worker agent, and manager when the node is one')
  .version('0.1.0')
  .option('--data-dir <dir>', 'where the node keeps its state', '/var/lib/shoal')
  .option('--socket <path>', 'the local API socket', '/run/shoal/shoal.sock')
  .option('--hostname <name>', 'the node name', hostname())
  .option('--listen-addr <addr>', 'node-to-node API listen address', '0.0.0.0:4242')
  .option('--advertise-addr <addr>', 'address other nodes reach this one at', '')
  .option('--docker-host <url>', 'Docker Engine to run tasks on', process.env.DOCKER_HOST || 'unix:///var/run/docker.sock')
  .option('--metrics-addr <addr>', 'Prometheus metrics listen address (not served yet)', '')
  .option('--dns <addr>', "upstream DNS server for names outside the cluster (repeatable; default: the host's /etc/resolv.conf)", dnsServer, [] as string[])
  .option('--log-level <level>', 'trace, debug, info, warn, error', 'info')
  .option('--ingress-backend <name>', 'routing mesh rules: auto (ipvs where the kernel has it, else nftables, else iptables), ipvs, nftables or iptables', ingressBackend, 'auto')
  .option('--raft-tick <ms>', 'Raft tick, in milliseconds', positiveInt, 100)
  .option('--raft-election-ticks <n>', 'Raft election timeout: a follower waits a random time in [n, 2n) ticks', positiveInt, 10)
  .option('--raft-heartbeat-ticks <n>', 'ticks between leader heartbeats', positiveInt, 1)
  .option('--raft-snapshot-interval <n>', 'snapshot the store every n Raft entries', positiveInt, 10_000)
  .option('--raft-keep-entries <n>', 'entries kept after a snapshot for slow followers', positiveInt, 500)
  .option('--max-handshakes-per-source <n>', `connections without a verified node certificate (TLS handshakes, joins) at once from one address, 1-${CONNECTION_LIMITS.maxUnauthenticated}; raise only where many nodes share an address (hollow nodes on loopback)`, handshakesPerSource, CONNECTION_LIMITS.maxUnauthenticatedPerSource)
  .option('--raft-max-message-size <bytes>', 'largest Raft message (a snapshot is one) sent to or taken from a peer; the same on every manager', positiveInt, 128 * 1024 * 1024);

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function handshakesPerSource(value: string): number {
  const n = positiveInt(value);
  if (n > CONNECTION_LIMITS.maxUnauthenticated) throw new InvalidArgumentError(`must be at most ${CONNECTION_LIMITS.maxUnauthenticated}`);
  return n;
}

function ingressBackend(value: string): IngressBackendFlag {
  const flag = parseBackendFlag(value);
  if (!flag) throw new InvalidArgumentError('must be auto, ipvs, nftables or iptables');
  return flag;
}

/** `--dns` as dockerd's: an IP address (shoald also takes ADDR:PORT), repeatable. */
function dnsServer(value: string, previous: string[]): string[] {
  if (!parseUpstream(value, isIP)) throw new InvalidArgumentError('must be an IP address, optionally with :PORT');
  return [...previous, value];
}

async function main(): Promise<void> {
  program.parse();
  const flags = program.opts<{
    dataDir: string; socket: string; hostname: string; listenAddr: string; advertiseAddr: string; dockerHost: string; logLevel: string; dns: string[]; ingressBackend: IngressBackendFlag;
    maxHandshakesPerSource: number; raftTick: number; raftElectionTicks: number; raftHeartbeatTicks: number; raftSnapshotInterval: number; raftKeepEntries: number; raftMaxMessageSize: number;
  }>();
  if (flags.raftHeartbeatTicks >= flags.raftElectionTicks) program.error('shoald: --raft-heartbeat-ticks must be below --raft-election-ticks');
  const log = createLogger(flags.logLevel);
  const raft = {
    timing: { tickMs: flags.raftTick, electionTicks: flags.raftElectionTicks, heartbeatTicks: flags.raftHeartbeatTicks },
    snapshotInterval: flags.raftSnapshotInterval,
    keepTail: flags.raftKeepEntries,
    limits: { maxMessageBytes: flags.raftMaxMessageSize },
  };
  // Everything shoald creates (the Raft log with the CA key, certificates, state) is its own alone.
  process.umask(0o077);
  const fdLimit = openFileLimit();
  const connectionLimits = withHandshakesPerSource(fdLimit === undefined ? CONNECTION_LIMITS : connectionLimitsFor(fdLimit), flags.maxHandshakesPerSource);
  const daemon = new Daemon({ ...flags, log, raft, connectionLimits });
  try {
    const fixed = await restrictDataDir(flags.dataDir);
    if (fixed.length > 0) log.warn({ dataDir: flags.dataDir, paths: fixed.length }, 'removed group and other access from files under the data directory');
    await daemon.start();
  } catch (e) {
    process.stderr.write(`shoald: ${(e as Error).message}\n`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down; containers keep running');
    void daemon.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
