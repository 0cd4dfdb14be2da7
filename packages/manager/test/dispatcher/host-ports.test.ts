import { describe, expect, it } from 'vitest';
import { MAX_HOST_PORTS } from '@shoal/common';
import { checkHostPorts, sameHostPorts } from '../../src/dispatcher/host-ports.js';

const p = (port: number, protocol = 'tcp', process = 'nginx', pid = 10) => ({ port, protocol, process, pid });

describe('checkHostPorts (a worker report at the dispatcher edge)', () => {
  it('keeps one entry per protocol and port, in port order', () => {
    expect(checkHostPorts([p(443), p(80), p(80, 'tcp', 'other', 11), p(80, 'udp')])).toEqual([
      { port: 80, protocol: 'tcp', process: 'nginx', pid: 10 },
      { port: 80, protocol: 'udp', process: 'nginx', pid: 10 },
      { port: 443, protocol: 'tcp', process: 'nginx', pid: 10 },
    ]);
  });

  it('refuses malformed and oversized reports with one line', () => {
    expect(() => checkHostPorts([p(0)])).toThrow('host port 0: port 0 is not in 1-65535');
    expect(() => checkHostPorts([p(80, 'sctp')])).toThrow('host port 0: protocol must be tcp or udp');
    expect(() => checkHostPorts([p(80, 'tcp', 'x'.repeat(65))])).toThrow(/process name longer than 64/);
    expect(() => checkHostPorts([p(80, 'tcp', 'x', 5_000_000)])).toThrow(/pid 5000000 is out of range/);
    expect(() => checkHostPorts(Array.from({ length: MAX_HOST_PORTS + 1 }, (_, i) => p(i + 1)))).toThrow(`too many host ports reported (${MAX_HOST_PORTS + 1}; at most ${MAX_HOST_PORTS})`);
  });

  it('replaces control characters in a name shown to users', () => {
    expect(checkHostPorts([p(80, 'tcp', 'a\nb\u001b')])[0]!.process).toBe('a?b?');
  });

  it('compares canonical reports', () => {
    expect(sameHostPorts(undefined, [])).toBe(true);
    expect(sameHostPorts(checkHostPorts([p(80)]), checkHostPorts([p(80)]))).toBe(true);
    expect(sameHostPorts(checkHostPorts([p(80)]), checkHostPorts([p(81)]))).toBe(false);
  });
});
