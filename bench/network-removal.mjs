// Part of npm run bench:network (network-netns.mjs): how long a task that stops stays in the
// cluster's DNS and VIP rules. A back-end container is killed on its host; then, on every node at
// once, a poller asks the node's DNS server (the network's gateway, from inside a task container's
// namespace) for `tasks.SERVICE` and reads the NAT rules of that container's namespace
// (iptables-save, nft), until the killed task's address is in neither. The figure is the time from
// the kill to the last node clean. Measures, never asserts.
import { check, run, sleep } from '../e2e/harness/exec.ts';

/** Give up on a node after this long (the service's restart delay must be longer, see network-netns.mjs). */
const GIVE_UP_MS = 8_000;
/** Pause between two looks at a node: each look is 3-4 short processes, on a machine of 2 cores. */
const POLL_PAUSE_MS = 25;

/** `docker` on a netns host's own engine; stdout. */
export const dockerOn = (h, ...args) => check('docker', ['-H', h.layout.docker.url, ...args]);

/** Running containers of a service on every host: { host, id, pid, addr } (addr on `network`). */
export async function tasksOf(hosts, service, network) {
  const per = await Promise.all(
    hosts.map(async (host) => {
      const ids = (await dockerOn(host, 'ps', '-q', '--filter', `label=io.shoal.service.name=${service}`, '--filter', 'status=running')).split('\n').filter(Boolean);
      return Promise.all(
        ids.map(async (id) => {
          const f = `{{.State.Pid}} {{with index .NetworkSettings.Networks "${network}"}}{{.IPAddress}}{{end}}`;
          const [pid, addr] = (await dockerOn(host, 'inspect', '-f', f, id)).trim().split(' ');
          return { host, id, pid: Number(pid), addr };
        }),
      );
    }),
  );
  // a container not (yet) on the network has no address there: not a task of the network yet
  return per.flat().filter((t) => t.addr);
}

const mentions = (text, addr) => new RegExp(`(^|[^\\d.])${addr.replace(/\./g, '\\.')}(?![\\d])`, 'm').test(text);

/** Is `addr` in the node's DNS answer for `name` and in the NAT rules of the caller's namespace? */
export async function seenBy(caller, gateway, name, addr) {
  const script = `busybox nslookup -type=a ${name} ${gateway} 2>&1; echo ---RULES---; iptables-save -t nat 2>/dev/null; nft list ruleset 2>/dev/null`;
  const r = await run('nsenter', [`--net=/proc/${caller.pid}/ns/net`, 'sh', '-c', script], { timeoutMs: 10_000 });
  const [dns = '', rules = ''] = r.stdout.split('---RULES---');
  const answers = [...dns.matchAll(/^Address:\s*(\d+\.\d+\.\d+\.\d+)\s*$/gm)].map((m) => m[1]);
  return { dns: answers.includes(addr), rules: mentions(rules, addr) };
}

/** Date.now() when `addr` left the caller's DNS answers and its rules ({dns, rules}; undefined after GIVE_UP_MS). */
async function goneAt(caller, gateway, name, addr, t0) {
  const at = { dns: undefined, rules: undefined };
  while (Date.now() - t0 < GIVE_UP_MS) {
    const s = await seenBy(caller, gateway, name, addr);
    const now = Date.now();
    if (!s.dns) at.dns ??= now;
    if (!s.rules) at.rules ??= now;
    if (at.dns !== undefined && at.rules !== undefined) break;
    await sleep(POLL_PAUSE_MS);
  }
  return at;
}

/** ms from t0 to the last node's time (Infinity when a node gave up). */
const lastOf = (times, t0) => (times.some((t) => t === undefined) ? Infinity : Math.max(...times) - t0);

/**
 * One run: waits until every caller sees both back ends, kills one, and returns the ms from the
 * kill until the last caller's node no longer has it, in DNS and in VIP rules (Infinity when one
 * gave up): {both, dns, rules}.
 */
export async function removalOnce({ hosts, callers, gateway, service, shortName, network, replicas }) {
  let victim;
  for (let i = 0; ; i++) {
    const tasks = await tasksOf(hosts, service, network);
    if (tasks.length === replicas) {
      victim = tasks[0];
      const seen = await Promise.all(callers.map((c) => seenBy(c, gateway, `tasks.${shortName}`, victim.addr)));
      if (seen.every((s) => s.dns && s.rules)) break;
      if (i > 100) throw new Error(`task ${victim.addr} of ${service} is not in every node's DNS and VIP rules: ${JSON.stringify(seen)}`);
    } else if (i > 100) throw new Error(`${service} has ${tasks.length} running tasks, expected ${replicas}`);
    await sleep(200);
  }
  await dockerOn(victim.host, 'kill', victim.id);
  const t0 = Date.now();
  const done = await Promise.all(callers.map((c) => goneAt(c, gateway, `tasks.${shortName}`, victim.addr, t0)));
  const dns = lastOf(done.map((d) => d.dns), t0);
  const rules = lastOf(done.map((d) => d.rules), t0);
  return { both: Math.max(dns, rules), dns, rules };
}
