import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import type { ServiceSpec } from '@shoal/common';
import { loadCompose, renderConfig, toServiceSpecs } from '../../src/compose/index.js';
import { file, fixture } from './helpers.js';

function stack(name: string, stackName: string, env: Record<string, string> = {}) {
  const { project, warnings } = loadCompose([file(fixture(name), name)], env);
  const out = toServiceSpecs(project, stackName);
  const byName = (n: string): ServiceSpec => out.services.find((s) => s.annotations.name === `${stackName}_${n}`)!;
  return { project, ...out, warnings: [...warnings, ...out.warnings], byName };
}

describe('voting app', () => {
  const s = stack('voting-app.yml', 'vote', { DB_PASSWORD: 'secret', TAG: 'v2' });

  it('converts every service', () => {
    expect(s.services.map((x) => x.annotations.name)).toEqual(['vote_db', 'vote_redis', 'vote_result', 'vote_vote', 'vote_worker']);
    expect(s.networks.specs.map((n) => n.annotations.name)).toEqual(['vote_backend', 'vote_frontend']);
    expect(s.byName('vote').mode).toEqual({ kind: 'replicated', replicas: 2 });
    expect(s.byName('vote').task.container.image).toBe('example/vote:v2');
    expect(s.byName('vote').endpoint.ports).toEqual([{ protocol: 'tcp', targetPort: 80, publishedPort: 5000, publishMode: 'ingress' }]);
    expect(s.byName('result').endpoint.ports[0]!.publishedPort).toBe(5001);
  });
  it('reads placement, restart policy, labels and networks', () => {
    const worker = s.byName('worker');
    expect(worker.task.restartPolicy).toEqual({ condition: 'on-failure', delayMs: 10_000, maxAttempts: 3, windowMs: 120_000 });
    expect(worker.task.placement.constraints).toEqual(['node.role == manager']);
    expect(worker.annotations.labels).toEqual({ APP: 'VOTING', 'io.shoal.stack': 'vote' });
    expect(worker.task.networks).toEqual([
      { target: 'vote_frontend', aliases: ['worker'] },
      { target: 'vote_backend', aliases: ['worker'] },
    ]);
    expect(s.byName('db').task.container.env).toEqual(['POSTGRES_PASSWORD=secret', 'POSTGRES_USER=postgres']);
    expect(s.byName('db').task.container.mounts).toEqual([{ type: 'volume', source: 'vote_db-data', target: '/var/lib/postgresql/data', readOnly: false }]);
  });
  it('warns about depends_on and update_config', () => {
    expect(s.warnings).toEqual(['Ignoring unsupported options: depends_on', 'Options not yet supported by shoal, ignored: deploy.update_config']);
  });
  it('needs DB_PASSWORD', () => {
    expect(() => stack('voting-app.yml', 'vote')).toThrow('voting-app.yml: services.db.environment.POSTGRES_PASSWORD: required variable DB_PASSWORD is missing a value: set DB_PASSWORD');
  });
});

describe('monitoring stack', () => {
  const s = stack('monitoring.yml', 'mon');

  it('reads global services, resources and merged labels', () => {
    expect(s.byName('node-exporter').mode).toEqual({ kind: 'global' });
    expect(s.byName('cadvisor').mode).toEqual({ kind: 'global' });
    expect(s.byName('prometheus').task.resources).toEqual({
      limits: { nanoCpus: 1_500_000_000, memoryBytes: 2 * 1024 ** 3 },
      reservations: { nanoCpus: 250_000_000, memoryBytes: 512 * 1024 ** 2 },
    });
    expect(s.byName('prometheus').annotations.labels).toEqual({
      'org.example.team': 'observability',
      'org.example.tier': 'monitoring',
      'traefik.enable': 'false',
      'io.shoal.stack': 'mon',
    });
    expect(s.byName('prometheus').task.container.labels['org.example.component']).toBe('prometheus');
    expect(s.byName('prometheus').task.placement.constraints).toEqual(['node.role == manager', 'node.labels.monitoring == true']);
  });
  it('keeps configs (mode 0440 read as 288) and escapes $$', () => {
    expect(s.project.services.prometheus!.configs).toEqual([{ source: 'prometheus_config', target: '/etc/prometheus/prometheus.yml', mode: 288 }]);
    expect(s.byName('prometheus').task.container.command).toContain('--storage.tsdb.retention.time=15d');
    expect(s.byName('node-exporter').task.container.command).toContain('--collector.filesystem.mount-points-exclude=^/(sys|proc|dev|host|etc)($|/)');
    expect(s.byName('cadvisor').task.container.command).toEqual(['-logtostderr', '-docker_only']);
  });
  it('converts the healthcheck and bind mounts', () => {
    expect(s.byName('grafana').task.container.healthcheck).toEqual({
      test: ['CMD-SHELL', 'wget -q --spider http://localhost:3000/api/health || exit 1'],
      intervalMs: 30_000,
      timeoutMs: 5_000,
      retries: 3,
      startPeriodMs: 20_000,
    });
    expect(s.byName('grafana').task.container.mounts[1]).toEqual({ type: 'bind', source: '/srv/app/grafana/provisioning', target: '/etc/grafana/provisioning', readOnly: true });
  });
  it('warns about keys not acted on', () => {
    expect(s.warnings).toEqual(['Options not yet supported by shoal, ignored: configs, logging']);
  });
});

describe('portainer stack', () => {
  const s = stack('portainer.yml', 'portainer');
  it('runs the agent globally on linux and the server on a manager', () => {
    expect(s.byName('agent').mode).toEqual({ kind: 'global' });
    expect(s.byName('agent').task.placement.constraints).toEqual(['node.platform.os == linux']);
    expect(s.byName('agent').task.container.mounts.map((m) => m.type)).toEqual(['bind', 'bind']);
    expect(s.byName('portainer').task.placement.constraints).toEqual(['node.role == manager']);
    expect(s.byName('portainer').task.container.command).toEqual(['-H', 'tcp://tasks.agent:9001', '--tlsskipverify']);
    expect(s.byName('portainer').task.container.mounts).toEqual([{ type: 'volume', source: 'portainer_portainer_data', target: '/data', readOnly: false }]);
    expect(s.networks.specs.map((n) => n.annotations.name)).toEqual(['portainer_agent_network']);
    expect(s.warnings).toEqual([]);
  });
});

describe('traefik stack', () => {
  const s = stack('traefik.yml', 'edge', { DOMAIN: 'example.org' });
  it('publishes in host mode and keeps deploy labels', () => {
    const t = s.byName('traefik');
    expect(t.endpoint.ports).toEqual([
      { protocol: 'tcp', targetPort: 80, publishedPort: 80, publishMode: 'host' },
      { protocol: 'tcp', targetPort: 443, publishedPort: 443, publishMode: 'host' },
      { protocol: 'tcp', targetPort: 8080, publishedPort: 8080, publishMode: 'ingress' },
    ]);
    expect(t.annotations.labels['traefik.http.routers.dashboard.rule']).toBe('Host(`traefik.example.org`)');
    expect(t.task.placement.constraints).toContain('node.labels.traefik-public.certificates == true');
    expect(t.task.container.mounts).toEqual([
      { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: true },
      { type: 'volume', source: 'edge_certificates', target: '/certificates', readOnly: false },
    ]);
  });
  it('uses the external network by its own name and does not create it', () => {
    expect(s.byName('whoami').task.networks).toEqual([{ target: 'traefik-public', aliases: ['whoami'] }]);
    expect(s.byName('whoami').task.placement).toMatchObject({ maxReplicasPerNode: 1, spreadPreferences: ['node.labels.zone'] });
    expect(s.networks.specs.map((n) => n.annotations.name)).toEqual([]);
    expect(s.networks.external).toEqual(['traefik-public']);
    expect(s.warnings).toEqual(['Options not yet supported by shoal, ignored: deploy.rollback_config, deploy.update_config']);
  });
});

describe('traefik with basic auth', () => {
  const s = stack('traefik-basic-auth.yml', 'traefik', { DOMAIN: 'traefik.example.org' });
  it('keeps the bcrypt hash of the default as it is written', () => {
    const labels = s.byName('traefik').annotations.labels;
    expect(labels['traefik.http.middlewares.admin-auth.basicauth.users']).toBe('admin:$2y$05$Kz8mV1sBq2cRn0eZ1g5Gk.9XbHq3d2TlhYqA7yJc8JtG2qYxG5v7e');
    expect(labels['traefik.http.routers.traefik-public-https.rule']).toBe('Host(`traefik.example.org`)');
    expect(s.byName('traefik').task.container.command).toContain('--providers.docker.constraints=Label(`traefik.constraint-label`, `traefik-public`)');
    expect(s.networks.specs.map((n) => n.annotations.name)).toEqual([]);
    expect(s.warnings).toEqual([]);
  });
  it('takes the hash from the environment when it is set', () => {
    const set = stack('traefik-basic-auth.yml', 'traefik', { DOMAIN: 'd', HASHED_PASSWORD: '$apr1$x$y' });
    expect(set.byName('traefik').annotations.labels['traefik.http.middlewares.admin-auth.basicauth.users']).toBe('admin:$apr1$x$y');
  });
  it('needs DOMAIN', () => {
    expect(() => stack('traefik-basic-auth.yml', 'traefik')).toThrow('required variable DOMAIN is missing a value: Variable not set');
  });
});

describe('wordpress stack', () => {
  const s = stack('wordpress.yml', 'wp');
  it('uses the external volume by its name and creates the rest', () => {
    expect(s.byName('db').task.container.mounts).toEqual([{ type: 'volume', source: 'wordpress-db-data', target: '/var/lib/mysql', readOnly: false }]);
    expect(s.byName('wordpress').task.container.mounts[0]!.source).toBe('wp_wp_content');
    expect(s.byName('wordpress').mode).toEqual({ kind: 'replicated', replicas: 2 });
    expect(s.byName('wordpress').endpoint.ports).toEqual([{ protocol: 'tcp', targetPort: 80, publishedPort: 8000, publishMode: 'ingress' }]);
    expect(s.networks.specs.map((n) => n.annotations.name)).toEqual(['wp_backend']);
    expect(s.warnings).toEqual(['Options not yet supported by shoal, ignored: deploy.update_config, secrets']);
  });
});

/** Every stack the tests carry, with the variables each one requires. */
const CARRIED: Record<string, Record<string, string>> = {
  'voting-app.yml': { DB_PASSWORD: 'p' },
  'traefik-basic-auth.yml': { DOMAIN: 'example.org' },
};

describe('every real-world stack the tests carry', () => {
  const fixtures = readdirSync(new URL('./fixtures/', import.meta.url)).filter((n) => n.endsWith('.yml'));
  const examples = new URL('../../../../examples/', import.meta.url);
  it.each(fixtures)('%s loads and converts', (name) => {
    const { project } = loadCompose([file(fixture(name), name)], CARRIED[name] ?? {});
    expect(toServiceSpecs(project, 'st').services.length).toBeGreaterThan(0);
  });
  it.each(readdirSync(examples))('examples/%s/compose.yml loads and converts', (dir) => {
    const text = readFileSync(new URL(`${dir}/compose.yml`, examples));
    expect(toServiceSpecs(loadCompose([file(text)], {}).project, 'st').services.length).toBeGreaterThan(0);
  });
});

describe('renderConfig', () => {
  it('prints the merged, interpolated project as YAML that loads back the same', () => {
    const { project } = loadCompose([file(fixture('traefik.yml'), 'traefik.yml')], { DOMAIN: 'example.org' });
    const text = renderConfig(project);
    expect(text).toContain('Host(`whoami.example.org`)');
    expect(text).not.toContain('${');
    expect(text.startsWith('version: "3.9"\n')).toBe(true);
    const again = loadCompose([file(text)], {}).project;
    expect(again.services).toEqual(project.services);
    expect(again.networks).toEqual(project.networks);
  });
  it('writes $ as $$ so the output loads back to the same values', () => {
    const { project } = loadCompose([file(fixture('monitoring.yml'), 'monitoring.yml')], {});
    const text = renderConfig(project);
    expect(text).toContain('etc)($$|/)');
    expect(loadCompose([file(text)], {}).project.services).toEqual(project.services);
  });
  it('quotes strings YAML 1.1 would read as something else, and sorts services', () => {
    const { project } = loadCompose([file('services:\n  z:\n    image: a\n    environment:\n      DEBUG: "yes"\n      MODE: "0440"\n  a:\n    image: b\n')], {});
    const text = renderConfig(project);
    expect(text.indexOf('  a:')).toBeLessThan(text.indexOf('  z:'));
    expect(loadCompose([file(text)], {}).project.services.z!.environment).toEqual({ DEBUG: 'yes', MODE: '0440' });
  });
});
