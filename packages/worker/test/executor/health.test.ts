import { describe, expect, it } from 'vitest';
import { LineSplitter, parseHealthEvent, taskHealthOf } from '@shoal/worker';

const ID = 'a'.repeat(64);

describe('Docker health events', () => {
  it('reads health_status events of containers, and nothing else', () => {
    const ev = (action: string, type = 'container') => JSON.stringify({ Type: type, Action: action, Actor: { ID, Attributes: {} }, id: ID });
    expect(parseHealthEvent(ev('health_status: healthy'))).toEqual({ containerId: ID, health: 'healthy' });
    expect(parseHealthEvent(ev('health_status: unhealthy'))).toEqual({ containerId: ID, health: 'unhealthy' });
    expect(parseHealthEvent(ev('health_status: starting'))).toEqual({ containerId: ID, health: 'starting' });
    expect(parseHealthEvent(ev('start'))).toBeUndefined();
    expect(parseHealthEvent(ev('health_status: healthy', 'network'))).toBeUndefined();
    expect(parseHealthEvent(ev('health_status: bogus'))).toBeUndefined();
    expect(parseHealthEvent('{not json')).toBeUndefined();
  });

  it('maps State.Health.Status, "none" to no health', () => {
    expect(taskHealthOf('healthy')).toBe('healthy');
    expect(taskHealthOf('none')).toBeUndefined();
    expect(taskHealthOf(undefined)).toBeUndefined();
  });

  it('splits a stream into lines across chunks and drops an endless line', () => {
    const s = new LineSplitter(10);
    expect(s.push('{"a":1}\n{"b"')).toEqual(['{"a":1}']);
    expect(s.push(':2}\n\n')).toEqual(['{"b":2}']);
    expect(s.push('x'.repeat(20))).toEqual([]);
    expect(s.push('y\n')).toEqual(['y']);
  });
});
