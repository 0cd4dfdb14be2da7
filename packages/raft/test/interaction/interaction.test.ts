import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario, readScenario, renderScenario, writeScenario } from './datadriven.js';
import { InteractionDriver } from './driver.js';

const dir = fileURLToPath(new URL('./testdata/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
const rewrite = process.env['REWRITE'] === '1';

describe('raft interaction scenarios', () => {
  it('has scenarios', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(file.replace(/\.txt$/, ''), () => {
      const path = `${dir}${file}`;
      const blocks = parseScenario(readScenario(path), path);
      const driver = new InteractionDriver();
      const outputs: string[] = [];
      for (const block of blocks) {
        let actual: string;
        try {
          actual = driver.run(block.command);
        } catch (err) {
          throw new Error(`testdata/${file}:${block.line}: ${block.command}: ${(err as Error).message}`, { cause: err });
        }
        outputs.push(actual);
        if (!rewrite) expect(actual, `testdata/${file}:${block.line}: ${block.command}`).toBe(block.expected);
      }
      if (rewrite) writeScenario(path, renderScenario(blocks, outputs));
    });
  }
});
