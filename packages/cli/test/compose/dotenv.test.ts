import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDotenv, toServiceSpecs } from '../../src/compose/index.js';
import { readComposeProject } from '../../src/io/read-compose-project.js';

describe('dotenv', () => {
  it('parses KEY=VALUE, quotes, comments and export', () => {
    const text = [
      '# a comment',
      '',
      'PLAIN=value # trailing comment',
      'export EXPORTED=yes',
      "SINGLE='literal $HOME \\n'",
      'DOUBLE="line1\\nline2 # not a comment"',
      'EMPTY=',
      'SPACED = padded ',
      'HASH=a#b',
      'INHERIT',
      'UNSET_INHERIT',
    ].join('\r\n');
    expect(parseDotenv(text, '.env', { INHERIT: 'from-env' })).toEqual({
      PLAIN: 'value',
      EXPORTED: 'yes',
      SINGLE: 'literal $HOME \\n',
      DOUBLE: 'line1\nline2 # not a comment',
      EMPTY: '',
      SPACED: 'padded',
      HASH: 'a#b',
      INHERIT: 'from-env',
    });
  });
  it('rejects bad lines naming the file and line', () => {
    expect(() => parseDotenv('OK=1\nBAD KEY=2\n', '.env')).toThrow('.env:2: invalid variable name "BAD KEY"');
    expect(() => parseDotenv('A="open\n', '.env')).toThrow('.env:1: unterminated quoted value');
  });
});

describe('reading from disk', () => {
  function project(files: Record<string, string>) {
    const dir = mkdtempSync(join(tmpdir(), 'shoal-compose-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  }

  it('reads .env beside the first file; the process environment wins', async () => {
    const dir = project({
      'compose.yml': 'services:\n  web:\n    image: "nginx:${TAG}"\n    environment:\n      MODE: ${MODE}\n',
      '.env': 'TAG=from-dotenv\nMODE=from-dotenv\n',
    });
    const { project: p, warnings } = await readComposeProject([join(dir, 'compose.yml')], { MODE: 'from-process' });
    expect(p.services.web!.image).toBe('nginx:from-dotenv');
    expect(p.services.web!.environment).toEqual({ MODE: 'from-process' });
    expect(warnings).toEqual([]);
  });

  it('reads env_file relative to the compose file; environment wins over it', async () => {
    const dir = project({
      'compose.yml': 'services:\n  web:\n    image: a\n    env_file: [./web.env]\n    environment:\n      - B=from-compose\n',
      'web.env': 'A=from-file\nB=from-file\n',
    });
    const { project: p } = await readComposeProject([join(dir, 'compose.yml')], {});
    expect(p.services.web!.env_file).toEqual([join(dir, 'web.env')]);
    const spec = toServiceSpecs(p, 'st').services[0]!;
    expect(spec.task.container.env).toEqual(['A=from-file', 'B=from-compose']);
  });

  it('fails on a missing env_file', async () => {
    const dir = project({ 'compose.yml': 'services:\n  web:\n    image: a\n    env_file: missing.env\n' });
    await expect(readComposeProject([join(dir, 'compose.yml')], {})).rejects.toThrow(`services.web.env_file: couldn't find env file: ${join(dir, 'missing.env')}`);
  });
});
