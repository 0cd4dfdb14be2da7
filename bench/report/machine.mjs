// What the benchmarks ran on: printed first and written with the results, so figures are never
// read without their set-up.
import { execFileSync } from 'node:child_process';
import { cpus, release, totalmem } from 'node:os';

function dockerVersion() {
  try {
    return execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 }).trim();
  } catch {
    return 'not running';
  }
}

export function describeMachine() {
  const cores = cpus();
  return {
    cores: cores.length,
    cpu: cores[0]?.model ?? 'unknown',
    memory_gb: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    docker: dockerVersion(),
    kvm: (() => { try { execFileSync('test', ['-e', '/dev/kvm']); return true; } catch { return false; } })(),
  };
}
