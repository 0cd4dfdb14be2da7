import { describe, expect, it } from 'vitest';
import { parseDuration } from '../src/parse/duration.js';
import { parseCpus, parseMemory } from '../src/parse/size.js';
import { parsePublish } from '../src/parse/publish.js';
import { parseMount } from '../src/parse/mount.js';
import { keyValues, parseFilters } from '../src/parse/key-value.js';
import { parseScaleArgs } from '../src/parse/scale.js';
import { normalizeArgv } from '../src/parse/argv.js';
import { ago, bytesSize, goDuration, humanDuration } from '../src/render/human.js';

describe('durations', () => {
  it('parses Go durations into milliseconds', () => {
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('0')).toBe(0);
    expect(() => parseDuration('10')).toThrow(/invalid duration "10"/);
    expect(() => parseDuration('5x')).toThrow(/invalid duration/);
    expect(() => parseDuration('')).toThrow(/invalid duration/);
  });

  it('prints them back as Go does', () => {
    expect(goDuration(0)).toBe('0s');
    expect(goDuration(500)).toBe('500ms');
    expect(goDuration(5000)).toBe('5s');
    expect(goDuration(90_000)).toBe('1m30s');
    expect(goDuration(3_600_000)).toBe('1h0m0s');
    expect(goDuration(1500)).toBe('1.5s');
  });

  it('words elapsed time as Docker does', () => {
    expect(humanDuration(400)).toBe('Less than a second');
    expect(humanDuration(1000)).toBe('1 second');
    expect(humanDuration(5_500)).toBe('5 seconds');
    expect(humanDuration(61_000)).toBe('About a minute');
    expect(humanDuration(12 * 60_000)).toBe('12 minutes');
    expect(humanDuration(65 * 60_000)).toBe('About an hour');
    expect(humanDuration(5 * 3_600_000)).toBe('5 hours');
    expect(humanDuration(3 * 86_400_000)).toBe('3 days');
    expect(humanDuration(20 * 86_400_000)).toBe('2 weeks');
    expect(humanDuration(90 * 86_400_000)).toBe('3 months');
    expect(humanDuration(800 * 86_400_000)).toBe('2 years');
    expect(ago('2024-05-01T12:00:00Z', Date.parse('2024-05-01T12:00:07Z'))).toBe('7 seconds ago');
    expect(ago('2024-05-01T12:00:09Z', Date.parse('2024-05-01T12:00:07Z'))).toBe('Less than a second ago');
    expect(ago('', 0)).toBe('');
  });
});

describe('sizes and CPUs', () => {
  it('reads memory sizes in binary units', () => {
    expect(parseMemory('512m')).toBe(512 * 1024 ** 2);
    expect(parseMemory('1g')).toBe(1024 ** 3);
    expect(parseMemory('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseMemory('64MB')).toBe(64 * 1024 ** 2);
    expect(parseMemory('1024')).toBe(1024);
    expect(() => parseMemory('lots')).toThrow(/invalid size/);
  });

  it('prints sizes in binary units', () => {
    expect(bytesSize(0)).toBe('0B');
    expect(bytesSize(1536)).toBe('1.5KiB');
    expect(bytesSize(2 * 1024 ** 3)).toBe('2GiB');
    expect(bytesSize(2_040_000_000)).toBe('1.9GiB');
  });

  it('reads CPUs as nano CPUs', () => {
    expect(parseCpus('0.5')).toBe(500_000_000);
    expect(parseCpus('2')).toBe(2e9);
    expect(() => parseCpus('x')).toThrow(/invalid CPU count/);
  });
});

describe('parsePublish', () => {
  it('reads the short form', () => {
    expect(parsePublish('8080:80')).toEqual({ protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' });
    expect(parsePublish('53:53/udp')).toMatchObject({ protocol: 'udp', targetPort: 53, publishedPort: 53 });
    expect(parsePublish('80')).toMatchObject({ targetPort: 80, publishedPort: 0 });
  });

  it('reads the long form', () => {
    expect(parsePublish('mode=host,published=8080,target=80,protocol=udp')).toEqual({ protocol: 'udp', targetPort: 80, publishedPort: 8080, publishMode: 'host' });
  });

  it('rejects nonsense', () => {
    expect(() => parsePublish('1:2:3')).toThrow(/PUBLISHED:TARGET/);
    expect(() => parsePublish('80/sctp')).toThrow(/tcp or udp/);
    expect(() => parsePublish('published=80')).toThrow(/missing target/);
    expect(() => parsePublish('70000:80')).toThrow(/out of range/);
  });
});

describe('parseMount', () => {
  it('reads Docker mount specs', () => {
    expect(parseMount('type=bind,source=/srv,target=/data,readonly')).toEqual({ type: 'bind', source: '/srv', target: '/data', readOnly: true });
    expect(parseMount('src=vol,dst=/var/lib')).toEqual({ type: 'volume', source: 'vol', target: '/var/lib', readOnly: false });
    expect(parseMount('type=tmpfs,target=/tmp,tmpfs-size=64m')).toMatchObject({ type: 'tmpfs', tmpfsSizeBytes: 64 * 1024 ** 2 });
  });

  it('requires a target and a bind source', () => {
    expect(() => parseMount('type=volume,source=v')).toThrow(/target is required/);
    expect(() => parseMount('type=bind,target=/x')).toThrow(/source is required/);
    expect(() => parseMount('type=nfs,target=/x')).toThrow(/type must be/);
  });
});

describe('key=value flags', () => {
  it('reads labels, bare keys included', () => {
    expect(keyValues(['a=1', 'b=x=y', 'c'], 'label')).toEqual({ a: '1', b: 'x=y', c: '' });
    expect(() => keyValues(['=v'], 'label')).toThrow(/invalid label/);
  });

  it('joins repeated filters of one key with commas', () => {
    expect(parseFilters(['name=web', 'name=db', 'label=a=b'])).toEqual({ name: 'web,db', label: 'a=b' });
    expect(parseFilters(undefined)).toEqual({});
    expect(() => parseFilters(['name'])).toThrow(/bad format of filter/);
  });

  it('reads scale arguments', () => {
    expect(parseScaleArgs(['web=5', 'db=0'])).toEqual([{ service: 'web', replicas: 5 }, { service: 'db', replicas: 0 }]);
    expect(() => parseScaleArgs(['web'])).toThrow(/invalid scale specifier 'web'/);
    expect(() => parseScaleArgs(['web=x'])).toThrow(/non-negative integer/);
  });
});

describe('normalizeArgv', () => {
  it('turns Docker-style --detach=BOOL into what commander reads', () => {
    expect(normalizeArgv(['node', 'shoal', 'stack', 'deploy', '--detach=false', '-c', 'f.yml', 'app'])).toEqual(['node', 'shoal', 'stack', 'deploy', '-c', 'f.yml', 'app']);
    expect(normalizeArgv(['stack', 'deploy', '--detach=true', 'app'])).toEqual(['stack', 'deploy', '--detach', 'app']);
    expect(normalizeArgv(['--', '--detach=false'])).toEqual(['--', '--detach=false']);
  });
});
