import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { check, run, sleep } from '../exec.js';
import type { HostLayout } from './layout.js';
import { withLog } from './log-tail.js';
import { isAlive, livePidFromFile, stopProcesses } from './processes.js';

/**
 * A host's own Docker Engine, run in the host's network namespace with its own data root, exec
 * root, pidfile and socket. Each gets its own docker0 (172.17.0.0/16 by default): the namespaces
 * are separate, so the same subnet in each does not clash. It shares this machine's mount
 * namespace, so its mounts are visible here (mounts.ts removes them).
 */
export const DOCKERD_START_TIMEOUT_MS = 60_000;

export function dockerArgs(layout: HostLayout, args: string[]): string[] {
  return ['-H', layout.docker.url, ...args];
}

/** Starts dockerd detached (its own session, so it outlives a test runner that is interrupted) and waits until it answers. */
export async function startDockerd(layout: HostLayout): Promise<void> {
  const d = layout.docker;
  for (const dir of [layout.runDir, layout.dataDir, layout.logDir, d.execRoot, d.dataRoot]) mkdirSync(dir, { recursive: true });
  // a config file of its own, so that /etc/docker/daemon.json of this machine does not apply, and
  // a trust key of its own (the default /etc/docker/key.json would give every engine the same ID)
  writeFileSync(d.configFile, `${JSON.stringify({ 'deprecated-key-path': `${layout.dataDir}/key.json` })}\n`);
  const log = openSync(d.logFile, 'a');
  const child = spawn(
    'nsenter',
    [
      `--net=${layout.netnsPath}`,
      'dockerd',
      '--config-file', d.configFile,
      '--data-root', d.dataRoot,
      '--exec-root', d.execRoot,
      '--pidfile', d.pidFile,
      '-H', d.url,
      '--containerd-namespace', d.containerdNamespace,
      '--containerd-plugins-namespace', `${d.containerdNamespace}-plugins`,
      '--iptables=true',
      '--ip-forward=true',
      '--shutdown-timeout', '3',
    ],
    { stdio: ['ignore', log, log], detached: true },
  );
  closeSync(log);
  let exit: string | undefined;
  child.once('exit', (code, sig) => (exit = `exited ${sig ?? code}`));
  child.once('error', (e) => (exit = `could not start: ${e.message}`));
  child.unref();

  const deadline = Date.now() + DOCKERD_START_TIMEOUT_MS;
  for (;;) {
    if (exit) throw withLog(`dockerd of ${layout.name} ${exit}`, d.logFile);
    const r = await run('docker', dockerArgs(layout, ['version', '--format', '{{.Server.Version}}']), { timeoutMs: 10_000 });
    if (r.code === 0) return;
    if (Date.now() > deadline) {
      throw withLog(`dockerd of ${layout.name} did not answer on ${d.socket} within ${DOCKERD_START_TIMEOUT_MS / 1000}s (${r.stderr.trim()})`, d.logFile);
    }
    await sleep(200);
  }
}

/** Loads an image archive (made once with `docker save` from this machine's engine). */
export async function loadImages(layout: HostLayout, archive: string): Promise<void> {
  await check('docker', dockerArgs(layout, ['load', '-q', '-i', archive]), { timeoutMs: 60_000 });
}

/** Removes all containers at once (their processes ignore SIGTERM as PID 1), then stops dockerd. */
export async function stopDockerd(layout: HostLayout): Promise<void> {
  const pid = livePidFromFile(layout.docker.pidFile, layout.docker.socket);
  if (pid === undefined) return;
  const ids = await run('docker', dockerArgs(layout, ['ps', '-aq']), { timeoutMs: 10_000 });
  const list = ids.code === 0 ? ids.stdout.split('\n').filter(Boolean) : [];
  if (list.length) await run('docker', dockerArgs(layout, ['rm', '-f', ...list]), { timeoutMs: 30_000 });
  if (isAlive(pid)) await stopProcesses([pid], 'SIGTERM', 10_000);
}
