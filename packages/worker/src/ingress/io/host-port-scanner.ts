import { readdir, readFile, readlink } from 'node:fs/promises';
import type { HostPort, PortProtocol } from '@shoal/common';
import { hostPorts, parseProcNet, socketInode, type ListeningSocket, type SocketOwner } from '../host-listeners.js';

const TABLES: readonly { file: string; protocol: PortProtocol }[] = [
  { file: '/proc/net/tcp', protocol: 'tcp' },
  { file: '/proc/net/tcp6', protocol: 'tcp' },
  { file: '/proc/net/udp', protocol: 'udp' },
  { file: '/proc/net/udp6', protocol: 'udp' },
];

/** Sockets whose owner was looked for; older entries are dropped once their socket closes. */
const MAX_CACHED_OWNERS = 4096;

async function readOr(path: string, fallback: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return fallback;
  }
}

async function listOr(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch {
    return [];
  }
}

/**
 * The ports that processes of this host listen on, as `ss -ltnup` shows them: the listening
 * sockets of this network namespace (/proc/net is the reader's namespace, so containers' own
 * sockets are not seen), each named after the process holding it (found through
 * /proc/PID/fd, which needs root; a socket nobody could be found for is reported unnamed).
 * Owners are looked up only for sockets not seen before, so a steady host costs four small reads.
 */
export class HostPortScanner {
  private readonly owners = new Map<number, SocketOwner>();

  async scan(): Promise<HostPort[]> {
    const sockets: ListeningSocket[] = [];
    for (const t of TABLES) sockets.push(...parseProcNet(await readOr(t.file, ''), t.protocol));
    const unknown = new Set(sockets.map((s) => s.inode).filter((i) => !this.owners.has(i)));
    if (unknown.size > 0) await this.findOwners(unknown);
    this.forgetClosed(new Set(sockets.map((s) => s.inode)));
    return hostPorts(sockets, this.owners);
  }

  /** Walks /proc/PID/fd until every inode has an owner; inodes left over are remembered as unowned. */
  private async findOwners(inodes: Set<number>): Promise<void> {
    for (const entry of await listOr('/proc')) {
      if (inodes.size === 0) break;
      if (!/^\d+$/.test(entry)) continue;
      for (const fd of await listOr(`/proc/${entry}/fd`)) {
        const inode = socketInode(await readlink(`/proc/${entry}/fd/${fd}`).catch(() => ''));
        if (inode === undefined || !inodes.has(inode)) continue;
        const comm = (await readOr(`/proc/${entry}/comm`, '')).trim();
        this.owners.set(inode, { process: comm, pid: Number(entry) });
        inodes.delete(inode);
      }
    }
    for (const inode of inodes) this.owners.set(inode, { process: '', pid: 0 });
  }

  private forgetClosed(open: Set<number>): void {
    for (const inode of this.owners.keys()) if (!open.has(inode)) this.owners.delete(inode);
    while (this.owners.size > MAX_CACHED_OWNERS) this.owners.delete(this.owners.keys().next().value!);
  }
}
