import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { collect } from '../parse/key-value.js';

export function registerStackConfig(stack: Command, cli: Cli): void {
  stack
    .command('config')
    .description('Output the final config file, after doing merges and interpolations')
    .requiredOption('-c, --compose-file <file>', 'path to a compose file, or "-" to read from stdin; repeatable', collect)
    .action(async (opts: { composeFile: string[] }) => {
      const { text, warnings } = await cli.io.loadStackConfig(opts.composeFile);
      for (const w of warnings) cli.err(w);
      cli.out(text.replace(/\n$/, ''));
    });
}
