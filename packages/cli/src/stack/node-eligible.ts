import type { Node } from '@shoal/common';

const ARCH: Record<string, string> = { x86_64: 'amd64', aarch64: 'arm64', armhf: 'arm', armv7l: 'arm' };
const arch = (a: string) => ARCH[a.toLowerCase()] ?? a.toLowerCase();

function attribute(node: Node, key: string): string | undefined {
  const k = key.toLowerCase();
  if (k.startsWith('node.labels.')) return node.spec.annotations.labels[key.slice('node.labels.'.length)];
  if (k.startsWith('engine.labels.')) return node.description.engineLabels[key.slice('engine.labels.'.length)];
  const fixed: Record<string, string> = {
    'node.id': node.id,
    'node.hostname': node.description.hostname,
    'node.role': node.spec.role,
    'node.platform.os': node.description.platform.os,
    'node.platform.arch': arch(node.description.platform.architecture),
  };
  return fixed[k];
}

/** Whether a node satisfies one `KEY==VALUE` / `KEY!=VALUE` constraint (values case-insensitive). */
function satisfies(node: Node, expression: string): boolean {
  const m = /^\s*([^!=\s]+)\s*(==|!=)\s*(.+?)\s*$/.exec(expression);
  if (!m) return true;
  const [, key, op, raw] = m as unknown as [string, string, string, string];
  const value = key.toLowerCase() === 'node.platform.arch' ? arch(raw) : raw.toLowerCase();
  const actual = attribute(node, key)?.toLowerCase();
  return op === '==' ? actual === value : actual !== value;
}

/** The nodes a global service runs a task on: ready, active and matching its constraints. */
export function eligibleNodes(nodes: readonly Node[], constraints: readonly string[]): Node[] {
  return nodes.filter((n) => n.status.state === 'ready' && n.spec.availability === 'active' && constraints.every((c) => satisfies(n, c)));
}
