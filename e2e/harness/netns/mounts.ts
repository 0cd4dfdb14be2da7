import { readFileSync } from 'node:fs';
import { run } from '../exec.js';

/**
 * The mounts a host's `dockerd` leaves in this machine's mount namespace (it shares it: only the
 * network namespace is separate): its data root bind-mounted onto itself, overlay `merged`
 * folders, and the nsfs files of container network namespaces under its exec root.
 */
export interface Mount {
  readonly mountPoint: string;
  readonly fsType: string;
}

/** Mounts at or below one of `roots`, deepest first (the order to unmount them in). */
export function mountsUnder(roots: string[]): Mount[] {
  const mounts: Mount[] = [];
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    // id parent major:minor root mount-point options [optional...] - fstype source super-options
    const fields = line.split(' ');
    const sep = fields.indexOf('-');
    if (fields.length < 5 || sep < 0) continue;
    const mountPoint = unescapeMountinfo(fields[4]!);
    if (roots.some((r) => mountPoint === r || mountPoint.startsWith(`${r}/`))) mounts.push({ mountPoint, fsType: fields[sep + 1] ?? '' });
  }
  return mounts.sort((a, b) => b.mountPoint.split('/').length - a.mountPoint.split('/').length);
}

/** mountinfo writes space, tab, newline and backslash as octal escapes. */
function unescapeMountinfo(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/**
 * Lazily unmounts everything below `roots` (deepest first, a few rounds for stacked mounts) and
 * fails when something is still mounted, so that no caller removes files through a live mount.
 */
export async function unmountAllUnder(roots: string[]): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const mounts = mountsUnder(roots);
    if (mounts.length === 0) return;
    for (const m of mounts) await run('umount', ['-l', m.mountPoint], { timeoutMs: 10_000 });
  }
  const left = mountsUnder(roots);
  if (left.length) throw new Error(`could not unmount: ${left.map((m) => `${m.mountPoint} (${m.fsType})`).join(', ')}`);
}
