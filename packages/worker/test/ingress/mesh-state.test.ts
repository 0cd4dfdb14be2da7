import { describe, expect, it } from 'vitest';
import { changedPortKeys, departedBackends, meshConntrackDeleteArgs, meshState, sameFrame } from '@shoal/worker';
import { BRIDGE, entry, table } from './fixtures.js';

describe('meshState', () => {
  it('is off without an ingress network: no rules at all', () => {
    expect(meshState(table([entry(8080, ['10.0.0.5'])], null), 'preserved').state).toBeUndefined();
  });

  it('keeps ports with backends, in key order, and leaves out ports without one', () => {
    const { state, rejected } = meshState(table([entry(9000, ['10.0.0.5']), entry(8080, []), entry(53, ['10.0.0.6', '10.0.0.6'], 'udp')]), 'snat');
    expect(rejected).toEqual([]);
    expect(state?.bridge).toBe(BRIDGE);
    expect(state?.mode).toBe('snat');
    expect([...state!.ports.keys()]).toEqual(['tcp/9000', 'udp/53']);
    expect(state!.ports.get('udp/53')!.backends).toEqual([{ ip: '10.0.0.6', port: 80 }]);
  });

  it('refuses what must not reach a rule, naming it', () => {
    const bad = [entry(0, ['10.0.0.5']), entry(8080, ['10.0.0.5; reboot']), entry(8081, ['10.0.0.5']), entry(8081, ['10.0.0.6'])];
    const { state, rejected } = meshState(table(bad), 'preserved');
    expect(rejected).toEqual(['port tcp/0: not a tcp/udp port', 'port tcp/8080: bad backend 10.0.0.5; reboot:80', 'port tcp/8081: listed twice']);
    expect([...state!.ports.keys()]).toEqual(['tcp/8081']);
    expect(meshState(table([], { ...table([]).network!, nodeAddress: 'x' }), 'preserved').state).toBeUndefined();
  });
});

describe('changes between two states', () => {
  const before = meshState(table([entry(8080, ['10.0.0.5', '10.0.0.6']), entry(9000, ['10.0.0.7']), entry(53, ['10.0.0.8'], 'udp')]), 'preserved').state;
  const after = meshState(table([entry(8080, ['10.0.0.6']), entry(9000, ['10.0.0.7']), entry(9001, ['10.0.0.9'])]), 'preserved').state;

  it('names only the ports added, removed or changed', () => {
    expect(changedPortKeys(before, after)).toEqual(['tcp/8080', 'tcp/9001', 'udp/53']);
    expect(changedPortKeys(after, after)).toEqual([]);
    expect(sameFrame(before, after)).toBe(true);
    expect(sameFrame(before, meshState(table([]), 'snat').state)).toBe(false);
  });

  it('lists the backends that left, for conntrack', () => {
    const gone = departedBackends(before, after);
    expect(gone).toEqual([
      { protocol: 'tcp', publishedPort: 8080, ip: '10.0.0.5', port: 80 },
      { protocol: 'udp', publishedPort: 53, ip: '10.0.0.8', port: 80 },
    ]);
    expect(meshConntrackDeleteArgs(gone[1]!)).toEqual(['-D', '-p', 'udp', '--orig-port-dst', '53', '--reply-src', '10.0.0.8', '--reply-port-src', '80']);
  });
});
