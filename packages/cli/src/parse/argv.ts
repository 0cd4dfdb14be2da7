/**
 * Docker writes boolean flags with a value too (`--detach=false`, as in `stack deploy
 * --detach=false`); commander's boolean flags take none. `--detach=true` becomes `--detach` and
 * `--detach=false` is dropped (waiting is the default). Arguments after `--` are left alone.
 */
export function normalizeArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  let rest = false;
  for (const arg of argv) {
    if (rest || arg === '--') {
      rest = true;
      out.push(arg);
      continue;
    }
    const m = /^(--detach|-d)=(true|false|1|0)$/i.exec(arg);
    if (!m) out.push(arg);
    else if (m[2] === 'true' || m[2] === '1') out.push(m[1]!);
  }
  return out;
}
