import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { isShoalError } from '@shoal/common';
import { loadCompose, toServiceSpecs } from '../../src/compose/index.js';

/**
 * Whatever a user feeds `stack deploy`, the loader either gives services or throws one
 * ShoalError with a message naming the file: never a TypeError, RangeError or stack trace.
 */
function loadAndConvert(content: Uint8Array): void {
  const { project } = loadCompose([{ path: 'compose.yml', content }], { HOME: '/root' });
  toServiceSpecs(project, 'st');
}

function onlyUserErrors(content: Uint8Array): void {
  try {
    loadAndConvert(content);
  } catch (e) {
    if (!isShoalError(e)) throw e;
    expect(e.message).not.toContain('\n');
    expect(e.message.length).toBeGreaterThan(0);
  }
}

const scalar = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const composeKeys = fc.constantFrom('image', 'deploy', 'replicas', 'ports', 'environment', 'volumes', 'networks', 'command', 'placement', 'constraints', 'restart_policy', 'resources', 'limits', 'memory', 'cpus', 'mode', 'labels', 'healthcheck', 'test', 'x-y');
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(composeKeys, tie('node'), { maxKeys: 4 })),
})).node;

describe('compose loader on arbitrary input', () => {
  it('never crashes on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => onlyUserErrors(bytes)), { numRuns: 300 });
  });

  it('never crashes on random compose-shaped documents', () => {
    const doc = fc.record({ services: fc.dictionary(fc.constantFrom('web', 'db', 'a'), value, { maxKeys: 3 }) });
    fc.assert(
      fc.property(doc, (d) => onlyUserErrors(new TextEncoder().encode(stringify(d)))),
      { numRuns: 500 },
    );
  });

  it('never crashes on random top-level networks', () => {
    const networkKeys = fc.constantFrom('driver', 'driver_opts', 'attachable', 'internal', 'labels', 'ipam', 'config', 'subnet', 'gateway', 'ip_range', 'external', 'name', 'enable_ipv6', 'com.docker.network.driver.mtu');
    const netValue = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, fc.constantFrom('10.1.0.0/24', '10.1.0.1', 'overlay', 'bridge'), fc.array(tie('node'), { maxLength: 2 }), fc.dictionary(networkKeys, tie('node'), { maxKeys: 4 })),
    })).node;
    const doc = fc.record({
      services: fc.constant({ web: { image: 'x', networks: ['back'] } }),
      networks: fc.record({ back: fc.oneof(fc.constant(null), fc.dictionary(networkKeys, netValue, { maxKeys: 4 })) }),
    });
    fc.assert(
      fc.property(doc, (d) => onlyUserErrors(new TextEncoder().encode(stringify(d)))),
      { numRuns: 500 },
    );
  });
});
