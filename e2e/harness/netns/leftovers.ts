import { existsSync, readdirSync, rmSync } from 'node:fs';
import { check, run } from '../exec.js';
import { removeBridge, removeForwardRule } from './bridge.js';
import { stopDockerd } from './dockerd.js';
import { BRIDGE, DATA_ROOT, HOST_DIR_PATTERN, LOG_ROOT, NAMESPACE_PATTERN, NETNS_DIR, RUN_ROOT, VETH_PATTERN, hostLayout, type HostLayout } from './layout.js';
import { mountsUnder, unmountAllUnder } from './mounts.js';
import { deleteNamespace } from './namespace.js';
import { listProcesses, namespaceInode, selfAndAncestors, stopProcesses, type ProcessInfo } from './processes.js';

/**
 * Removes whatever an earlier run of the netns provider left on this machine. Processes die when
 * a session ends, but namespaces, links, mounts and netfilter rules stay (DESIGN §7). Only what
 * this provider names is touched: namespaces `shoal-e2e-h<N>` (not other `shoal-e2e-*`), veths
 * `shoalv-h<N>`, the bridge, its FORWARD rule, /run/shoal-e2e, /var/lib/shoal-e2e and
 * /tmp/shoal-e2e/h<N>. Safe to run when nothing is left.
 */
export async function clearNetnsLeftovers(opts: { keepLogs?: boolean } = {}): Promise<void> {
  await stopLeftoverProcesses();
  await unmountAllUnder([RUN_ROOT, DATA_ROOT]);
  for (const ns of await leftoverNamespaces()) await deleteNamespace(ns);
  // a namespace file that `ip netns delete` could not remove (e.g. not a mount any more)
  for (const f of dirEntries(NETNS_DIR).filter((n) => NAMESPACE_PATTERN.test(n))) {
    await run('umount', ['-l', `${NETNS_DIR}/${f}`]);
    rmSync(`${NETNS_DIR}/${f}`, { force: true });
  }
  for (const veth of await leftoverVeths()) await run('ip', ['link', 'del', 'dev', veth]);
  await removeBridge();
  await removeForwardRule();
  rmSync(RUN_ROOT, { recursive: true, force: true });
  rmSync(DATA_ROOT, { recursive: true, force: true });
  if (!opts.keepLogs) for (const d of dirEntries(LOG_ROOT).filter((n) => HOST_DIR_PATTERN.test(n))) rmSync(`${LOG_ROOT}/${d}`, { recursive: true, force: true });
}

/** What is left of the provider on this machine; all empty after clearNetnsLeftovers(). */
export async function netnsLeftovers(): Promise<{ processes: ProcessInfo[]; namespaces: string[]; links: string[]; mounts: string[]; forwardRule: boolean }> {
  const links = (await linkNames()).filter((n) => VETH_PATTERN.test(n) || n === BRIDGE);
  const forwardRule = (await run('iptables', ['-w', '-S', 'FORWARD'])).stdout.includes(`-i ${BRIDGE} -o ${BRIDGE} -j ACCEPT`);
  return {
    processes: harnessProcesses(),
    namespaces: await leftoverNamespaces(),
    links,
    mounts: mountsUnder([RUN_ROOT, DATA_ROOT]).map((m) => m.mountPoint),
    forwardRule,
  };
}

/** Host layouts whose folders an earlier run left under /run/shoal-e2e. */
function leftoverLayouts(): HostLayout[] {
  return dirEntries(RUN_ROOT)
    .filter((n) => HOST_DIR_PATTERN.test(n))
    .map((n) => hostLayout(Number(n.slice(1))));
}

/**
 * Stops engines that still answer the polite way (containers removed first, then SIGTERM), then
 * every process the provider started, found by what it is rather than by a handle.
 */
async function stopLeftoverProcesses(): Promise<void> {
  await Promise.all(leftoverLayouts().map((l) => stopDockerd(l).catch(() => undefined)));
  for (let round = 0; round < 3; round++) {
    const procs = harnessProcesses();
    if (procs.length === 0) return;
    await stopProcesses(
      procs.map((p) => p.pid),
      round === 0 ? 'SIGTERM' : 'SIGKILL',
      5_000,
    );
  }
  const left = harnessProcesses();
  if (left.length) throw new Error(`could not stop: ${left.map((p) => `${p.pid} ${p.argv.join(' ')}`).join('; ')}`);
}

/**
 * Processes of the provider: those whose command line names its run or data folders (dockerd,
 * containerd, shims, shoald), a shim in one of its containerd namespaces, and anything living in
 * one of its network namespaces (docker-proxy, containers with host networking) or in the
 * network namespace of one of its engines' containers (their nsfs files are mounted under the
 * exec roots).
 */
export function harnessProcesses(): ProcessInfo[] {
  const namespaces = new Set<number>();
  for (const n of dirEntries(NETNS_DIR).filter((x) => NAMESPACE_PATTERN.test(x))) {
    const ino = namespaceInode(`${NETNS_DIR}/${n}`);
    if (ino !== undefined) namespaces.add(ino);
  }
  for (const m of mountsUnder([RUN_ROOT])) {
    if (m.fsType !== 'nsfs') continue;
    const ino = namespaceInode(m.mountPoint);
    if (ino !== undefined) namespaces.add(ino);
  }
  const never = selfAndAncestors();
  const named = (argv: string[]) =>
    argv.some((a) => a.includes(`${RUN_ROOT}/h`) || a.includes(`${DATA_ROOT}/h`)) ||
    argv.some((a, i) => a === '-namespace' && /^shoal-e2e-h\d+/.test(argv[i + 1] ?? ''));
  return listProcesses().filter((p) => !never.has(p.pid) && (named(p.argv) || (p.netns !== undefined && namespaces.has(p.netns))));
}

async function leftoverNamespaces(): Promise<string[]> {
  const out = await run('ip', ['netns', 'list']);
  return out.stdout
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => NAMESPACE_PATTERN.test(n));
}

async function leftoverVeths(): Promise<string[]> {
  return (await linkNames()).filter((n) => VETH_PATTERN.test(n));
}

async function linkNames(): Promise<string[]> {
  const out = await check('ip', ['-o', 'link', 'show']);
  // "7: shoalv-h1@if2: <...>" -> "shoalv-h1"
  return out
    .split('\n')
    .map((l) => l.split(': ')[1]?.split('@')[0] ?? '')
    .filter(Boolean);
}

function dirEntries(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}
