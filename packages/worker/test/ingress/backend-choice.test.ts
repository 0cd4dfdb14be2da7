import { describe, expect, it } from 'vitest';
import { chooseBackend, parseBackendFlag, probeOrder } from '@shoal/worker';

const NO_IPVS = { ok: false as const, reason: 'Protocol not available' };

describe('choosing the ingress backend', () => {
  it('auto prefers ipvs, then nftables, then iptables, and says why it passed one over', () => {
    expect(probeOrder('auto')).toEqual(['ipvs', 'nftables', 'iptables']);
    expect(chooseBackend('auto', [['ipvs', { ok: true }]])).toEqual({ backend: 'ipvs', message: '' });
    expect(chooseBackend('auto', [['ipvs', NO_IPVS], ['nftables', { ok: true }]])).toEqual({ backend: 'nftables', message: 'ipvs unavailable (Protocol not available), using nftables' });
  });

  it('an explicit choice that does not work is one error line', () => {
    expect(probeOrder('ipvs')).toEqual(['ipvs']);
    expect(chooseBackend('ipvs', [['ipvs', NO_IPVS]])).toEqual({ error: '--ingress-backend ipvs: ipvs unavailable (Protocol not available)' });
    expect(chooseBackend('iptables', [['iptables', { ok: true }]])).toEqual({ backend: 'iptables', message: '' });
  });

  it('auto with nothing working still starts, and says the mesh will not answer', () => {
    const none = chooseBackend('auto', [['ipvs', NO_IPVS], ['nftables', { ok: false, reason: 'nft not found' }], ['iptables', { ok: false, reason: 'iptables-restore not found' }]]);
    expect(none).toEqual({
      backend: 'iptables',
      message: 'ipvs unavailable (Protocol not available); nftables unavailable (nft not found); iptables unavailable (iptables-restore not found): published ports will not answer on this node',
    });
  });

  it('takes only the four flag values', () => {
    expect(['auto', 'nftables', 'iptables', 'ipvs', 'IPVS', 'pf'].map(parseBackendFlag)).toEqual(['auto', 'nftables', 'iptables', 'ipvs', undefined, undefined]);
  });
});
