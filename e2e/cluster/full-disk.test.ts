import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, run, waitFor } from '../harness/exec.js';
import { createCluster, destroyCluster, type NetnsCluster, type NetnsHost } from '../harness/netns/index.js';
import { jsonLines, shoalOk } from './cli-helpers.js';
import { serviceNames, write, writeOk } from './raft-helpers.js';

/**
 * Issue 8: a manager whose disk fills up. Its data dir is a 20 MB tmpfs, filled with `dd`. It must
 * stay up, refuse writes with one clear line, keep answering reads, and take writes again by
 * itself once the filler is deleted; restarted on a full disk it waits for space instead of
 * exiting. Netns provider only (the tmpfs is mounted on this machine). Needs root.
 */

const DISK_FULL = "no space left on the manager's disk";

let cluster: NetnsCluster | undefined;
let h1: NetnsHost;
let dataDir: string;
const filler = () => `${dataDir}/filler`;

/** Fills the tmpfs to the last byte (dd stops with ENOSPC). */
async function fill(): Promise<void> {
  await run('dd', ['if=/dev/zero', `of=${filler()}`, 'bs=1M']);
  const avail = (await check('df', ['--output=avail', '-B1', dataDir])).trim().split('\n').at(-1);
  expect(Number(avail)).toBe(0);
}

const shoaldLog = () => readFileSync(h1.layout.shoald.logFile, 'utf8');

beforeAll(async () => {
  cluster = await createCluster({ hosts: 1, name: 'full-disk' });
  h1 = cluster.host(1);
  dataDir = h1.layout.shoald.dataDir;
  await check('mkdir', ['-p', dataDir]);
  await check('mount', ['-t', 'tmpfs', '-o', 'size=20m,mode=0700', 'tmpfs', dataDir]);
  await h1.startShoald();
  await shoalOk(h1, 'swarm', 'init', '--advertise-addr', h1.addr);
  await writeOk(h1, 'before');
}, 180_000);

afterAll(async () => {
  await h1?.killShoald('SIGKILL').catch(() => undefined);
  if (dataDir) await run('umount', ['-l', dataDir]);
  if (cluster) await destroyCluster(cluster);
}, 120_000);

describe('a manager on a full disk', () => {
  it('refuses writes with one clear line, answers reads, and takes writes again once space is freed', async () => {
    await fill();
    // Small writes may still fit in the last page of LevelDB's log file; one soon does not.
    let first: Awaited<ReturnType<typeof write>> | undefined;
    for (let i = 0; i < 200 && !first; i++) {
      const r = await write(h1, `while-full-${i}`);
      if (!r.ok) first = r;
    }
    expect(first?.stderr).toContain(DISK_FULL);
    let t = Date.now();
    const second = await write(h1, 'refused');
    expect(second).toEqual({ ok: false, stderr: `Error: ${DISK_FULL}` });
    const refusedMs = Date.now() - t;
    // Reads answer, from the same shoald (it did not exit).
    t = Date.now();
    const ls = await h1.shoal('node', 'ls', '--format', 'json');
    const readMs = Date.now() - t;
    expect(ls.code).toBe(0);
    expect(jsonLines<{ Hostname: string }>(ls.stdout).map((r) => r.Hostname)).toEqual(['h1']);
    expect(ls.stderr).toContain(`WARNING: ${DISK_FULL}`);
    expect(await serviceNames(h1)).toContain('before');

    await check('rm', [filler()]);
    t = Date.now();
    await waitFor('a write to be accepted again', async () => ((await write(h1, 'after-freed')).ok ? true : undefined), 30_000);
    console.log(`[full-disk] refused write ${refusedMs} ms, node ls while full ${readMs} ms, first write accepted ${Date.now() - t} ms after the filler was deleted`);
    expect(await serviceNames(h1)).toEqual(expect.arrayContaining(['after-freed', 'before']));
    expect(shoaldLog()).toContain("space on the manager's disk is back");
  }, 120_000);

  it('restarted on a full disk, waits for space (saying so) instead of exiting, then serves', async () => {
    await h1.killShoald('SIGTERM');
    await fill();
    const starting = h1.startShoald();
    await waitFor('shoald to say it waits for space', async () => (shoaldLog().includes(`cannot open the raft log: ${DISK_FULL}`) ? true : undefined), 30_000);
    await check('rm', [filler()]);
    await starting;
    await waitFor('a write to be accepted after the restart', async () => ((await write(h1, 'after-restart')).ok ? true : undefined), 30_000);
    expect(await serviceNames(h1)).toEqual(expect.arrayContaining(['after-freed', 'after-restart', 'before']));
  }, 120_000);
});
