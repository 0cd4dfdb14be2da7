import type { PortConfig, PortProtocol, PublishMode } from '@shoal/common';
import { parseCount } from './key-value.js';

function protocol(text: string, spec: string): PortProtocol {
  const p = text.toLowerCase();
  if (p !== 'tcp' && p !== 'udp') throw new Error(`invalid publish "${spec}": protocol must be tcp or udp`);
  return p;
}

function port(text: string, spec: string): number {
  const n = parseCount(text, `port in publish "${spec}"`);
  if (n > 65535) throw new Error(`invalid publish "${spec}": port ${n} is out of range`);
  return n;
}

/** The long form: `mode=host,published=8080,target=80,protocol=udp`. */
function parseLong(spec: string): PortConfig {
  const out: PortConfig = { protocol: 'tcp', targetPort: 0, publishedPort: 0, publishMode: 'ingress' };
  for (const field of spec.split(',')) {
    const [k, v = ''] = field.split('=', 2) as [string, string?];
    switch (k.trim().toLowerCase()) {
      case 'mode':
        if (v !== 'ingress' && v !== 'host') throw new Error(`invalid publish "${spec}": mode must be ingress or host`);
        out.publishMode = v as PublishMode;
        break;
      case 'published':
        out.publishedPort = port(v, spec);
        break;
      case 'target':
        out.targetPort = port(v, spec);
        break;
      case 'protocol':
        out.protocol = protocol(v, spec);
        break;
      default:
        throw new Error(`invalid publish "${spec}": unknown field "${k}"`);
    }
  }
  if (out.targetPort === 0) throw new Error(`invalid publish "${spec}": missing target port`);
  return out;
}

/** `-p 8080:80`, `-p 8080:80/udp`, `-p 80` or the long `mode=..,published=..,target=..` form. */
export function parsePublish(spec: string): PortConfig {
  if (spec.includes('=')) return parseLong(spec);
  const [ports = '', proto = 'tcp'] = spec.split('/', 2);
  const parts = ports.split(':');
  if (parts.length > 2) throw new Error(`invalid publish "${spec}": use PUBLISHED:TARGET[/PROTOCOL]`);
  const target = port(parts[parts.length - 1]!, spec);
  const published = parts.length === 2 ? port(parts[0]!, spec) : 0;
  return { protocol: protocol(proto, spec), targetPort: target, publishedPort: published, publishMode: 'ingress' };
}
