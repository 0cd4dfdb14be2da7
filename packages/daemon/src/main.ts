#!/usr/bin/env node
import { hostname } from 'node:os';
import { Command } from 'commander';
import { Daemon } from './daemon.js';
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
  .option('--log-level <level>', 'trace, debug, info, warn, error', 'info');

async function main(): Promise<void> {
  program.parse();
  const flags = program.opts<{ dataDir: string; socket: string; hostname: string; listenAddr: string; advertiseAddr: string; dockerHost: string; logLevel: string }>();
  const log = createLogger(flags.logLevel);
  const daemon = new Daemon({ ...flags, log });
  try {
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
