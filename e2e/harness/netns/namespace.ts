import { check, run, type RunResult } from '../exec.js';
import { linkExists } from './bridge.js';
import { BRIDGE, GATEWAY, SUBNET, type HostLayout } from './layout.js';

/**
 * A host's network namespace: a veth pair whose outer end is a port of the bridge, the host's
 * address on the inner end, loopback, and a default route via the bridge's address.
 */

/** Runs a command in the host's network namespace (nsenter --net keeps this machine's /sys and cgroups, unlike `ip netns exec`). */
export function runIn(layout: HostLayout, cmd: string, args: string[], opts: Parameters<typeof run>[2] = {}): Promise<RunResult> {
  return run('nsenter', [`--net=${layout.netnsPath}`, cmd, ...args], opts);
}

export function checkIn(layout: HostLayout, cmd: string, args: string[], opts: Parameters<typeof run>[2] = {}): Promise<string> {
  return check('nsenter', [`--net=${layout.netnsPath}`, cmd, ...args], opts);
}

export async function createNamespace(layout: HostLayout): Promise<void> {
  await check('ip', ['netns', 'add', layout.namespace]);
  await check('ip', ['link', 'add', 'name', layout.veth, 'type', 'veth', 'peer', 'name', layout.innerIf, 'netns', layout.namespace]);
  await check('ip', ['link', 'set', 'dev', layout.veth, 'master', BRIDGE]);
  await check('ip', ['link', 'set', 'dev', layout.veth, 'up']);
  await checkIn(layout, 'ip', ['link', 'set', 'dev', 'lo', 'up']);
  await checkIn(layout, 'ip', ['addr', 'add', `${layout.addr}/${SUBNET.split('/')[1]}`, 'dev', layout.innerIf]);
  await checkIn(layout, 'ip', ['link', 'set', 'dev', layout.innerIf, 'up']);
  await checkIn(layout, 'ip', ['route', 'add', 'default', 'via', GATEWAY]);
  // dockerd turns forwarding on by itself; shoald's routing mesh and overlay need it whether or not dockerd runs
  await checkIn(layout, 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
}

/** Sets the bridge-side end of the host's veth down (`cut`) or up (`heal`). */
export async function setLink(layout: HostLayout, up: boolean): Promise<void> {
  await check('ip', ['link', 'set', 'dev', layout.veth, up ? 'up' : 'down']);
}

export async function isLinkUp(layout: HostLayout): Promise<boolean> {
  const out = await check('ip', ['-o', 'link', 'show', 'dev', layout.veth]);
  return /<[^>]*\bUP\b[^>]*>/.test(out);
}

/** Deletes the namespace (which takes the veth pair with it) and the outer veth end if it stayed. */
export async function deleteNamespace(name: string, veth?: string): Promise<void> {
  await run('ip', ['netns', 'delete', name]);
  if (veth && (await linkExists(veth))) await run('ip', ['link', 'del', 'dev', veth]);
}
