/** Posix path helpers, kept pure so the loader needs no I/O. */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : path.slice(0, i);
}

export function normalize(path: string): string {
  const abs = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part !== '..' || !abs) out.push(part);
  }
  const joined = out.join('/');
  return abs ? `/${joined}` : joined || '.';
}

/** `path` made absolute against `base`; `~` is the home directory when one is known. */
export function resolvePath(base: string, path: string, home?: string): string {
  if (path === '~' || path.startsWith('~/')) return home ? normalize(home + path.slice(1)) : path;
  return normalize(path.startsWith('/') ? path : `${base}/${path}`);
}

/** A volume source that is a host path rather than a volume name. */
export function isHostPath(source: string): boolean {
  return source.startsWith('/') || source.startsWith('.') || source.startsWith('~');
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
