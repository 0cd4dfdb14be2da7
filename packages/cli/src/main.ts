#!/usr/bin/env node
import { Command } from 'commander';
import { ShoalClient, resolveHost } from './io/client.js';
import { loadStack, loadStackConfig } from './io/load-stack.js';
import { waitForConvergence } from './io/wait-converge.js';
import type { Cli } from './context.js';
import { errorLine } from './render/error-line.js';
import { quietSink } from './io/output.js';
import { normalizeArgv } from './parse/argv.js';
import { registerNodeInspect } from './commands/node-inspect.js';
import { registerNodeLs } from './commands/node-ls.js';
import { registerNodePs } from './commands/node-ps.js';
import { registerNodeUpdate } from './commands/node-update.js';
import { registerServiceCreate } from './commands/service-create.js';
import { registerServiceInspect } from './commands/service-inspect.js';
import { registerServiceLs } from './commands/service-ls.js';
import { registerServicePs } from './commands/service-ps.js';
import { registerServiceRm } from './commands/service-rm.js';
import { registerServiceRollback } from './commands/service-rollback.js';
import { registerServiceScale } from './commands/service-scale.js';
import { registerServiceUpdate } from './commands/service-update.js';
import { registerStackConfig } from './commands/stack-config.js';
import { registerStackDeploy } from './commands/stack-deploy.js';
import { registerStackLs } from './commands/stack-ls.js';
import { registerStackPs } from './commands/stack-ps.js';
import { registerStackRm } from './commands/stack-rm.js';
import { registerStackServices } from './commands/stack-services.js';
import { registerSwarmInit } from './commands/swarm-init.js';
import { registerSwarmLeave } from './commands/swarm-leave.js';
import { registerSwarmJoin } from './commands/swarm-join.js';
import { registerSwarmJoinToken } from './commands/swarm-join-token.js';
import { registerSwarmUpdate } from './commands/swarm-update.js';
import { registerNodeRm } from './commands/node-rm.js';
import { cliVersion } from './io/cli-version.js';
import { registerNodePromoteDemote } from './commands/node-promote.js';
import { registerNetworkCreate } from './commands/network-create.js';
import { registerNetworkInspect } from './commands/network-inspect.js';
import { registerNetworkLs } from './commands/network-ls.js';
import { registerNetworkRm } from './commands/network-rm.js';

function buildProgram(cli: Cli): Command {
  const program = new Command('shoal')
    .description('A multi-node container orchestrator in the family of Docker Swarm mode')
    .version(`shoal version ${cliVersion()}`, '-v, --version', 'print version information and quit')
    .option('-H, --host <host>', 'daemon socket to connect to (default: $SHOAL_HOST or unix:///run/shoal/shoal.sock)')
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)');
  const group = (name: string, description: string) =>
    program.command(name).description(description).enablePositionalOptions();

  const swarm = group('swarm', 'Manage the swarm');
  registerSwarmInit(swarm, cli);
  registerSwarmJoin(swarm, cli);
  registerSwarmJoinToken(swarm, cli);
  registerSwarmLeave(swarm, cli);
  registerSwarmUpdate(swarm, cli);

  const node = group('node', 'Manage swarm nodes');
  [registerNodeLs, registerNodeInspect, registerNodePs, registerNodeUpdate, registerNodePromoteDemote, registerNodeRm].forEach((r) => r(node, cli));

  const service = group('service', 'Manage swarm services');
  [registerServiceCreate, registerServiceLs, registerServicePs, registerServiceInspect, registerServiceScale, registerServiceRm, registerServiceUpdate, registerServiceRollback].forEach((r) => r(service, cli));

  const network = group('network', 'Manage swarm networks');
  [registerNetworkCreate, registerNetworkLs, registerNetworkInspect, registerNetworkRm].forEach((r) => r(network, cli));

  const stack = group('stack', 'Manage swarm stacks');
  [registerStackDeploy, registerStackLs, registerStackServices, registerStackPs, registerStackRm, registerStackConfig].forEach((r) => r(stack, cli));
  return program;
}

async function main(): Promise<void> {
  let client: ShoalClient | undefined;
  // A reader that goes away (`shoal ... | head`) must not stop the command's work.
  const stdout = quietSink(process.stdout);
  const stderr = quietSink(process.stderr);
  const cli: Cli = {
    client: () => (client ??= new ShoalClient(resolveHost(program.opts<{ host?: string }>().host))),
    out: (line) => stdout.write(line),
    err: (line) => stderr.write(line),
    now: () => Date.now(),
    io: { loadStack, loadStackConfig, waitForConvergence },
  };
  const program = buildProgram(cli);
  try {
    await program.parseAsync(normalizeArgv(process.argv));
  } catch (e) {
    stderr.write(errorLine(e));
    if (process.env.SHOAL_DEBUG === '1' && e instanceof Error && e.stack) stderr.write(e.stack);
    process.exitCode = 1;
  } finally {
    client?.close();
  }
}

void main();
