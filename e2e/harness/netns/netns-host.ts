import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import type { ClusterHost } from '../cluster.js';
import { check, run, sleep, type RunResult } from '../exec.js';
import { SHOAL, SHOALD } from '../host.js';
import { dockerArgs } from './dockerd.js';
import type { HostLayout } from './layout.js';
import { logTail, withLog } from './log-tail.js';
import { runIn, setLink } from './namespace.js';
import { isAlive, livePidFromFile, signal, waitForExit } from './processes.js';

export const SHOALD_START_TIMEOUT_MS = 30_000;
const CURL_MAX_SECONDS = 3;

/**
 * One host of a netns cluster: a network namespace on the bridge with its own address, its own
 * dockerd and (once started) its own shoald. The CLI talks to shoald over a unix socket, so it
 * runs outside the namespace.
 */
/** The checkout whose build the harness drives (SHOAL_E2E_ROOT or this one). */
const ROOT = resolve(dirname(SHOALD), '../../..');

export class NetnsHost implements ClusterHost {
  readonly name: string;
  readonly addr: string;
  private daemon: ChildProcess | undefined;

  constructor(readonly layout: HostLayout) {
    this.name = layout.name;
    this.addr = layout.addr;
  }

  /** `shoal -H unix:///run/shoal-e2e/hN/shoal.sock ...`; never throws on a non-zero exit. */
  shoal(...args: string[]): Promise<RunResult> {
    return run('node', [SHOAL, '-H', this.layout.shoald.url, ...args]);
  }

  /** `docker` against this host's own engine; returns stdout, throws on failure. */
  docker(...args: string[]): Promise<string> {
    return check('docker', dockerArgs(this.layout, args));
  }

  /** Runs a command in the host's network namespace; never throws on a non-zero exit. */
  exec(cmd: string, args: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<RunResult> {
    return runIn(this.layout, cmd, args, opts);
  }

  /** GET / on `port` of this host's own address, from inside its namespace. */
  curl(port: number): Promise<string> {
    return this.curlAt(this.addr, port);
  }

  /** GET `path` on `addr:port` from inside this host's namespace (another host's address, to cross the bridge). */
  async curlAt(addr: string, port: number, path = '/'): Promise<string> {
    const url = `http://${addr}:${port}${path}`;
    const r = await this.exec('curl', ['-sS', '--max-time', String(CURL_MAX_SECONDS), url], { timeoutMs: (CURL_MAX_SECONDS + 5) * 1000 });
    if (r.code !== 0) throw new Error(`curl ${url} from ${this.name} failed (${r.code}): ${r.stderr.trim()}`);
    return r.stdout;
  }

  /**
   * Starts shoald in the namespace, listening on and advertising this host's address, with this
   * host's engine; waits until the CLI reaches it. `extraArgs` go after the standard flags.
   */
  async startShoald(extraArgs: string[] = []): Promise<void> {
    if (this.shoaldPid() !== undefined) throw new Error(`shoald of ${this.name} is already running`);
    const s = this.layout.shoald;
    mkdirSync(s.dataDir, { recursive: true });
    mkdirSync(this.layout.logDir, { recursive: true });
    const log = openSync(s.logFile, 'a');
    const child = spawn(
      'nsenter',
      [
        `--net=${this.layout.netnsPath}`,
        'node',
        SHOALD,
        '--data-dir', s.dataDir,
        '--socket', s.socket,
        '--hostname', this.name,
        '--listen-addr', s.listenAddr,
        '--advertise-addr', s.listenAddr,
        '--docker-host', this.layout.docker.url,
        '--log-level', 'debug',
        ...extraArgs,
      ],
      { stdio: ['ignore', log, log] },
    );
    closeSync(log);
    let exit: string | undefined;
    child.once('exit', (code, sig) => (exit = `exited ${sig ?? code}`));
    child.once('error', (e) => (exit = `could not start: ${e.message}`));
    // a daemon left running must not keep the test runner alive; leftovers.ts stops it
    child.unref();
    this.daemon = child;
    // nsenter execs node in place, so this is shoald's own pid
    if (child.pid !== undefined) writeFileSync(s.pidFile, `${child.pid}\n`);

    const deadline = Date.now() + SHOALD_START_TIMEOUT_MS;
    for (;;) {
      if (exit) throw withLog(`shoald of ${this.name} ${exit}`, s.logFile);
      const r = await this.shoal('node', 'ls');
      if (!r.stderr.includes('is shoald running')) return;
      if (Date.now() > deadline) throw withLog(`shoald of ${this.name} did not answer on ${s.socket} within ${SHOALD_START_TIMEOUT_MS / 1000}s`, s.logFile);
      await sleep(200);
    }
  }

  /** Signals shoald and waits until it has exited (SIGKILL after 15 s for other signals). */
  async signalShoald(sig: NodeJS.Signals): Promise<void> {
    const pid = this.shoaldPid();
    if (pid !== undefined) signal(pid, sig);
  }

  async killShoald(sig: NodeJS.Signals): Promise<void> {
    const pid = this.shoaldPid();
    if (pid === undefined) return;
    signal(pid, sig);
    let left = await waitForExit([pid], 15_000);
    if (left.length && sig !== 'SIGKILL') {
      signal(pid, 'SIGKILL');
      left = await waitForExit([pid], 5_000);
    }
    if (left.length) throw withLog(`shoald of ${this.name} (pid ${pid}) did not exit after ${sig}`, this.layout.shoald.logFile);
    this.daemon = undefined;
    rmSync(this.layout.shoald.pidFile, { force: true });
  }

  /** The pid of this host's running shoald, whether this object or an earlier one started it. */
  shoaldPid(): number | undefined {
    const mine = this.daemon?.pid;
    if (mine !== undefined && this.daemon?.exitCode === null && this.daemon.signalCode === null && isAlive(mine)) return mine;
    return livePidFromFile(this.layout.shoald.pidFile, this.layout.shoald.socket);
  }

  /** Cuts the host off the network: the bridge side of its veth goes down. Its daemons keep running. */
  async cut(): Promise<void> {
    await setLink(this.layout, false);
  }

  /** Undoes cut(). */
  async heal(): Promise<void> {
    await setLink(this.layout, true);
  }

  /** The last lines of this host's dockerd or shoald log. */
  readonly root = ROOT;

  async shoaldLog(): Promise<string> {
    try {
      return await readFile(this.layout.shoald.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  logTail(daemon: 'dockerd' | 'shoald', lines = 40): string {
    return logTail(daemon === 'dockerd' ? this.layout.docker.logFile : this.layout.shoald.logFile, lines);
  }
}
