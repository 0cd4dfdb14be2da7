import { MAX_HOST_PORTS, MAX_HOST_PROCESS_NAME, type HostPort, type PortProtocol } from '@shoal/common';

/** A listening socket of the host, from /proc/net/{tcp,tcp6,udp,udp6}. */
export interface ListeningSocket {
  port: number;
  protocol: PortProtocol;
  inode: number;
}

/** Who holds a socket: /proc/PID/comm and PID; empty and 0 when no process could be found. */
export interface SocketOwner {
  process: string;
  pid: number;
}

const TCP_LISTEN = '0A';
/** An unconnected UDP socket (TCP_CLOSE in the kernel's table) with no remote end: it receives on its port. */
const UDP_UNCONNECTED = '07';

/**
 * The listening sockets in one /proc/net table (`protocol` says which): TCP sockets in LISTEN,
 * UDP sockets bound but not connected. Lines that do not parse are skipped.
 */
export function parseProcNet(text: string, protocol: PortProtocol): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const [local, remote, state, inodeText] = [f[1]!, f[2]!, f[3]!, f[9]!];
    const listening = protocol === 'tcp' ? state === TCP_LISTEN : state === UDP_UNCONNECTED && remote.endsWith(':0000');
    if (!listening) continue;
    const port = parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
    const inode = Number(inodeText);
    if (port > 0 && port <= 65_535 && Number.isInteger(inode)) out.push({ port, protocol, inode });
  }
  return out;
}

/** The inode of a `/proc/PID/fd/N -> socket:[INODE]` link, if the link is a socket. */
export function socketInode(link: string): number | undefined {
  const m = /^socket:\[(\d+)\]$/.exec(link);
  return m ? Number(m[1]) : undefined;
}

/**
 * What the agent reports: one entry per protocol and port (IPv4 and IPv6 sockets of one server
 * are one port), with the owner of the first socket that has one, in port order, at most
 * MAX_HOST_PORTS.
 */
export function hostPorts(sockets: readonly ListeningSocket[], owners: ReadonlyMap<number, SocketOwner>): HostPort[] {
  const byKey = new Map<string, HostPort>();
  for (const s of sockets) {
    const owner = owners.get(s.inode) ?? { process: '', pid: 0 };
    const key = `${s.protocol}/${s.port}`;
    const known = byKey.get(key);
    if (known && known.pid > 0) continue;
    byKey.set(key, { port: s.port, protocol: s.protocol, process: owner.process.slice(0, MAX_HOST_PROCESS_NAME), pid: owner.pid });
  }
  return [...byKey.values()].sort((a, b) => a.port - b.port || (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0)).slice(0, MAX_HOST_PORTS);
}
