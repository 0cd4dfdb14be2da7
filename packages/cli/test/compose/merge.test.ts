import { describe, expect, it } from 'vitest';
import { loadCompose, toServiceSpecs } from '../../src/compose/index.js';
import { file } from './helpers.js';

const base = `
version: "3.8"
services:
  web:
    image: "nginx:1.25"
    command: ["nginx", "-g", "daemon off;"]
    environment:
      - LOG=info
      - MODE=dev
    labels:
      tier: front
    ports:
      - "8080:80"
      - "443:443"
    volumes:
      - ./html:/usr/share/nginx/html:ro
      - cache:/var/cache/nginx
    deploy:
      replicas: 1
      labels: [owner=web-team]
      placement:
        constraints: [node.role == worker]
volumes:
  cache: {}
`;
const override = `
version: "3.9"
services:
  web:
    image: "nginx:1.27"
    command: nginx-debug
    environment:
      MODE: prod
      EXTRA: "1"
    labels: [tier=edge, team=ops]
    ports:
      - published: 8081
        target: 80
    volumes:
      - /srv/html:/usr/share/nginx/html
    deploy:
      replicas: 3
      labels: {cost: low}
  worker:
    image: busybox
`;

describe('merging several files', () => {
  const { project } = loadCompose([file(base), file(override, 'compose.prod.yml')], {});
  const web = project.services.web!;

  it('lets later scalars and lists win', () => {
    expect(project.version).toBe('3.9');
    expect(web.image).toBe('nginx:1.27');
    expect(web.command).toBe('nginx-debug');
    expect(project.services.worker!.image).toBe('busybox');
  });
  it('merges environment and labels by key, in either form', () => {
    expect(web.environment).toEqual({ LOG: 'info', MODE: 'prod', EXTRA: '1' });
    expect(web.labels).toEqual({ tier: 'edge', team: 'ops' });
    expect(web.deploy!.labels).toEqual({ owner: 'web-team', cost: 'low' });
  });
  it('merges ports and volumes by target', () => {
    expect(web.ports).toEqual(['443:443', { published: 8081, target: 80 }]);
    expect(web.volumes).toEqual(['cache:/var/cache/nginx', '/srv/html:/usr/share/nginx/html']);
  });
  it('merges deploy as a mapping', () => {
    expect(web.deploy!.replicas).toBe(3);
    expect(web.deploy!.placement).toEqual({ constraints: ['node.role == worker'] });
    const spec = toServiceSpecs(project, 'site').services.find((s) => s.annotations.name === 'site_web')!;
    expect(spec.mode).toEqual({ kind: 'replicated', replicas: 3 });
    expect(spec.endpoint.ports.map((p) => `${p.publishedPort}:${p.targetPort}`)).toEqual(['443:443', '8081:80']);
  });
  it('resolves relative paths against the first file', () => {
    const { project: p } = loadCompose([file(base)], {});
    expect(p.services.web!.volumes![0]).toBe('/srv/app/html:/usr/share/nginx/html:ro');
  });
});
