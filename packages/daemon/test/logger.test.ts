import { spawnSync } from 'node:child_process';
import { openSync, closeSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const LOGGER = fileURLToPath(new URL('../src/logger.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

/** Runs a script that logs through shoald's logger with its stderr on `stderrPath`; returns stdout and status. */
function logTo(stderrPath: string, script: string) {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-logger-'));
  const file = join(dir, 'run.ts');
  writeFileSync(file, `import { createLogger } from ${JSON.stringify(LOGGER)};\nconst log = createLogger('info');\n${script}\n`);
  const err = openSync(stderrPath, 'w');
  try {
    return spawnSync(TSX, [file], { stdio: ['ignore', 'pipe', err], timeout: 20_000, encoding: 'utf8' });
  } finally {
    closeSync(err);
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("shoald's log", () => {
  it('drops lines it cannot write (a full disk under the log file) instead of crashing', () => {
    const r = logTo('/dev/full', "for (let i = 0; i < 200; i++) log.info({ i }, 'a line');\nsetTimeout(() => console.log('still running'), 100);");
    expect(r.error).toBeUndefined();
    expect(r.stdout).toBe('still running\n');
    expect(r.status).toBe(0);
  });

  it('writes JSON lines to stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shoal-logger-out-'));
    try {
      const out = join(dir, 'err.log');
      const r = logTo(out, "log.info({ n: 1 }, 'hello');");
      expect(r.status).toBe(0);
      const line = JSON.parse(readFileSync(out, 'utf8').trim()) as { msg: string; n: number; level: number };
      expect(line).toMatchObject({ msg: 'hello', n: 1, level: 30 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
