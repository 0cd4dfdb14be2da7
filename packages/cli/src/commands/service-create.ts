import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { collect } from '../parse/key-value.js';
import { buildServiceSpec, type CreateOptions } from '../service/build-spec.js';
import { converge, DEFAULT_TIMEOUT } from './wait.js';

export function registerServiceCreate(service: Command, cli: Cli): void {
  service
    .command('create')
    .description('Create a new service')
    .argument('<image>', 'image to run')
    .argument('[command...]', 'command and arguments (replace the image\'s CMD)')
    .passThroughOptions()
    .option('--name <name>', 'service name (required)')
    .option('--replicas <n>', 'number of tasks (replicated mode; default 1)')
    .option('--mode <mode>', 'service mode ("replicated" or "global")', 'replicated')
    .option('-p, --publish <port>', 'publish a port: PUBLISHED:TARGET[/PROTOCOL] or mode=host,published=..,target=..; repeatable', collect)
    .option('--constraint <expr>', 'placement constraint, e.g. node.role==manager; repeatable', collect)
    .option('--placement-pref <pref>', 'placement preference, e.g. spread=node.labels.zone; repeatable', collect)
    .option('-e, --env <var>', 'set an environment variable (K=V); repeatable', collect)
    .option('-l, --label <label>', 'service label (K=V); repeatable', collect)
    .option('--container-label <label>', 'container label (K=V); repeatable', collect)
    .option('--restart-condition <c>', 'restart when condition is met ("none", "on-failure", "any")')
    .option('--restart-delay <d>', 'delay between restart attempts (e.g. 5s)')
    .option('--restart-max-attempts <n>', 'maximum number of restarts before giving up (0 = unlimited)')
    .option('--restart-window <d>', 'window used to evaluate the restart policy')
    .option('--limit-cpu <cpus>', 'limit CPUs')
    .option('--limit-memory <bytes>', 'limit memory (e.g. 512m)')
    .option('--reserve-cpu <cpus>', 'reserve CPUs')
    .option('--reserve-memory <bytes>', 'reserve memory')
    .option('--mount <mount>', 'attach a mount: type=bind|volume|tmpfs,source=..,target=..[,readonly]; repeatable', collect)
    .option('--network <network>', 'attach to a network: NAME or name=NAME,alias=ALIAS; repeatable', collect)
    .option('--endpoint-mode <mode>', 'endpoint mode ("vip" or "dnsrr")')
    .option('-w, --workdir <dir>', 'working directory inside the container')
    .option('-u, --user <user>', 'username or UID (format: <name|uid>[:<group|gid>])')
    .option('--hostname <name>', 'container hostname')
    .option('--entrypoint <cmd>', 'overwrite the default ENTRYPOINT of the image')
    .option('--stop-grace-period <d>', 'time to wait before force killing a container (e.g. 10s)')
    .option('--stop-signal <signal>', 'signal to stop the container')
    .option('--health-cmd <cmd>', 'command to run to check health (run by the shell)')
    .option('--health-interval <d>', 'time between running the check (e.g. 30s)')
    .option('--health-timeout <d>', 'maximum time to allow one check to run')
    .option('--health-retries <n>', 'consecutive failures needed to report unhealthy')
    .option('--health-start-period <d>', 'start period for the container to initialize before failures count')
    .option('--no-healthcheck', 'disable any container-specified HEALTHCHECK')
    .option('-d, --detach', 'exit immediately instead of waiting for the service to converge')
    .option('--timeout <d>', 'how long to wait for convergence', DEFAULT_TIMEOUT)
    .action(async (image: string, args: string[], opts: CreateOptions & { detach?: boolean; timeout: string }) => {
      const spec = buildServiceSpec(opts, image, args);
      const since = cli.now();
      const created = await cli.client().createService(spec);
      cli.out(created.id);
      await converge(cli, [created.id], opts, since);
    });
}
