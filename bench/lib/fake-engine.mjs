// What the loopback managers' own agents see instead of Docker Engine and iptables: an engine
// that has no containers and no networks (managers are drained, so they run no tasks), and
// iptables commands that do nothing. Nothing on the host is touched.
import { createServer } from 'node:http';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const INFO = { Name: 'loopback', OSType: 'linux', Architecture: 'x86_64', NCPU: 2, MemTotal: 2 ** 31, ServerVersion: 'fake', Labels: [] };

/** Serves a Docker Engine API with nothing in it on a unix socket; resolves with { url, close }. */
export async function serveEmptyEngine(socketPath) {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').replace(/^\/v[\d.]+/, '').split('?')[0];
    const body = path === '/info' ? INFO : path === '/version' ? { Version: 'fake', ApiVersion: '1.43' } : path === '/containers/json' || path === '/networks' ? [] : undefined;
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { message: `not in the loopback engine: ${path}` }));
  });
  await new Promise((resolve, reject) => server.listen(socketPath, resolve).once('error', reject));
  return { url: `unix://${socketPath}`, close: () => new Promise((r) => server.close(r)) };
}

/** A directory of no-op iptables, iptables-save and iptables-restore, to put first on PATH. */
export function noopIptablesDir(dir) {
  mkdirSync(dir, { recursive: true });
  const scripts = { iptables: 'exit 0', 'iptables-save': 'exit 0', 'iptables-restore': 'cat >/dev/null; exit 0' };
  for (const [name, body] of Object.entries(scripts)) {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
  }
  return dir;
}
