import { describe, expect, it } from 'vitest';
import { hostPorts, parseProcNet, socketInode } from '../../src/ingress/host-listeners.js';

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const TCP =
  HEADER +
  '   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1120 1 0000000028c83d4d 100 0 0 10 0\n' +
  '   1: 0100007F:8A67 0100007F:D896 01 00000000:00000000 03:0000095D 00000000     0        0 5555 3 00000000d63256ae\n' +
  '   2: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2222 1 0000000028c83d4d 100 0 0 10 0\n' +
  'garbage\n';
const TCP6 = HEADER + '   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1121 1 0\n';
const UDP =
  HEADER +
  '  100: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 3333 2 0 0\n' +
  '  101: 0A00000B:A1B2 0A000001:0035 01 00000000:00000000 00:00000000 00000000     0        0 4444 2 0 0\n';

describe('host listeners from /proc/net', () => {
  it('finds TCP sockets in LISTEN and unconnected UDP sockets, on any address', () => {
    expect(parseProcNet(TCP, 'tcp')).toEqual([
      { port: 8080, protocol: 'tcp', inode: 1120 },
      { port: 22, protocol: 'tcp', inode: 2222 },
    ]);
    expect(parseProcNet(TCP6, 'tcp')).toEqual([{ port: 8080, protocol: 'tcp', inode: 1121 }]);
    expect(parseProcNet(UDP, 'udp')).toEqual([{ port: 53, protocol: 'udp', inode: 3333 }]);
    expect(parseProcNet('', 'tcp')).toEqual([]);
  });

  it('reads socket links', () => {
    expect(socketInode('socket:[1120]')).toBe(1120);
    expect(socketInode('/dev/null')).toBeUndefined();
    expect(socketInode('anon_inode:[eventfd]')).toBeUndefined();
  });

  it('reports one entry per protocol and port, named when an owner is known', () => {
    const sockets = [...parseProcNet(TCP, 'tcp'), ...parseProcNet(TCP6, 'tcp'), ...parseProcNet(UDP, 'udp')];
    const owners = new Map([
      [1121, { process: 'nginx', pid: 77 }],
      [2222, { process: 'sshd', pid: 12 }],
    ]);
    expect(hostPorts(sockets, owners)).toEqual([
      { port: 22, protocol: 'tcp', process: 'sshd', pid: 12 },
      { port: 53, protocol: 'udp', process: '', pid: 0 },
      { port: 8080, protocol: 'tcp', process: 'nginx', pid: 77 },
    ]);
  });
});
