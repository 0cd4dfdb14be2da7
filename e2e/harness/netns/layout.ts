/**
 * Where the netns provider puts things: one bridge and subnet on this machine, and per host a
 * namespace, a veth, an address and its own directories. Every name carries `shoal-e2e` so that
 * leftovers of an earlier run can be found and removed (leftovers.ts).
 */

/** The test bridge on this machine; it holds the gateway address of the subnet. */
export const BRIDGE = 'shoalbr0';
/** The first three octets of the test subnet (a /24). */
export const SUBNET_PREFIX = '10.99.0';
export const SUBNET = `${SUBNET_PREFIX}.0/24`;
export const GATEWAY = `${SUBNET_PREFIX}.1`;
/** Host N gets `${SUBNET_PREFIX}.${HOST_OFFSET + N}`. */
const HOST_OFFSET = 10;
export const MAX_HOSTS = 200;

/** The port shoald listens on for node-to-node calls. */
export const SHOALD_PORT = 4242;

/** Roots shared by all hosts; only `h<N>` entries below them belong to this provider. */
export const RUN_ROOT = '/run/shoal-e2e';
export const DATA_ROOT = '/var/lib/shoal-e2e';
/** Logs stay here after a run (the single-node e2e also lives below it, in its own folder). */
export const LOG_ROOT = '/tmp/shoal-e2e';
export const NETNS_DIR = '/var/run/netns';

/** Names of the namespaces this provider creates (`shoal-e2e-h1`, ...); other `shoal-e2e-*` are not ours. */
export const NAMESPACE_PATTERN = /^shoal-e2e-h\d+$/;
/** Names of the host-side veth ends. */
export const VETH_PATTERN = /^shoalv-h\d+$/;
/** Folder names below RUN_ROOT, DATA_ROOT and LOG_ROOT that belong to this provider. */
export const HOST_DIR_PATTERN = /^h\d+$/;

export interface HostLayout {
  /** 1-based index of the host. */
  readonly index: number;
  /** `h1`, `h2`, ...: the host's node name and folder name. */
  readonly name: string;
  readonly namespace: string;
  /** The namespace's path, for `nsenter --net=`. */
  readonly netnsPath: string;
  /** The veth end on this machine's side, enslaved to the bridge; `cut()` sets it down. */
  readonly veth: string;
  /** The veth end inside the namespace. */
  readonly innerIf: string;
  readonly addr: string;
  readonly runDir: string;
  readonly dataDir: string;
  readonly logDir: string;
  readonly docker: DockerdLayout;
  readonly shoald: ShoaldLayout;
}

export interface DockerdLayout {
  readonly configFile: string;
  readonly dataRoot: string;
  readonly execRoot: string;
  readonly pidFile: string;
  readonly socket: string;
  /** `unix://...`, for `docker -H` and shoald's `--docker-host`. */
  readonly url: string;
  readonly logFile: string;
  /** containerd namespace, in case dockerd uses a containerd shared with other engines. */
  readonly containerdNamespace: string;
}

export interface ShoaldLayout {
  readonly dataDir: string;
  readonly socket: string;
  readonly url: string;
  readonly pidFile: string;
  readonly logFile: string;
  readonly listenAddr: string;
}

export function hostLayout(index: number): HostLayout {
  if (!Number.isInteger(index) || index < 1 || index > MAX_HOSTS) throw new Error(`host index must be 1..${MAX_HOSTS}, got ${index}`);
  const name = `h${index}`;
  const namespace = `shoal-e2e-${name}`;
  const addr = `${SUBNET_PREFIX}.${HOST_OFFSET + index}`;
  const runDir = `${RUN_ROOT}/${name}`;
  const dataDir = `${DATA_ROOT}/${name}`;
  const logDir = `${LOG_ROOT}/${name}`;
  return {
    index,
    name,
    namespace,
    netnsPath: `${NETNS_DIR}/${namespace}`,
    veth: `shoalv-${name}`,
    innerIf: 'eth0',
    addr,
    runDir,
    dataDir,
    logDir,
    docker: {
      configFile: `${runDir}/daemon.json`,
      dataRoot: `${dataDir}/docker`,
      execRoot: `${runDir}/exec`,
      pidFile: `${runDir}/docker.pid`,
      socket: `${runDir}/docker.sock`,
      url: `unix://${runDir}/docker.sock`,
      logFile: `${logDir}/dockerd.log`,
      containerdNamespace: namespace,
    },
    shoald: {
      dataDir: `${dataDir}/shoal`,
      socket: `${runDir}/shoal.sock`,
      url: `unix://${runDir}/shoal.sock`,
      pidFile: `${runDir}/shoald.pid`,
      logFile: `${logDir}/shoald.log`,
      listenAddr: `${addr}:${SHOALD_PORT}`,
    },
  };
}
