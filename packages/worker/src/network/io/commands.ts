import { execFile } from 'node:child_process';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a host tool (`ip`, `bridge`); tests wrap it to run inside a netns host. Never throws on a non-zero exit. */
export type CommandRunner = (cmd: string, args: string[], input?: string) => Promise<CommandResult>;

const TIMEOUT_MS = 30_000;
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

export const runCommand: CommandRunner = (cmd, args, input) =>
  new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr || (err && !stderr ? err.message : '')) });
    });
    // A tool that exits before reading its input closes the pipe: that shows in its exit code, not as an EPIPE.
    child.stdin?.on('error', () => {});
    if (input === undefined) child.stdin?.end();
    else child.stdin?.end(input);
  });

/** Runs a tool that prints JSON (`ip -j ...`) and parses it; throws one clear line when it fails. */
export async function readJson(run: CommandRunner, cmd: string, args: string[]): Promise<unknown> {
  const r = await run(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.trim() || `exit ${r.code}`}`);
  const text = r.stdout.trim();
  return text === '' ? [] : JSON.parse(text);
}

/**
 * Feeds lines to `ip -force -batch -` or `bridge -force -batch -` (every line is tried; the
 * errors come back, one per failed line, as the tool prints them).
 */
export async function runBatch(run: CommandRunner, cmd: 'ip' | 'bridge', lines: readonly string[]): Promise<string[]> {
  if (lines.length === 0) return [];
  const r = await run(cmd, ['-force', '-batch', '-'], lines.join('\n') + '\n');
  if (r.code === 0) return [];
  // iproute2 prints the error of a line, then "Command failed -:N" (its line number): keep the former.
  const said = r.stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const errors = said.filter((l) => !/^Command failed/.test(l));
  return errors.length > 0 ? errors : said.length > 0 ? said : [`${cmd} -batch exited ${r.code}`];
}
