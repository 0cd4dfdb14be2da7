import { check, run } from '../exec.js';
import { BRIDGE, GATEWAY, SUBNET } from './layout.js';

/**
 * The bridge on this machine that joins the hosts' namespaces, and the FORWARD rule that lets
 * traffic cross it: a `dockerd` on this machine sets the FORWARD policy to DROP, and with
 * br_netfilter loaded bridged frames pass through that chain too.
 */
const FORWARD_RULE = ['FORWARD', '-i', BRIDGE, '-o', BRIDGE, '-j', 'ACCEPT'];

export async function linkExists(name: string): Promise<boolean> {
  return (await run('ip', ['link', 'show', 'dev', name])).code === 0;
}

/** Creates the bridge with the gateway address and brings it up; keeps an existing one. */
export async function ensureBridge(): Promise<void> {
  if (!(await linkExists(BRIDGE))) await check('ip', ['link', 'add', 'name', BRIDGE, 'type', 'bridge', 'stp_state', '0']);
  const addrs = await check('ip', ['-o', '-4', 'addr', 'show', 'dev', BRIDGE]);
  const cidr = `${GATEWAY}/${SUBNET.split('/')[1]}`;
  if (!addrs.includes(` ${cidr} `)) await check('ip', ['addr', 'add', cidr, 'dev', BRIDGE]);
  await check('ip', ['link', 'set', 'dev', BRIDGE, 'up']);
}

export async function removeBridge(): Promise<void> {
  if (await linkExists(BRIDGE)) await check('ip', ['link', 'del', 'dev', BRIDGE]);
}

/** Inserts the ACCEPT rule at the top of FORWARD unless it is already there (checked with -C). */
export async function ensureForwardRule(): Promise<void> {
  if ((await run('iptables', ['-w', '-C', ...FORWARD_RULE])).code !== 0) await check('iptables', ['-w', '-I', ...FORWARD_RULE]);
}

/** Deletes every copy of the rule. */
export async function removeForwardRule(): Promise<void> {
  for (let i = 0; i < 20 && (await run('iptables', ['-w', '-C', ...FORWARD_RULE])).code === 0; i++) {
    await check('iptables', ['-w', '-D', ...FORWARD_RULE]);
  }
}
