import type { EndpointMode, NetworkAttachment } from '@shoal/common';

/** Aliases one attachment may carry (each is a DNS name on the network). */
export const MAX_NETWORK_ALIASES = 32;

/**
 * `--network NAME`, or Docker's long form `--network name=NAME,alias=A[,alias=B]` (`target` is
 * accepted for `name`). The name may be a network's name or ID; the manager resolves it.
 */
export function parseNetworkAttachment(text: string): NetworkAttachment {
  if (!text.includes('=')) {
    if (text.trim() === '') throw new Error('invalid --network "": give a network name or ID');
    return { target: text.trim(), aliases: [] };
  }
  let target = '';
  const aliases: string[] = [];
  for (const field of text.split(',')) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? '' : field.slice(eq + 1).trim();
    if (value === '') throw new Error(`invalid --network "${text}": ${key || 'a field'} needs a value (use name=NET,alias=NAME)`);
    if (key === 'name' || key === 'target') target = value;
    else if (key === 'alias') aliases.push(value);
    else throw new Error(`invalid --network "${text}": unknown field "${key}" (use name=NET,alias=NAME)`);
  }
  if (!target) throw new Error(`invalid --network "${text}": name=NET is required`);
  if (aliases.length > MAX_NETWORK_ALIASES) throw new Error(`invalid --network "${text}": ${aliases.length} aliases; the limit is ${MAX_NETWORK_ALIASES}`);
  return { target, aliases: [...new Set(aliases)] };
}

/** Every network at most once, as Docker refuses a service attached twice to one network. */
export function checkDistinctNetworks(attachments: readonly NetworkAttachment[]): NetworkAttachment[] {
  const seen = new Set<string>();
  for (const a of attachments) {
    if (seen.has(a.target)) throw new Error(`network ${a.target} is given more than once`);
    seen.add(a.target);
  }
  return [...attachments];
}

export function parseEndpointMode(text: string): EndpointMode {
  if (text !== 'vip' && text !== 'dnsrr') throw new Error(`invalid endpoint mode "${text}": use vip or dnsrr`);
  return text;
}
