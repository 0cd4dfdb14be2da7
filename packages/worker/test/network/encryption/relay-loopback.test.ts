import { createSocket } from 'node:dgram';
import type { NetworkTable } from '@shoal/common';
import { afterEach, describe, expect, it } from 'vitest';
import { EncryptedOverlayRelay, type RelayHost } from '../../../src/network/encryption/io/relay.js';
import { BLACKHOLE_PORT, ENCRYPTED_VXLAN_PORT } from '../../../src/network/encryption/relay-plan.js';

/**
 * The relay's sockets on loopback, without netfilter (the host calls are stubbed): 127.0.0.2 and
 * 127.0.0.3 stand for two nodes. No root needed; binds ports 47900+ and 4800 on those addresses.
 */
const host: RelayHost = { ensureRules: async () => null, removeRules: async () => {}, ethtoolMissing: async () => null, ensureOffloadOff: async () => {} };
const relays: EncryptedOverlayRelay[] = [];
const keyB64 = Buffer.alloc(32, 5).toString('base64');

function table(...addrs: string[]): NetworkTable {
  return {
    networks: [
      {
        id: 'net1234567890',
        name: 'secret',
        allocation: { subnet: '10.0.9.0/24', gateway: '10.0.9.1', vxlanId: 77 },
        internal: false,
        attachable: false,
        driverOpts: { encrypted: '' },
        services: [],
        endpoints: addrs.map((a, i) => ({ taskId: `t${i}`, serviceId: 's', address: `10.0.9.${i + 2}`, nodeId: a, nodeAddr: a, serving: true })),
        keys: [{ id: 1, keyB64, createdAt: 0, sendFrom: 0, notAfter: 8.64e15 }],
      },
    ],
  };
}

function relay(selfAddr: string): EncryptedOverlayRelay {
  const r = new EncryptedOverlayRelay({ selfAddr, host });
  relays.push(r);
  return r;
}

afterEach(() => {
  for (const r of relays.splice(0)) r.stop();
});

describe('EncryptedOverlayRelay on loopback', () => {
  it('tables applied at once give each peer one port (no self-inflicted EADDRINUSE)', async () => {
    const a = relay('127.0.0.2');
    const t = table('127.0.0.2', '127.0.0.3');
    await Promise.all([a.apply(t), a.apply(t), a.apply(t)]);
    const { port } = a.hooks().peerUnderlay({ driverOpts: { encrypted: '' } }, '127.0.0.3');
    expect(port).not.toBe(BLACKHOLE_PORT);
    expect(a.snapshot().peers).toBe(1);
  });

  it('a VXLAN datagram handed to the peer port arrives opened at the peer\'s kernel port; the wire carries it sealed', async () => {
    const a = relay('127.0.0.2');
    const b = relay('127.0.0.3');
    await a.apply(table('127.0.0.2', '127.0.0.3'));
    await b.apply(table('127.0.0.2', '127.0.0.3'));
    // Stand in for b's kernel VXLAN socket (127.0.0.1:47899 must be free on this machine).
    const kernelB = createSocket('udp4');
    const got = new Promise<Buffer>((resolve) => kernelB.once('message', (m) => resolve(m)));
    await new Promise<void>((r) => kernelB.bind(ENCRYPTED_VXLAN_PORT, '127.0.0.1', () => r()));
    const vxlan = Buffer.concat([Buffer.from([0x08, 0, 0, 0, 0, 0, 77, 0]), Buffer.from('inner frame MARKER')]);
    const { port } = a.hooks().peerUnderlay({ driverOpts: { encrypted: '' } }, '127.0.0.3');
    const kernelA = createSocket('udp4');
    kernelA.send(vxlan, port, '127.0.0.1');
    try {
      expect(await got).toEqual(vxlan);
      expect(a.snapshot()).toMatchObject({ sealed: 1, dropped: {} });
      expect(b.snapshot()).toMatchObject({ opened: 1, dropped: {} });
    } finally {
      kernelA.close();
      kernelB.close();
    }
  });
});
