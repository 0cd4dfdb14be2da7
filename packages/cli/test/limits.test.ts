import { describe, expect, it } from 'vitest';
import { parseScaleArgs } from '../src/parse/scale.js';
import { parseReplicas } from '../src/parse/key-value.js';
import { versionMismatchLine } from '../src/render/version-mismatch.js';

describe('replica counts in the CLI', () => {
  it('refuses counts above what any swarm allows before sending anything', () => {
    expect(() => parseReplicas('1000000000')).toThrow('replicas 1000000000 is more than any swarm allows (at most 1000000; see shoal swarm update --max-replicas)');
    expect(() => parseScaleArgs(['web=99999999999999999999'])).toThrow("replicas in 'web=99999999999999999999' 99999999999999999999 is more than any swarm allows");
    expect(parseReplicas('1000000')).toBe(1_000_000);
  });
});

describe('versionMismatchLine', () => {
  it('says which side to upgrade', () => {
    expect(versionMismatchLine('UpdateCluster', '0.2.0', '0.1.0')).toBe('shoal CLI 0.2.0 and shoald 0.1.0 differ: the daemon does not know UpdateCluster; upgrade shoald to 0.2.0');
    expect(versionMismatchLine('Old', '0.9.0', '0.10.0')).toBe('shoal CLI 0.9.0 and shoald 0.10.0 differ: the daemon does not know Old; upgrade the CLI to 0.10.0');
    expect(versionMismatchLine('X', '0.1.0', '0.1.0')).toContain('both say 0.1.0 but differ');
  });
});
