import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { check, run, waitFor, type RunResult } from './exec.js';

/** The checkout whose built CLI and daemon the e2e drives; SHOAL_E2E_ROOT points it at another build. */
const ROOT = process.env.SHOAL_E2E_ROOT || new URL('../..', import.meta.url).pathname;
export const SHOAL = join(ROOT, 'packages/cli/dist/main.js');
export const SHOALD = join(ROOT, 'packages/daemon/dist/main.js');

/**
 * One host of an e2e scenario. The `local` provider is this machine with its own Docker Engine;
 * the netns and Vagrant providers (many-nodes issue) implement the same shape.
 */
export interface Host {
  readonly name: string;
  shoal(...args: string[]): Promise<RunResult>;
  docker(...args: string[]): Promise<string>;
  startShoald(): Promise<void>;
  killShoald(signal: NodeJS.Signals): Promise<void>;
  curl(port: number): Promise<string>;
}

export class LocalHost implements Host {
  readonly name = 'local';
  private daemon: ChildProcess | undefined;
  readonly socket: string;
  readonly dataDir: string;
  readonly logFile: string;

  constructor(private readonly workDir: string) {
    this.socket = join(workDir, 'shoal.sock');
    this.dataDir = join(workDir, 'data');
    this.logFile = join(workDir, 'shoald.log');
  }

  static fresh(workDir: string): LocalHost {
    rmSync(workDir, { recursive: true, force: true });
    mkdirSync(workDir, { recursive: true });
    return new LocalHost(workDir);
  }

  shoal(...args: string[]): Promise<RunResult> {
    return run('node', [SHOAL, '-H', `unix://${this.socket}`, ...args]);
  }

  docker(...args: string[]): Promise<string> {
    return check('docker', args);
  }

  async startShoald(): Promise<void> {
    const out = openSync(this.logFile, 'a');
    this.daemon = spawn(
      'node',
      [SHOALD, '--data-dir', this.dataDir, '--socket', this.socket, '--listen-addr', '127.0.0.1:14242', '--hostname', 'e2e-local', '--log-level', 'debug'],
      { stdio: ['ignore', out, out], detached: false },
    );
    await waitFor('shoald to answer', async () => ((await this.shoal('node', 'ls')).stderr.includes('is shoald running') ? undefined : true), 20_000);
  }

  async killShoald(signal: NodeJS.Signals): Promise<void> {
    const d = this.daemon;
    if (!d || d.exitCode !== null) return;
    const exited = new Promise((r) => d.once('exit', r));
    d.kill(signal);
    await exited;
    this.daemon = undefined;
  }

  async curl(port: number): Promise<string> {
    return check('curl', ['-sS', '--max-time', '3', `http://127.0.0.1:${port}/`]);
  }
}
