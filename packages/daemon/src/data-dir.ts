import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Group and other bits: nothing under the data directory may have any. */
const OTHERS = 0o077;
/** How deep the data directory goes (manager/raft/<LevelDB files>, certificates, ...), with room. */
const MAX_DEPTH = 8;

/**
 * The data directory holds the CA's private key, both join tokens and the node's key: it and
 * everything in it are the daemon's alone. New files are created so (shoald sets its umask to
 * 077); this fixes what an older version, or a copy, left readable. Returns what it changed.
 */
export async function restrictDataDir(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const changed: string[] = [];
  await restrict(dir, 0, changed);
  return changed;
}

async function restrict(path: string, depth: number, changed: string[]): Promise<void> {
  const st = await lstat(path);
  if (st.isSymbolicLink()) return;
  if ((st.mode & OTHERS) !== 0) {
    await chmod(path, st.mode & 0o7777 & ~OTHERS);
    changed.push(path);
  }
  if (!st.isDirectory() || depth >= MAX_DEPTH) return;
  for (const name of await readdir(path)) await restrict(join(path, name), depth + 1, changed);
}
