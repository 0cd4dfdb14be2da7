import { join } from 'node:path';
import { check, run, type RunResult } from '../exec.js';
import type { Cluster, ClusterHost, ClusterOptions } from '../cluster.js';

/**
 * The Vagrant provider: the VMs of e2e/vagrant/Vagrantfile (m1 m2 m3 managers, w1 w2 workers,
 * already `vagrant up`), driven over `vagrant ssh`. Host n of a scenario is the n-th VM. The
 * cluster network is the VMs' private interface (eth1); ssh goes over the NAT interface, so a
 * cut host stays controllable.
 */
const VAGRANT_DIR = join(new URL('../../vagrant', import.meta.url).pathname);
const VMS = [
  { name: 'm1', addr: '192.168.56.11' },
  { name: 'm2', addr: '192.168.56.12' },
  { name: 'm3', addr: '192.168.56.13' },
  { name: 'w1', addr: '192.168.56.21' },
  { name: 'w2', addr: '192.168.56.22' },
];
const PRIVATE_IFACE = process.env.SHOAL_VAGRANT_IFACE ?? 'eth1';

const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;

function ssh(vm: string, command: string, timeoutMs = 120_000): Promise<RunResult> {
  return run('vagrant', ['ssh', vm, '-c', command], { cwd: VAGRANT_DIR, timeoutMs });
}

class VagrantHost implements ClusterHost {
  constructor(
    readonly name: string,
    readonly addr: string,
  ) {}

  shoal(...args: string[]): Promise<RunResult> {
    return ssh(this.name, `sudo shoal ${args.map(quote).join(' ')}`);
  }

  async docker(...args: string[]): Promise<string> {
    const r = await ssh(this.name, `sudo docker ${args.map(quote).join(' ')}`);
    if (r.code !== 0) throw new Error(`docker ${args.join(' ')} on ${this.name}: ${r.stderr.trim()}`);
    return r.stdout;
  }

  async startShoald(): Promise<void> {
    await ssh(this.name, 'sudo systemctl start shoald');
  }

  async signalShoald(signal: NodeJS.Signals): Promise<void> {
    await ssh(this.name, `sudo systemctl kill --kill-who=main -s ${signal} shoald`);
  }

  async killShoald(signal: NodeJS.Signals): Promise<void> {
    await ssh(this.name, `sudo systemctl kill --kill-who=main -s ${signal} shoald`);
  }

  exec(cmd: string, args: string[]): Promise<RunResult> {
    return ssh(this.name, `sudo ${[cmd, ...args].map(quote).join(' ')}`);
  }

  curl(port: number): Promise<string> {
    return this.curlAt(this.addr, port);
  }

  async curlAt(addr: string, port: number, path = '/'): Promise<string> {
    const r = await ssh(this.name, `curl -sS --max-time 3 http://${addr}:${port}${path}`);
    if (r.code !== 0) throw new Error(`curl ${addr}:${port} from ${this.name}: ${r.stderr.trim()}`);
    return r.stdout;
  }

  readonly root = '/shoal';

  async shoaldLog(): Promise<string> {
    return (await ssh(this.name, 'sudo journalctl -u shoald -o cat --no-pager')).stdout;
  }

  async cut(): Promise<void> {
    await ssh(this.name, `sudo ip link set ${PRIVATE_IFACE} down`);
  }

  async heal(): Promise<void> {
    await ssh(this.name, `sudo ip link set ${PRIVATE_IFACE} up`);
  }
}

export async function createVagrantCluster(o: ClusterOptions): Promise<Cluster<ClusterHost>> {
  if (o.hosts > VMS.length) throw new Error(`the Vagrantfile has ${VMS.length} VMs; ${o.name} wants ${o.hosts}`);
  await check('vagrant', ['status'], { cwd: VAGRANT_DIR });
  const hosts = VMS.slice(0, o.hosts).map((vm) => new VagrantHost(vm.name, vm.addr));
  for (const h of hosts) await ssh(h.name, 'sudo shoal swarm leave --force >/dev/null 2>&1; sudo systemctl restart shoald');
  return {
    name: o.name,
    hosts,
    host: (n) => hosts[n - 1]!,
    destroy: async () => {
      for (const h of hosts) {
        await h.heal();
        await ssh(h.name, 'sudo shoal swarm leave --force >/dev/null 2>&1 || true');
      }
    },
  };
}
