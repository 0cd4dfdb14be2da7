import { describe, expect, it } from 'vitest';
import { isShoalError } from '@shoal/common';
import { loadCompose } from '../../src/compose/index.js';
import { file, load } from './helpers.js';

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(isShoalError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('decoding', () => {
  const text = 'services:\r\n  web:\r\n    image: "nginx:1.25"\r\n    command: echo hi\r\n';
  it('reads CRLF UTF-8, with and without a BOM', () => {
    for (const buf of [Buffer.from(text), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])]) {
      const { project } = loadCompose([file(buf)], {});
      expect(project.services.web!.image).toBe('nginx:1.25');
      expect(project.services.web!.command).toBe('echo hi');
    }
  });
  it('reads UTF-16 LE and BE with a BOM', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const buf of [le, be]) expect(loadCompose([file(buf)], {}).project.services.web!.image).toBe('nginx:1.25');
  });
  it('refuses bytes that are not text', () => {
    expect(errorOf(() => loadCompose([file(Buffer.from([0x73, 0x3a, 0xff, 0xfe, 0xfd]))], {}))).toMatch(/^compose.yml: the file is not valid/);
  });
});

describe('YAML', () => {
  it('reads 0440 as octal (288) and yes/on as booleans, as YAML 1.1 does', () => {
    const { project } = load('services:\n  web:\n    image: a\n    init: yes\n    secrets:\n      - source: s\n        mode: 0440\nsecrets:\n  s:\n    file: ./s.txt\n');
    const svc = project.services.web!;
    expect((svc.secrets as { mode: number }[])[0]!.mode).toBe(288);
    expect(svc.init).toBe(true);
  });
  it('keeps sexagesimal-looking values, dates and "." as strings, as Docker does', () => {
    const { project } = load('services:\n  web:\n    image: a\n    build: .\n    ports:\n      - 22:22\n    labels:\n      released: 2001-12-14\n      ratio: .5\n');
    const svc = project.services.web!;
    expect(svc.build).toBe('.');
    expect(svc.ports).toEqual(['22:22']);
    expect(svc.labels).toEqual({ released: '2001-12-14', ratio: '0.5' });
  });
  it('rejects duplicate keys naming the key and line', () => {
    expect(errorOf(() => load('services:\n  web:\n    image: a\n    image: b\n'))).toBe('compose.yml: line 4: duplicate key "image"');
  });
  it('expands anchors, aliases and merge keys', () => {
    const { project } = load(
      'x-common: &common\n  image: busybox\n  environment:\n    A: "1"\nservices:\n  one:\n    <<: *common\n    command: sleep 1\n  two:\n    <<: *common\n',
    );
    expect(project.services.one).toMatchObject({ image: 'busybox', command: 'sleep 1', environment: { A: '1' } });
    expect(project.services.two!.image).toBe('busybox');
  });
  it('fails fast on a billion laughs file', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    const names = 'abcdefghi';
    for (let i = 1; i < names.length; i++) {
      const prev = `*${names[i - 1]}`;
      lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(prev).join(',')}]`);
    }
    lines.push('services:\n  web:\n    image: x\n    command: *i');
    expect(errorOf(() => load(lines.join('\n')))).toMatch(/^compose.yml: .*alias/i);
  });
  it('reports syntax errors with the file and line', () => {
    expect(errorOf(() => load('services:\n  web:\n    image: [a\n'))).toMatch(/^compose.yml: line \d+: /);
  });
  it('rejects an empty file and a non-mapping', () => {
    expect(errorOf(() => load(''))).toBe('compose.yml: empty compose file');
    expect(errorOf(() => load('- a\n'))).toBe('compose.yml: top-level object must be a mapping');
  });
});

describe('versions', () => {
  it('accepts 3, 3.x and no version', () => {
    expect(load('version: "3"\nservices: {}\n').project.version).toBe('3');
    expect(load("version: '3.8'\nservices: {}\n").project.version).toBe('3.8');
    expect(load('services: {}\n').project.version).toBeUndefined();
  });
  it('refuses a version written as a number, as Docker does', () => {
    expect(errorOf(() => load('version: 3\nservices: {}\n'))).toBe('compose.yml: version: must be a string');
    expect(errorOf(() => load('version: 3.8\nservices: {}\n'))).toBe('compose.yml: version: must be a string');
  });
  it('refuses version 2', () => {
    expect(errorOf(() => load('version: "2.4"\nservices: {}\n'))).toBe('compose.yml: version: unsupported Compose file version "2.4"; use 3.x or leave it out');
  });
});

describe('external volumes and networks', () => {
  it('refuses a driver, options or labels on an external one, as Docker does', () => {
    expect(errorOf(() => load('services: {}\nvolumes:\n  data:\n    external: true\n    driver: local\n'))).toBe(
      'compose.yml: volumes.data: conflicting parameters "external" and "driver" specified for volume "data"',
    );
    expect(errorOf(() => load('services: {}\nnetworks:\n  public:\n    external: true\n    driver: overlay\n'))).toBe(
      'compose.yml: networks.public: conflicting parameters "external" and "driver" specified for network "public"',
    );
    expect(errorOf(() => load('services: {}\nnetworks:\n  public:\n    external: {name: edge}\n    driver_opts: {encrypted: ""}\n'))).toBe(
      'compose.yml: networks.public: conflicting parameters "external" and "driver_opts" specified for network "public"',
    );
    expect(errorOf(() => load('services: {}\nvolumes:\n  data:\n    external: true\n    labels: [a=b]\n'))).toMatch(/conflicting parameters "external" and "labels"/);
  });
  it('accepts an external one with a name, and external: false with a driver', () => {
    const { project } = load('services: {}\nvolumes:\n  data:\n    external: true\n    name: shared\nnetworks:\n  a:\n    external: false\n    driver: overlay\n  b:\n    external: true\n    x-note: kept\n');
    expect(project.volumes.data).toEqual({ external: true, name: 'shared' });
    expect(project.networks.a).toEqual({ external: false, driver: 'overlay' });
  });
});

describe('validation', () => {
  it('names the file and key path of a type error', () => {
    expect(errorOf(() => load('services:\n  web:\n    image: a\n    deploy:\n      replicas: two\n'))).toBe('compose.yml: services.web.deploy.replicas: must be an integer');
  });
  it('rejects unknown service and top-level keys', () => {
    expect(errorOf(() => load('services:\n  web:\n    image: a\n    foo: 1\n'))).toBe('compose.yml: services.web: additional property "foo" is not allowed');
    expect(errorOf(() => load('services: {}\nservice: {}\n'))).toBe('compose.yml: additional property "service" is not allowed');
    expect(errorOf(() => load('services:\n  web:\n    image: a\n    deploy:\n      placement:\n        constraint: [a]\n'))).toBe(
      'compose.yml: services.web.deploy.placement: additional property "constraint" is not allowed',
    );
  });
  it('names list indexes and enum values', () => {
    expect(errorOf(() => load('services:\n  web:\n    image: a\n    ports:\n      - target: 80\n        mode: bridge\n'))).toBe(
      'compose.yml: services.web.ports[0].mode: must be one of: ingress, host',
    );
    expect(errorOf(() => load('services:\n  web:\n    image: a\n    volumes:\n      - target: /data\n'))).toBe(
      'compose.yml: services.web.volumes[0]: missing required key "type"',
    );
    expect(errorOf(() => load('services:\n  web:\n    image: a\n    ports:\n      - true\n'))).toBe(
      'compose.yml: services.web.ports[0]: must be an integer, a string or a mapping',
    );
  });
  it('names the second file when it is the bad one', () => {
    const files = [file('services:\n  web:\n    image: a\n'), file('services:\n  web:\n    deploy:\n      mode: everywhere\n', 'prod/override.yml')];
    expect(errorOf(() => loadCompose(files, {}))).toBe('prod/override.yml: services.web.deploy.mode: must be one of: replicated, global');
  });
  it('accepts keys Swarm honours that shoal does not use yet', () => {
    const { project, warnings } = load(`
services:
  web:
    image: a
    configs: [{source: c, target: /etc/c, mode: 0444}]
    secrets: [s]
    logging: {driver: json-file, options: {max-size: 10m, max-file: "3"}}
    deploy:
      endpoint_mode: dnsrr
      update_config: {parallelism: 2, delay: 10s, order: start-first, failure_action: rollback}
      rollback_config: {parallelism: 1}
configs:
  c: {file: ./c.conf}
secrets:
  s: {external: true}
`);
    expect(project.configs.c).toEqual({ file: './c.conf' });
    expect(warnings).toEqual([
      'Options not yet supported by shoal, ignored: configs, deploy.rollback_config, deploy.update_config, logging, secrets',
    ]);
  });
});

describe('ignored keys', () => {
  it('warns once, listing the keys Swarm ignores', () => {
    const { warnings } = load('services:\n  web:\n    image: a\n    build: .\n    container_name: w\n    restart: always\n  db:\n    image: b\n    depends_on: [web]\n    build: ./db\n');
    expect(warnings).toEqual(['Ignoring unsupported options: build, container_name, depends_on, restart']);
  });
});
