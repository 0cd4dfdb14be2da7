// What the loopback managers' own agents see instead of Docker Engine, iptables and ip: an engine
// that has no containers (managers are drained, so they run no tasks) and keeps the networks it
// is asked to create (the ingress network's local half), and iptables, ip and bridge commands that
// do nothing. Nothing on the host is touched. A network the agent could not create was retried
// over and over, each pass spawning `ip` from a manager of hundreds of MB: 40 % of the leader's
// CPU with 200 hollow nodes.
import { createServer } from 'node:http';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const INFO = { Name: 'loopback', OSType: 'linux', Architecture: 'x86_64', NCPU: 2, MemTotal: 2 ** 31, ServerVersion: 'fake', Labels: [] };

/** Serves a Docker Engine API with nothing in it on a unix socket; resolves with { url, close }. */
export async function serveEmptyEngine(socketPath) {
  const networks = new Map();
  const server = createServer((req, res) => {
    const path = (req.url ?? '').replace(/^\/v[\d.]+/, '').split('?')[0];
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const [status, body] = answer(req.method, path, text, networks);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 204 ? undefined : JSON.stringify(body ?? { message: `not in the loopback engine: ${path}` }));
    });
  });
  await new Promise((resolve, reject) => server.listen(socketPath, resolve).once('error', reject));
  return { url: `unix://${socketPath}`, close: () => new Promise((r) => server.close(r)) };
}

/** [status, body] for one Engine API call: info, version, no containers, networks kept in `networks` (at most 64). */
function answer(method, path, text, networks) {
  if (path === '/info') return [200, INFO];
  if (path === '/version') return [200, { Version: 'fake', ApiVersion: '1.43' }];
  if (path === '/containers/json') return [200, []];
  if (path === '/networks') return [200, [...networks.values()]];
  if (path === '/networks/create' && method === 'POST' && networks.size < 64) {
    const b = JSON.parse(text || '{}');
    const id = `fake${String(networks.size + 1).padStart(60, '0')}`;
    networks.set(id, { Id: id, Name: b.Name, Driver: b.Driver ?? 'bridge', Internal: b.Internal ?? false, IPAM: b.IPAM ?? {}, Options: b.Options ?? {}, Labels: b.Labels ?? {}, Containers: {} });
    return [201, { Id: id, Warning: '' }];
  }
  const m = /^\/networks\/([^/]+)$/.exec(path);
  const net = m && [...networks.values()].find((n) => n.Id === m[1] || n.Name === m[1]);
  if (net && method === 'DELETE') {
    networks.delete(net.Id);
    return [204, undefined];
  }
  if (net) return [200, net];
  return [404, undefined];
}

/** A directory of no-op iptables, iptables-save, iptables-restore, ip and bridge, to put first on PATH. */
export function noopIptablesDir(dir) {
  mkdirSync(dir, { recursive: true });
  const scripts = { iptables: 'exit 0', 'iptables-save': 'exit 0', 'iptables-restore': 'cat >/dev/null; exit 0', ip: 'cat >/dev/null; exit 0', bridge: 'cat >/dev/null; exit 0' };
  for (const [name, body] of Object.entries(scripts)) {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
  }
  return dir;
}
