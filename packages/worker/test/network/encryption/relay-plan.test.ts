import type { NetworkTable, NodeNetwork } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { cryptRules } from '../../../src/network/encryption/crypt-rules.js';
import {
  BLACKHOLE_PORT,
  DEFAULT_VXLAN_PORT,
  ENCRYPTED_VXLAN_PORT,
  MAX_PEERS,
  PEER_PORT_BASE,
  assignPeerPorts,
  encryptionRefusal,
  overlayHooks,
  planRelay,
} from '../../../src/network/encryption/relay-plan.js';

const SELF = '10.99.0.11';
const KEY = Buffer.alloc(32, 7).toString('base64');

function network(over: Partial<NodeNetwork>): NodeNetwork {
  return {
    id: 'n1',
    name: 'app_secret',
    allocation: { subnet: '10.0.1.0/24', gateway: '10.0.1.1', vxlanId: 4097 },
    internal: false,
    attachable: false,
    driverOpts: { encrypted: '' },
    services: [],
    endpoints: [
      { taskId: 't1', serviceId: 's', address: '10.0.1.3', nodeId: 'a', nodeAddr: SELF, serving: true },
      { taskId: 't2', serviceId: 's', address: '10.0.1.4', nodeId: 'b', nodeAddr: '10.99.0.12', serving: true },
      { taskId: 't3', serviceId: 's', address: '10.0.1.5', nodeId: 'c', nodeAddr: '10.99.0.13', serving: false },
    ],
    keys: [{ id: 1, keyB64: KEY, createdAt: 0, sendFrom: 0, notAfter: 1e12 }],
    ...over,
  };
}

describe('planRelay', () => {
  it('takes the encrypted networks, their keys and the other nodes as peers', () => {
    const table: NetworkTable = { networks: [network({}), network({ id: 'n2', driverOpts: {}, endpoints: [] })] };
    const plan = planRelay(table, SELF, new Map());
    expect(plan.networks).toHaveLength(1);
    expect(plan.networks[0]!.vni).toBe(4097);
    expect([...plan.networks[0]!.peers]).toEqual(['10.99.0.12', '10.99.0.13']);
    expect(plan.networks[0]!.keys[0]!.key).toEqual(new Uint8Array(32).fill(7));
    expect(plan.ports).toEqual(new Map([['10.99.0.12', PEER_PORT_BASE], ['10.99.0.13', PEER_PORT_BASE + 1]]));
    expect(plan.badKeys).toEqual([]);
    expect(plan.devices).toEqual(['shv-n1']);
  });

  it('skips a malformed key by name and id, never printing it', () => {
    const plan = planRelay({ networks: [network({ keys: [{ id: 3, keyB64: 'c2hvcnQ=', createdAt: 0, sendFrom: 0, notAfter: 0 }] })] }, SELF, new Map());
    expect(plan.badKeys).toEqual(['app_secret#3']);
    expect(plan.networks[0]!.keys).toEqual([]);
  });
});

describe('assignPeerPorts', () => {
  it('keeps the ports peers have and gives new ones the lowest free port', () => {
    const prev = new Map([['b', PEER_PORT_BASE + 1]]);
    const { ports } = assignPeerPorts(prev, ['a', 'b', 'c']);
    expect(ports).toEqual(new Map([['b', PEER_PORT_BASE + 1], ['a', PEER_PORT_BASE], ['c', PEER_PORT_BASE + 2]]));
  });

  it('beyond MAX_PEERS the rest overflow (and get the black-hole port from the hooks)', () => {
    const peers = Array.from({ length: MAX_PEERS + 2 }, (_, i) => `10.1.${i >> 8}.${i & 255}`);
    const { ports, overflow } = assignPeerPorts(new Map(), peers);
    expect(ports.size).toBe(MAX_PEERS);
    expect(overflow).toHaveLength(2);
    expect(Math.max(...ports.values())).toBe(BLACKHOLE_PORT - 1);
    expect(overlayHooks(ports).peerUnderlay({ driverOpts: { encrypted: '' } }, overflow[0]!)).toEqual({ dst: overflow[0], port: BLACKHOLE_PORT });
  });
});

describe('overlayHooks', () => {
  it('plain networks keep 4789 and 50 bytes; encrypted ones go through the relay port, 47899 and 90 bytes', () => {
    const hooks = overlayHooks(new Map([['10.99.0.12', PEER_PORT_BASE]]));
    expect(hooks.peerUnderlay({ driverOpts: {} }, '10.99.0.12')).toEqual({ dst: '10.99.0.12', port: DEFAULT_VXLAN_PORT });
    expect(hooks.peerUnderlay({ driverOpts: { encrypted: 'true' } }, '10.99.0.12')).toEqual({ dst: '10.99.0.12', port: PEER_PORT_BASE });
    expect(hooks.vxlanPort({ driverOpts: { encrypted: '' } })).toBe(ENCRYPTED_VXLAN_PORT);
    expect(hooks.overheadBytes({ driverOpts: {} })).toBe(50);
    expect(hooks.overheadBytes({ driverOpts: { encrypted: '' } })).toBe(90);
    expect(hooks.deviceSetup({ driverOpts: {} }, 'shv-x')).toEqual([]);
    expect(hooks.deviceSetup({ driverOpts: { encrypted: '' } }, 'shv-x')).toEqual([['ethtool', '-K', 'shv-x', 'tx', 'off']]);
  });
});

describe('encryptionRefusal', () => {
  const nets: { name: string; driverOpts: Record<string, string> }[] = [
    { name: 'plain', driverOpts: {} },
    { name: 'secret', driverOpts: { encrypted: '' } },
  ];
  it('names the encrypted network and the reason when the node cannot encrypt', () => {
    expect(encryptionRefusal(nets, 'no relay')).toBe('network secret is encrypted and this node cannot encrypt: no relay');
    expect(encryptionRefusal(nets, null)).toBeNull();
    expect(encryptionRefusal([nets[0]!], 'no relay')).toBeNull();
  });
});

describe('cryptRules', () => {
  it('redirects and guards the whole peer range, and closes the encrypted VXLAN port to all but lo', () => {
    const [redirect, guard, input] = cryptRules();
    expect(redirect!.rule.join(' ')).toContain(`--dport ${PEER_PORT_BASE}:${BLACKHOLE_PORT}`);
    expect(redirect!.rule.at(-1)).toBe('REDIRECT');
    expect(guard!.rule.slice(0, -1)).toEqual(redirect!.rule.slice(0, -1));
    expect(guard).toMatchObject({ table: 'filter', chain: 'OUTPUT' });
    expect(input!.rule.join(' ')).toBe(`-p udp --dport ${ENCRYPTED_VXLAN_PORT} ! -i lo -m comment --comment shoal-crypt -j DROP`);
  });
});
