import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { restrictDataDir } from '../src/data-dir.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const mode = (p: string) => statSync(p).mode & 0o777;

describe('the data directory', () => {
  it('leaves nothing readable by group or others (what an older shoald or LevelDB left 0755/0644)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'shoal-data-'));
    const data = join(dir, 'shoal');
    mkdirSync(join(data, 'manager', 'raft'), { recursive: true, mode: 0o755 });
    chmodSync(data, 0o755);
    writeFileSync(join(data, 'manager', 'raft', '000005.ldb'), 'the CA key', { mode: 0o644 });
    writeFileSync(join(data, 'node.json'), '{}', { mode: 0o600 });
    const outside = join(dir, 'outside');
    writeFileSync(outside, '', { mode: 0o644 });
    symlinkSync(outside, join(data, 'link'));

    const changed = await restrictDataDir(data);

    expect(mode(data)).toBe(0o700);
    expect(mode(join(data, 'manager'))).toBe(0o700);
    expect(mode(join(data, 'manager', 'raft'))).toBe(0o700);
    expect(mode(join(data, 'manager', 'raft', '000005.ldb'))).toBe(0o600);
    expect(changed).toHaveLength(4);
    expect(mode(outside)).toBe(0o644); // a symbolic link is not followed
  });

  it('creates a missing data directory for its owner only', async () => {
    dir = mkdtempSync(join(tmpdir(), 'shoal-data-'));
    await restrictDataDir(join(dir, 'new'));
    expect(mode(join(dir, 'new'))).toBe(0o700);
  });
});
