import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { runCommand, type CommandRunner } from '@shoal/worker';

/**
 * One netns "node" for the ingress backend tests, without Docker: namespace `i11b-h` holds the
 * ingress bridge (`shb-<id10>`, gateway + the node's own address) with two backend namespaces on
 * it, and a client namespace on a veth of its own (its traffic crosses FORWARD, whose policy is
 * DROP as Docker sets it). Backends answer HTTP and UDP with "<name> <client address>".
 */
export const NET = { id: 'i11btest01abcdef', subnet: '10.0.9.0/24', gateway: '10.0.9.1', nodeAddress: '10.0.9.2' };
export const BRIDGE = 'shb-i11btest01';
export const HOST = 'i11b-h';
export const CLIENT = 'i11b-c';
export const CLIENT_ADDR = '10.231.9.2';
export const NODE_ADDR = '10.231.9.1';
export const BACKENDS = [
  { name: 'b1', ns: 'i11b-b1', ip: '10.0.9.11' },
  { name: 'b2', ns: 'i11b-b2', ip: '10.0.9.12' },
];
const ALL = [HOST, CLIENT, ...BACKENDS.map((b) => b.ns)];

export const sh = (cmd: string, ...args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
export const inNs = (ns: string, cmd: string, ...args: string[]): string => sh('ip', 'netns', 'exec', ns, cmd, ...args);
export const nsPath = (ns: string): string => `/run/netns/${ns}`;
/** Host tools run in the node's namespace: what the backends get instead of runCommand. */
export const hostRunner: CommandRunner = (cmd, args, input) => runCommand('nsenter', [`--net=${nsPath(HOST)}`, cmd, ...args], input);

const HTTP = `require('http').createServer((q,s)=>s.end(process.argv[1]+' '+q.socket.remoteAddress.replace('::ffff:',''))).listen(80,()=>console.log('ready'));`;

function startHttp(ns: string, name: string): Promise<ChildProcess> {
  const child = spawn('nsenter', [`--net=${nsPath(ns)}`, process.execPath, '-e', HTTP, name], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`http server in ${ns} exited (${code})`)));
  });
}

export function destroyHosts(): void {
  for (const ns of ALL) {
    try {
      sh('ip', 'netns', 'del', ns);
    } catch {
      /* not there */
    }
  }
}

export async function createHosts(startUdp: (nsPath: string, name: string, port: number) => Promise<ChildProcess>): Promise<ChildProcess[]> {
  destroyHosts();
  for (const ns of ALL) {
    sh('ip', 'netns', 'add', ns);
    inNs(ns, 'ip', 'link', 'set', 'lo', 'up');
  }
  inNs(HOST, 'ip', 'link', 'add', BRIDGE, 'type', 'bridge');
  inNs(HOST, 'ip', 'addr', 'add', `${NET.gateway}/24`, 'dev', BRIDGE);
  inNs(HOST, 'ip', 'addr', 'add', `${NET.nodeAddress}/24`, 'dev', BRIDGE);
  inNs(HOST, 'ip', 'link', 'set', BRIDGE, 'up');
  for (const b of BACKENDS) {
    inNs(HOST, 'ip', 'link', 'add', `v${b.name}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', b.ns);
    inNs(HOST, 'ip', 'link', 'set', `v${b.name}`, 'master', BRIDGE, 'up');
    inNs(b.ns, 'ip', 'addr', 'add', `${b.ip}/24`, 'dev', 'eth0');
    inNs(b.ns, 'ip', 'link', 'set', 'eth0', 'up');
    inNs(b.ns, 'ip', 'route', 'add', 'default', 'via', NET.gateway);
  }
  inNs(HOST, 'ip', 'link', 'add', 'vclient', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', CLIENT);
  inNs(HOST, 'ip', 'addr', 'add', `${NODE_ADDR}/24`, 'dev', 'vclient');
  inNs(HOST, 'ip', 'link', 'set', 'vclient', 'up');
  inNs(CLIENT, 'ip', 'addr', 'add', `${CLIENT_ADDR}/24`, 'dev', 'eth0');
  inNs(CLIENT, 'ip', 'link', 'set', 'eth0', 'up');
  inNs(HOST, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1');
  inNs(HOST, 'iptables', '-P', 'FORWARD', 'DROP');
  const servers: ChildProcess[] = [];
  for (const b of BACKENDS) {
    servers.push(await startHttp(b.ns, b.name));
    servers.push(await startUdp(nsPath(b.ns), b.name, 80));
  }
  return servers;
}

/** One HTTP request from `ns` (a fresh connection): the body, or `curl exit N` (7: refused, 28: timed out). */
export function get(ns: string, host: string, port: number): string {
  try {
    return inNs(ns, 'curl', '-s', '--max-time', '5', `http://${host}:${port}/`);
  } catch (e) {
    return `curl exit ${(e as { status?: number }).status ?? '?'}`;
  }
}
