import { invalidArgument, type Node } from '@shoal/common';

/**
 * Placement constraints in Docker's syntax: `KEY==VALUE` or `KEY!=VALUE`, where KEY is one of
 * node.id, node.hostname, node.role, node.platform.os, node.platform.arch, node.labels.NAME,
 * engine.labels.NAME. Values compare case-insensitively, as in Docker.
 */
export type ConstraintOperator = '==' | '!=';

export interface Constraint {
  key: string;
  operator: ConstraintOperator;
  value: string;
}

/** Tells whether a node satisfies every constraint it was compiled from. */
export type NodeMatcher = (node: Node) => boolean;

const FIXED_KEYS = ['node.id', 'node.hostname', 'node.role', 'node.platform.os', 'node.platform.arch'];
const LABEL_PREFIXES = ['node.labels.', 'engine.labels.'];

function isSupportedKey(key: string): boolean {
  if (FIXED_KEYS.includes(key.toLowerCase())) return true;
  return LABEL_PREFIXES.some((p) => key.toLowerCase().startsWith(p) && key.length > p.length);
}

/** Parses one expression; throws INVALID_ARGUMENT with a readable message when it is malformed. */
export function parseConstraint(expression: string): Constraint {
  const ne = expression.indexOf('!=');
  const eq = expression.indexOf('==');
  const at = ne >= 0 && (eq < 0 || ne < eq) ? ne : eq;
  if (at < 0) throw invalidArgument(`invalid constraint "${expression}": expected KEY==VALUE or KEY!=VALUE`);
  const key = expression.slice(0, at).trim();
  const value = expression.slice(at + 2).trim();
  if (!isSupportedKey(key)) throw invalidArgument(`invalid constraint "${expression}": unsupported key "${key}"`);
  if (value === '' || value.includes('==') || value.includes('!=')) {
    throw invalidArgument(`invalid constraint "${expression}": bad value "${value}"`);
  }
  return { key, operator: expression.slice(at, at + 2) as ConstraintOperator, value };
}

export function parseConstraints(expressions: readonly string[]): Constraint[] {
  return expressions.map(parseConstraint);
}

const ARCH_ALIASES: Record<string, string> = { x86_64: 'amd64', aarch64: 'arm64', armhf: 'arm', armv7l: 'arm' };

/** Docker and the kernel name architectures differently; compare them in one vocabulary. */
export function normalizeArch(arch: string): string {
  const lower = arch.toLowerCase();
  return ARCH_ALIASES[lower] ?? lower;
}

/**
 * The value of a constraint or spread key on a node; undefined when the node has no such label.
 * Label names keep their case; the fixed keys do not care about it.
 */
export function nodeAttribute(node: Node, key: string): string | undefined {
  const lower = key.toLowerCase();
  if (lower.startsWith('node.labels.')) return node.spec.annotations.labels[key.slice('node.labels.'.length)];
  if (lower.startsWith('engine.labels.')) return node.description.engineLabels[key.slice('engine.labels.'.length)];
  switch (lower) {
    case 'node.id':
      return node.id;
    case 'node.hostname':
      return node.description.hostname;
    case 'node.role':
      return node.spec.role;
    case 'node.platform.os':
      return node.description.platform.os;
    case 'node.platform.arch':
      return node.description.platform.architecture;
    default:
      return undefined;
  }
}

function matchesOne(c: Constraint, node: Node): boolean {
  const raw = nodeAttribute(node, c.key) ?? '';
  const isArch = c.key.toLowerCase() === 'node.platform.arch';
  const have = isArch ? normalizeArch(raw) : raw.toLowerCase();
  const want = isArch ? normalizeArch(c.value) : c.value.toLowerCase();
  return c.operator === '==' ? have === want : have !== want;
}

export function nodeMatches(constraints: readonly Constraint[], node: Node): boolean {
  return constraints.every((c) => matchesOne(c, node));
}

/** Parses once and returns a matcher to run against many nodes. */
export function compileConstraints(expressions: readonly string[]): NodeMatcher {
  const constraints = parseConstraints(expressions);
  return (node) => nodeMatches(constraints, node);
}
