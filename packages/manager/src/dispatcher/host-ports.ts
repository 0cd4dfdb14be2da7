import { invalidArgument, MAX_HOST_PORTS, MAX_HOST_PROCESS_NAME, type HostPort } from '@shoal/common';

/** What a worker sends for one port (the proto message's fields, unchecked). */
export interface HostPortInput {
  port: number;
  protocol: string;
  process: string;
  pid: number;
}

/** Linux's largest PID (pid_max is at most 2^22). */
const MAX_PID = 4_194_304;

function checkOne(p: HostPortInput, i: number): HostPort {
  if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65_535) throw invalidArgument(`host port ${i}: port ${p.port} is not in 1-65535`);
  if (p.protocol !== 'tcp' && p.protocol !== 'udp') throw invalidArgument(`host port ${i}: protocol must be tcp or udp`);
  if (!Number.isInteger(p.pid) || p.pid < 0 || p.pid > MAX_PID) throw invalidArgument(`host port ${i}: pid ${p.pid} is out of range`);
  if (typeof p.process !== 'string' || p.process.length > MAX_HOST_PROCESS_NAME) throw invalidArgument(`host port ${i}: process name longer than ${MAX_HOST_PROCESS_NAME} characters`);
  // The name is shown to users in one error line: no control characters.
  const process = p.process.replace(/[\u0000-\u001f\u007f]/g, '?');
  return { port: p.port, protocol: p.protocol, process, pid: p.pid };
}

const key = (p: HostPort) => `${p.protocol}/${p.port}`;

/**
 * A worker's report of the ports its host's processes listen on, checked at the dispatcher edge
 * (bounded count, ports, protocols, PIDs, name lengths) and put in a canonical order, one entry
 * per protocol and port. Throws INVALID_ARGUMENT for a malformed report.
 */
export function checkHostPorts(input: readonly HostPortInput[]): HostPort[] {
  if (input.length > MAX_HOST_PORTS) throw invalidArgument(`too many host ports reported (${input.length}; at most ${MAX_HOST_PORTS})`);
  const byKey = new Map<string, HostPort>();
  input.forEach((p, i) => {
    const checked = checkOne(p, i);
    if (!byKey.has(key(checked))) byKey.set(key(checked), checked);
  });
  return [...byKey.values()].sort((a, b) => a.port - b.port || (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0));
}

/** Whether two canonical reports say the same (so the store is written only on change). */
export function sameHostPorts(a: readonly HostPort[] | undefined, b: readonly HostPort[]): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b);
}
