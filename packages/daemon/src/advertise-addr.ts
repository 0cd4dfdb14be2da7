import { networkInterfaces } from 'node:os';
import { invalidArgument } from '@shoal/common';

const DEFAULT_PORT = 4242;

/** Splits "ADDR[:PORT]" (or an interface name) into host and port, Docker-style. */
export function parseAddr(value: string, defaultPort = DEFAULT_PORT): { host: string; port: number } {
  const m = /^(.*?)(?::(\d+))?$/.exec(value.trim());
  const host = m?.[1] ?? '';
  const port = m?.[2] ? Number(m[2]) : defaultPort;
  if (!host || port < 1 || port > 65535) throw invalidArgument(`invalid address "${value}": expected ADDR[:PORT]`);
  const iface = networkInterfaces()[host];
  if (iface) {
    const v4 = iface.find((a) => a.family === 'IPv4');
    if (!v4) throw invalidArgument(`interface ${host} has no IPv4 address`);
    return { host: v4.address, port };
  }
  return { host, port };
}

/**
 * The address other nodes reach this one at. Like Docker: the --advertise-addr if given; else the
 * single non-loopback IPv4 address; several candidates need the user to choose.
 */
export function chooseAdvertiseAddr(flag: string, listenAddr: string): string {
  const listen = parseAddr(listenAddr || `0.0.0.0:${DEFAULT_PORT}`);
  if (flag) {
    const a = parseAddr(flag, listen.port);
    return `${a.host}:${a.port}`;
  }
  if (listen.host !== '0.0.0.0') return `${listen.host}:${listen.port}`;
  const candidates = Object.entries(networkInterfaces()).flatMap(([name, addrs]) =>
    (addrs ?? []).filter((a) => a.family === 'IPv4' && !a.internal && !isContainerBridge(name)).map((a) => `${a.address} on ${name}`),
  );
  if (candidates.length === 1) return `${candidates[0]!.split(' ')[0]}:${listen.port}`;
  if (candidates.length === 0) return `127.0.0.1:${listen.port}`;
  throw invalidArgument(
    `could not choose an IP address to advertise since this system has multiple addresses (${candidates.join(', ')}): use --advertise-addr`,
  );
}

function isContainerBridge(name: string): boolean {
  return name === 'docker0' || name.startsWith('br-') || name.startsWith('veth');
}
