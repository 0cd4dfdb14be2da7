// Runs a benchmark script that prints JSON lines ({figure, value, unit}) in a child process and
// folds them into one flat object: `${prefix}_${figure}` → value (the unit appended where the
// figure's name does not end in it already).
import { execFile } from 'node:child_process';

export function runJsonLines(script, { prefix, nodeArgs = [], env = {}, timeoutMs = 600_000 }) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...nodeArgs, script], { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${script}: ${error.message}${stderr ? `: ${stderr.trim().split('\n').pop()}` : ''}`));
      const out = {};
      for (const line of stdout.split('\n')) {
        if (!line.startsWith('{')) continue;
        const { figure, value, unit } = JSON.parse(line);
        if (typeof figure !== 'string' || typeof value !== 'number') continue;
        const named = !unit || figure.endsWith(`_${unit}`) || figure.endsWith(`_${unit.replace(/s$/, '')}`) ? figure : `${figure}_${unit}`;
        out[`${prefix}_${named}`] = value;
      }
      resolve(out);
    });
  });
}
