import { describe, expect, it } from 'vitest';
import { compileConstraints, parseConstraint } from '../../src/scheduler/constraint.js';
import { makeNode } from './fixtures.js';

describe('constraints', () => {
  it('parses == and !=', () => {
    expect(parseConstraint('node.role==manager')).toEqual({ key: 'node.role', operator: '==', value: 'manager' });
    expect(parseConstraint(' node.labels.zone != a ')).toEqual({ key: 'node.labels.zone', operator: '!=', value: 'a' });
  });

  it('rejects malformed expressions and unknown keys', () => {
    expect(() => parseConstraint('node.role=manager')).toThrow(/expected KEY==VALUE/);
    expect(() => parseConstraint('node.color==red')).toThrow(/unsupported key/);
    expect(() => parseConstraint('node.labels.==x')).toThrow(/unsupported key/);
    expect(() => parseConstraint('node.role==')).toThrow(/bad value/);
  });

  it('matches every supported key', () => {
    const node = makeNode('abc', { hostname: 'web1', role: 'manager', labels: { zone: 'eu' }, engineLabels: { disk: 'ssd' }, arch: 'x86_64' });
    const yes = ['node.id==abc', 'node.hostname==WEB1', 'node.role==manager', 'node.labels.zone==eu', 'engine.labels.disk==ssd', 'node.platform.os==linux', 'node.platform.arch==amd64'];
    for (const c of yes) expect(compileConstraints([c])(node), c).toBe(true);
    expect(compileConstraints(['node.role!=manager'])(node)).toBe(false);
    expect(compileConstraints(['node.labels.zone==us'])(node)).toBe(false);
  });

  it('treats a missing label as empty: == fails, != holds', () => {
    const node = makeNode('n1');
    expect(compileConstraints(['node.labels.zone==eu'])(node)).toBe(false);
    expect(compileConstraints(['node.labels.zone!=eu'])(node)).toBe(true);
  });

  it('requires all constraints', () => {
    const node = makeNode('n1', { role: 'worker', labels: { zone: 'eu' } });
    expect(compileConstraints(['node.role==worker', 'node.labels.zone==eu'])(node)).toBe(true);
    expect(compileConstraints(['node.role==worker', 'node.labels.zone==us'])(node)).toBe(false);
  });
});
