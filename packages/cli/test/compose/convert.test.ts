import { describe, expect, it } from 'vitest';
import { DEFAULT_RESTART_POLICY, DEFAULT_STOP_GRACE_PERIOD_MS } from '@shoal/common';
import { checkConstraint, shellWords, toServiceSpecs } from '../../src/compose/index.js';
import { load, spec } from './helpers.js';

const svc = (body: string, extra = '') => `services:\n  web:\n    image: nginx\n${body}${extra}`;

describe('service basics', () => {
  it('names services STACK_SERVICE and labels them with the stack', () => {
    const s = spec(svc('    labels: [a=1]\n    deploy:\n      labels:\n        b: "2"\n'));
    expect(s.annotations).toEqual({ name: 'st_web', labels: { b: '2', 'io.shoal.stack': 'st' } });
    expect(s.task.container.labels).toEqual({ a: '1', 'io.shoal.stack': 'st' });
  });
  it('applies Swarm defaults', () => {
    const s = spec(svc(''));
    expect(s.mode).toEqual({ kind: 'replicated', replicas: 1 });
    expect(s.task.restartPolicy).toEqual(DEFAULT_RESTART_POLICY);
    expect(s.task.container.stopGracePeriodMs).toBe(DEFAULT_STOP_GRACE_PERIOD_MS);
    expect(s.task.networks).toEqual([{ target: 'st_default', aliases: ['web'] }]);
    expect(s.task.resources.limits).toEqual({ nanoCpus: 0, memoryBytes: 0 });
  });
  it('requires an image', () => {
    expect(() => spec('services:\n  web:\n    command: x\n')).toThrow('services.web.image: is required');
  });
  it('converts container settings', () => {
    const s = spec(
      svc(`    command: sh -c 'echo "hi there" && sleep 1'
    entrypoint: ["/tini", "--"]
    working_dir: /app
    user: "1000:1000"
    hostname: web-1
    stop_grace_period: 1m30s
    stop_signal: SIGQUIT
    init: true
    environment:
      - B=2
      - A=1
      - FROM_ENV
      - NOT_SET
`),
      { FROM_ENV: 'x' },
    ).task.container;
    expect(s.command).toEqual(['sh', '-c', 'echo "hi there" && sleep 1']);
    expect(s.entrypoint).toEqual(['/tini', '--']);
    expect(s).toMatchObject({ dir: '/app', user: '1000:1000', hostname: 'web-1', stopGracePeriodMs: 90_000, stopSignal: 'SIGQUIT', init: true });
    expect(s.env).toEqual(['A=1', 'B=2', 'FROM_ENV=x', 'NOT_SET']);
  });
  it('splits words as a shell would', () => {
    expect(shellWords(`a  'b c' "d \\"e\\"" f\\ g ""`, 'x')).toEqual(['a', 'b c', 'd "e"', 'f g', '']);
    expect(() => shellWords('echo "open', 'services.web.command')).toThrow('services.web.command: unterminated quote');
  });
});

describe('healthcheck', () => {
  it('turns a string test into CMD-SHELL and parses durations', () => {
    const h = spec(svc('    healthcheck:\n      test: curl -f http://localhost/ || exit 1\n      interval: 30s\n      timeout: 100ms\n      retries: 3\n      start_period: 1h\n')).task.container.healthcheck;
    expect(h).toEqual({ test: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], intervalMs: 30_000, timeoutMs: 100, retries: 3, startPeriodMs: 3_600_000 });
  });
  it('keeps a list test and turns disable into NONE', () => {
    expect(spec(svc('    healthcheck:\n      test: ["CMD", "pg_isready"]\n')).task.container.healthcheck!.test).toEqual(['CMD', 'pg_isready']);
    expect(spec(svc('    healthcheck:\n      disable: true\n')).task.container.healthcheck!.test).toEqual(['NONE']);
  });
  it('names the key of a bad duration', () => {
    expect(() => spec(svc('    healthcheck:\n      interval: "30"\n'))).toThrow(/^services\.web\.healthcheck\.interval: invalid duration "30"/);
    expect(() => spec(svc('    healthcheck:\n      interval: 30\n'))).toThrow('compose.yml: services.web.healthcheck.interval: must be a string');
  });
});

describe('deploy', () => {
  it('reads global mode, and refuses replicas with it', () => {
    expect(spec(svc('    deploy:\n      mode: global\n')).mode).toEqual({ kind: 'global' });
    expect(() => spec(svc('    deploy:\n      mode: global\n      replicas: 2\n'))).toThrow('services.web.deploy.replicas: can only be set in replicated mode');
  });
  it('reads placement', () => {
    const p = spec(
      svc(`    deploy:
      placement:
        constraints: [node.role == manager, "node.labels.zone!=eu-1", engine.labels.gpu==true, node.platform.os == linux]
        preferences:
          - spread: node.labels.zone
        max_replicas_per_node: 2
`),
    ).task.placement;
    expect(p).toEqual({
      constraints: ['node.role == manager', 'node.labels.zone!=eu-1', 'engine.labels.gpu==true', 'node.platform.os == linux'],
      spreadPreferences: ['node.labels.zone'],
      maxReplicasPerNode: 2,
      platforms: [],
    });
  });
  it('checks constraint syntax naming the path', () => {
    expect(() => spec(svc('    deploy:\n      placement:\n        constraints: [node.role = manager]\n'))).toThrow(/^services\.web\.deploy\.placement\.constraints\[0\]: invalid constraint "node\.role = manager"/);
    expect(() => checkConstraint('node.colour==red', 'c')).toThrow(/invalid constraint/);
    expect(() => checkConstraint('node.labels.==x', 'c')).toThrow(/invalid constraint/);
    expect(() => checkConstraint('node.hostname==', 'c')).toThrow(/invalid constraint/);
  });
  it('reads resources with units', () => {
    const r = spec(svc(`    deploy:
      resources:
        limits: {cpus: '0.5', memory: 50M}
        reservations: {cpus: 2, memory: 1gb}
`)).task.resources;
    expect(r).toEqual({ limits: { nanoCpus: 500_000_000, memoryBytes: 50 * 1024 ** 2 }, reservations: { nanoCpus: 2e9, memoryBytes: 1024 ** 3 } });
    expect(spec(svc('    deploy:\n      resources:\n        limits: {memory: 512kb}\n')).task.resources.limits.memoryBytes).toBe(512 * 1024);
    expect(spec(svc('    deploy:\n      resources:\n        limits: {memory: 100b}\n')).task.resources.limits.memoryBytes).toBe(100);
    expect(() => spec(svc('    deploy:\n      resources:\n        limits: {memory: lots}\n'))).toThrow(/^services\.web\.deploy\.resources\.limits\.memory: invalid size/);
  });
  it('reads the restart policy', () => {
    const r = spec(svc('    deploy:\n      restart_policy:\n        condition: on-failure\n        delay: 100ms\n        max_attempts: 3\n        window: 2m\n')).task.restartPolicy;
    expect(r).toEqual({ condition: 'on-failure', delayMs: 100, maxAttempts: 3, windowMs: 120_000 });
    expect(spec(svc('    deploy:\n      restart_policy:\n        max_attempts: 1\n')).task.restartPolicy).toEqual({ ...DEFAULT_RESTART_POLICY, maxAttempts: 1 });
    expect(spec(svc('    restart: on-failure:4\n')).task.restartPolicy).toEqual({ ...DEFAULT_RESTART_POLICY, condition: 'on-failure', maxAttempts: 4 });
  });
});

describe('ports', () => {
  const ports = (list: string, env = {}) => {
    const { project } = load(svc(`    ports:\n${list}`), env);
    const out = toServiceSpecs(project, 'st');
    return { ports: out.services[0]!.endpoint.ports, warnings: out.warnings };
  };
  it('reads the short syntax', () => {
    const { ports: p, warnings } = ports('      - "8080:80"\n      - "53:53/udp"\n      - "9000"\n      - 9100\n      - "127.0.0.1:5432:5432"\n      - "8000-8001:80-81"\n');
    expect(p.map((x) => `${x.publishedPort}:${x.targetPort}/${x.protocol}/${x.publishMode}`)).toEqual([
      '8080:80/tcp/ingress',
      '53:53/udp/ingress',
      '0:9000/tcp/ingress',
      '0:9100/tcp/ingress',
      '5432:5432/tcp/ingress',
      '8000:80/tcp/ingress',
      '8001:81/tcp/ingress',
    ]);
    expect(warnings).toEqual(['services.web.ports[4]: host IP 127.0.0.1 is not supported; the port is published on all addresses']);
  });
  it('reads the long syntax', () => {
    const { ports: p } = ports('      - target: 80\n        published: 80\n        protocol: tcp\n        mode: host\n      - target: 443\n        published: "8443"\n');
    expect(p).toEqual([
      { protocol: 'tcp', targetPort: 80, publishedPort: 80, publishMode: 'host' },
      { protocol: 'tcp', targetPort: 443, publishedPort: 8443, publishMode: 'ingress' },
    ]);
  });
  it('refuses bad ports naming the entry', () => {
    expect(() => ports('      - "8000-8002:80-81"\n')).toThrow('services.web.ports[0]: invalid port "8000-8002:80-81": the published and target ranges differ in size');
    expect(() => ports('      - "80:http"\n')).toThrow('services.web.ports[0]: invalid port "http"');
    expect(() => ports('      - "80:80/sctp"\n')).toThrow('services.web.ports[0]: invalid protocol "sctp": use tcp or udp');
  });
});

describe('volumes and tmpfs', () => {
  const mounts = (body: string, top = '', env: Record<string, string> = { HOME: '/home/me' }) => {
    const { project } = load(svc(body, top), env);
    return toServiceSpecs(project, 'st').services[0]!.task.container.mounts;
  };
  it('reads the short syntax: binds, named and anonymous volumes', () => {
    const m = mounts(
      '    volumes:\n      - ./conf:/etc/app:ro\n      - ~/data:/data\n      - /var/run/docker.sock:/var/run/docker.sock\n      - db:/var/lib/db\n      - ext:/ext:ro\n      - named:/named\n      - /scratch\n',
      'volumes:\n  db:\n  ext:\n    external: true\n  named:\n    name: shared-data\n',
    );
    expect(m).toEqual([
      { type: 'bind', source: '/srv/app/conf', target: '/etc/app', readOnly: true },
      { type: 'bind', source: '/home/me/data', target: '/data', readOnly: false },
      { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: false },
      { type: 'volume', source: 'st_db', target: '/var/lib/db', readOnly: false },
      { type: 'volume', source: 'ext', target: '/ext', readOnly: true },
      { type: 'volume', source: 'shared-data', target: '/named', readOnly: false },
      { type: 'volume', source: '', target: '/scratch', readOnly: false },
    ]);
  });
  it('reads the long syntax and tmpfs', () => {
    const m = mounts(
      '    volumes:\n      - type: bind\n        source: ../shared\n        target: /shared\n        read_only: true\n      - type: volume\n        source: db\n        target: /db\n      - type: tmpfs\n        target: /cache\n        tmpfs:\n          size: 64m\n    tmpfs:\n      - /run\n      - /tmp:size=1g,mode=1777\n',
      'volumes:\n  db: {}\n',
    );
    expect(m).toEqual([
      { type: 'bind', source: '/srv/shared', target: '/shared', readOnly: true },
      { type: 'volume', source: 'st_db', target: '/db', readOnly: false },
      { type: 'tmpfs', source: '', target: '/cache', readOnly: false, tmpfsSizeBytes: 64 * 1024 ** 2 },
      { type: 'tmpfs', source: '', target: '/run', readOnly: false },
      { type: 'tmpfs', source: '', target: '/tmp', readOnly: false, tmpfsSizeBytes: 1024 ** 3 },
    ]);
  });
  it('refuses undefined volumes and bad modes', () => {
    expect(() => mounts('    volumes:\n      - data:/data\n')).toThrow('services.web.volumes[0]: undefined volume "data"');
    expect(() => mounts('    volumes:\n      - ./a:/a:rx\n')).toThrow('services.web.volumes[0]: invalid volume mode "rx" in "/srv/app/a:/a:rx"');
  });
});

describe('networks', () => {
  it('attaches to named networks with aliases, and lists those to create', () => {
    const { project } = load(`services:
  web:
    image: a
    networks:
      front:
        aliases: [www]
      back:
  db:
    image: b
    networks: [back, shared]
networks:
  front: {}
  back:
    name: backend
  shared:
    external: true
`);
    const out = toServiceSpecs(project, 'st');
    const byName = Object.fromEntries(out.services.map((s) => [s.annotations.name, s.task.networks]));
    expect(byName.st_web).toEqual([
      { target: 'st_front', aliases: ['web', 'www'] },
      { target: 'backend', aliases: ['web'] },
    ]);
    expect(byName.st_db).toEqual([
      { target: 'backend', aliases: ['db'] },
      { target: 'shared', aliases: ['db'] },
    ]);
    expect(out.networks.specs.map((n) => n.annotations.name)).toEqual(['backend', 'st_front']);
    expect(out.networks.external).toEqual(['shared']);
  });
  it('refuses undefined networks', () => {
    expect(() => toServiceSpecs(load(svc('    networks: [nope]\n')).project, 'st')).toThrow('services.web.networks: undefined network "nope"');
  });
});
