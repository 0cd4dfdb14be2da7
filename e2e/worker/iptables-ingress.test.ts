import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { IptablesIngress } from '@shoal/worker';

/** Needs root, iptables, Docker Engine and shoal/hello (scripts/setup-host.sh). */
const sh = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
const PORT = 18_480;
const containers: string[] = [];
const ingress = new IptablesIngress();
/** A client in its own network namespace, so that its traffic crosses FORWARD like a remote node's. */
const NS = `shoal-e2e-ing-${process.pid}`;
const VETH = `shie${process.pid % 100000}`;

function makeClientNamespace(): void {
  sh('ip', 'netns', 'add', NS);
  sh('ip', 'link', 'add', VETH, 'type', 'veth', 'peer', 'name', `${VETH}p`);
  sh('ip', 'link', 'set', `${VETH}p`, 'netns', NS);
  sh('ip', 'addr', 'add', '10.231.0.1/24', 'dev', VETH);
  sh('ip', 'link', 'set', VETH, 'up');
  sh('ip', 'netns', 'exec', NS, 'ip', 'addr', 'add', '10.231.0.2/24', 'dev', `${VETH}p`);
  sh('ip', 'netns', 'exec', NS, 'ip', 'link', 'set', `${VETH}p`, 'up');
}

function startHello(): { id: string; ip: string; hostname: string } {
  const id = sh('docker', 'run', '-d', '--label', 'io.shoal.e2e=ingress', 'shoal/hello:latest');
  containers.push(id);
  const ip = sh('docker', 'inspect', '-f', '{{.NetworkSettings.IPAddress}}', id);
  const hostname = sh('docker', 'inspect', '-f', '{{.Config.Hostname}}', id);
  return { id, ip, hostname };
}

/** A fresh connection per request (curl), so that the random spread is visible. */
function get(host: string): string {
  return sh('curl', '-s', '--max-time', '3', `http://${host}:${PORT}/`);
}

async function untilAnswers(host: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    try {
      const body = get(host);
      if (body) return body;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no answer on ${host}:${PORT}`);
}

afterAll(async () => {
  await ingress.removeAll();
  try {
    sh('ip', 'netns', 'del', NS);
    sh('ip', 'link', 'del', VETH);
  } catch {
    /* already gone with the namespace */
  }
  if (containers.length) sh('docker', 'rm', '-f', ...containers);
});

describe('IptablesIngress', () => {
  it('routes a published port on localhost to a container, spreads across backends, and cleans up', async () => {
    const a = startHello();
    await ingress.apply({ ports: [{ publishedPort: PORT, protocol: 'tcp', serviceId: 's', backends: [{ ip: a.ip, port: 80, taskId: 'a' }] }] });
    expect(await untilAnswers('127.0.0.1')).toBe(a.hostname);

    const hostIp = sh('sh', '-c', "hostname -I | awk '{print $1}'");
    expect(await untilAnswers(hostIp)).toBe(a.hostname);

    // From another namespace: DNAT in PREROUTING, then FORWARD into docker0 (policy DROP).
    makeClientNamespace();
    expect(sh('ip', 'netns', 'exec', NS, 'curl', '-s', '--max-time', '3', `http://10.231.0.1:${PORT}/`)).toBe(a.hostname);

    const b = startHello();
    await ingress.apply({ ports: [{ publishedPort: PORT, protocol: 'tcp', serviceId: 's', backends: [{ ip: a.ip, port: 80, taskId: 'a' }, { ip: b.ip, port: 80, taskId: 'b' }] }] });
    await untilAnswers('127.0.0.1');
    const seen = new Set<string>();
    for (let i = 0; i < 40 && seen.size < 2; i++) seen.add(get('127.0.0.1'));
    expect(seen).toEqual(new Set([a.hostname, b.hostname]));

    // Applying again keeps one jump per built-in chain.
    await ingress.apply({ ports: [{ publishedPort: PORT, protocol: 'tcp', serviceId: 's', backends: [{ ip: b.ip, port: 80, taskId: 'b' }] }] });
    const nat = sh('iptables-save', '-t', 'nat');
    expect(nat.split('\n').filter((l) => l.includes('-j SHOAL-INGRESS') && l.startsWith('-A PREROUTING'))).toHaveLength(1);

    // The port removed: its chain goes away.
    await ingress.apply({ ports: [] });
    expect(sh('iptables-save', '-t', 'nat')).not.toContain(`SHOAL-SVC-${PORT}-tcp`);

    await ingress.removeAll();
    expect(sh('iptables-save')).not.toContain('SHOAL-');
  });
});
