import { check, run } from './exec.js';

/** Removes what an earlier run may have left: shoal's containers, networks and SHOAL-* netfilter rules. */
export async function clearLeftovers(): Promise<void> {
  const ids = (await check('docker', ['ps', '-aq', '--filter', 'label=io.shoal.task.id'])).split('\n').filter(Boolean);
  if (ids.length) await run('docker', ['rm', '-f', ...ids]);
  const nets = (await check('docker', ['network', 'ls', '-q', '--filter', 'label=io.shoal.managed=true'])).split('\n').filter(Boolean);
  if (nets.length) await run('docker', ['network', 'rm', ...nets]);
  await removeShoalChains();
}

async function removeShoalChains(): Promise<void> {
  for (const table of ['nat', 'filter']) {
    const rules = (await check('iptables-save', ['-t', table])).split('\n');
    for (const line of rules.filter((l) => l.startsWith('-A ') && l.includes('-j SHOAL-') && !l.startsWith('-A SHOAL-'))) {
      await run('iptables', ['-t', table, ...line.replace(/^-A /, '-D ').split(' ')]);
    }
    const chains = rules.filter((l) => l.startsWith(':SHOAL-')).map((l) => l.slice(1).split(' ')[0]!);
    for (const c of chains) await run('iptables', ['-t', table, '-F', c]);
    for (const c of chains) await run('iptables', ['-t', table, '-X', c]);
  }
}

export async function shoalContainers(): Promise<string[]> {
  return (await check('docker', ['ps', '-aq', '--no-trunc', '--filter', 'label=io.shoal.task.id'])).split('\n').filter(Boolean);
}

export async function shoalRules(): Promise<string[]> {
  const out = (await check('iptables-save', [])).split('\n');
  return out.filter((l) => l.includes('SHOAL-'));
}
