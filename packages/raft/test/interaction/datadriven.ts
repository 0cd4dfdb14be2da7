import { readFileSync, writeFileSync } from 'node:fs';

/** One `command args` block of a scenario file and the output expected from it. */
export interface Block {
  /** Comment lines (starting with `#`) and blank lines before the command, kept on rewrite. */
  preamble: string[];
  command: string;
  /** 1-based line of the command, for failure messages. */
  line: number;
  expected: string;
}

export interface Command {
  name: string;
  /** Bare arguments, in order. */
  positional: string[];
  /** `key=value` arguments; `key=(1,2,3)` keeps its parentheses, see `list`. */
  keyed: Map<string, string>;
}

export const SEPARATOR = '----';

/**
 * Parses a scenario: optional comment lines, then a command line, then `----`, then the expected
 * output up to the next blank line (or the end of the file). Output lines are never blank.
 */
export function parseScenario(text: string, file: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  let preamble: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '' || line.startsWith('#')) {
      preamble.push(line);
      i++;
      continue;
    }
    const command = line.trim();
    const at = i + 1;
    if (lines[i + 1] !== SEPARATOR) throw new Error(`${file}:${at}: expected ${SEPARATOR} after the command`);
    i += 2;
    const out: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '') out.push(lines[i++]!);
    blocks.push({ preamble, command, line: at, expected: out.join('\n') });
    preamble = [];
  }
  // Trailing comments and blank lines are dropped; a file ends with its last block.
  return blocks;
}

/** Writes a scenario back with new outputs (REWRITE=1). */
export function renderScenario(blocks: readonly Block[], outputs: readonly string[]): string {
  const parts: string[] = [];
  blocks.forEach((b, i) => {
    // Every block after the first has at least the blank line that ended the previous output in
    // its preamble, so the outputs stay separated.
    const preamble = i > 0 && b.preamble[0]?.trim() !== '' ? ['', ...b.preamble] : b.preamble;
    parts.push(...preamble, b.command, SEPARATOR, outputs[i] || 'ok');
  });
  return `${parts.join('\n')}\n`;
}

export function parseCommand(line: string): Command {
  const tokens = line.split(/\s+/).filter((t) => t !== '');
  const [name, ...rest] = tokens;
  if (name === undefined) throw new Error('empty command');
  const positional: string[] = [];
  const keyed = new Map<string, string>();
  for (const t of rest) {
    const eq = t.indexOf('=');
    if (eq > 0) keyed.set(t.slice(0, eq), t.slice(eq + 1));
    else positional.push(t);
  }
  return { name, positional, keyed };
}

/** `(1,2,3)` or `1` as numbers. */
export function list(value: string): number[] {
  const inner = value.replace(/^\(/, '').replace(/\)$/, '');
  if (inner.trim() === '') return [];
  return inner.split(',').map((s) => num(s.trim()));
}

export function num(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`not an integer: ${value}`);
  return n;
}

export function readScenario(path: string): string {
  return readFileSync(path, 'utf8');
}

export function writeScenario(path: string, text: string): void {
  writeFileSync(path, text);
}
