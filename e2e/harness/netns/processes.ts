import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { sleep } from '../exec.js';

/**
 * Finding, signalling and waiting for processes by what /proc says about them, so that a run can
 * stop the daemons an earlier run started even when it holds no handle on them.
 */
export interface ProcessInfo {
  readonly pid: number;
  /** Arguments as the process was started with them. */
  readonly argv: string[];
  /** Inode of the process's network namespace, or undefined when it is gone or unreadable. */
  readonly netns: number | undefined;
}

export function listProcesses(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!raw) continue; // kernel threads and zombies have no command line
      out.push({ pid, argv: raw.replace(/\0$/, '').split('\0'), netns: netnsOf(pid) });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** The inode of a process's network namespace (`net:[4026531840]` -> 4026531840). */
function netnsOf(pid: number): number | undefined {
  try {
    const m = /^net:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/ns/net`));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The inode of a namespace file (a bind mount of nsfs, as `ip netns add` makes), if it exists. */
export function namespaceInode(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}

/** True while the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) S ..." where comm may itself hold spaces and parentheses
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/**
 * The pid written in a pidfile, when the file exists, the process is alive and its command line
 * mentions `mention` (a pidfile can outlive its process, e.g. across a reboot, and its pid be reused).
 */
export function livePidFromFile(path: string, mention: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 1 || !isAlive(pid)) return undefined;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(mention) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Waits until none of `pids` is alive; returns those still alive when `timeoutMs` runs out. */
export async function waitForExit(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = pids.filter(isAlive);
    if (alive.length === 0 || Date.now() >= deadline) return alive;
    await sleep(100);
  }
}

/** Sends `sig`, waits up to `graceMs`, then SIGKILLs whatever is left and waits for it. */
export async function stopProcesses(pids: number[], sig: NodeJS.Signals, graceMs: number): Promise<number[]> {
  for (const pid of pids) signal(pid, sig);
  const left = await waitForExit(pids, graceMs);
  if (left.length === 0 || sig === 'SIGKILL') return left;
  for (const pid of left) signal(pid, 'SIGKILL');
  return waitForExit(left, 5_000);
}

/** This process and its ancestors, which a sweep must never signal. */
export function selfAndAncestors(): Set<number> {
  const seen = new Set<number>();
  let pid = process.pid;
  while (pid > 1 && !seen.has(pid)) {
    seen.add(pid);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      break;
    }
  }
  return seen;
}
