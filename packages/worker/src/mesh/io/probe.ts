import { spawn } from 'node:child_process';
import { meshNodes, meshScript } from '../reply-rules.js';

export interface MeshReplyMode {
  clientAddress: 'preserved' | 'snat';
  reason: string;
}

const TIMEOUT_MS = 10_000;
/** A throwaway namespace (it goes with the process), a veth pair in it, and the real script on one end. */
const PROBE = ['--net', 'sh', '-c', 'ip link add shp0 type veth peer name shp1 && exec nft -f -'];
const NO_EGRESS = 'the kernel has no netdev egress hook (Linux < 5.16): forwarded connections are source-NATed';

function run(cmd: string, args: string[], input: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'pipe'], timeout: TIMEOUT_MS });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString();
    });
    child.on('error', (e) => resolve({ code: -1, stderr: e.message }));
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

/** The one line that says why, from what the probe printed. */
export function probeVerdict(code: number, stderr: string): MeshReplyMode {
  if (code === 0) return { clientAddress: 'preserved', reason: 'replies leave through the node that took the connection (netdev egress hook)' };
  const said = stderr.trim().split('\n').find((l) => l.trim() !== '') ?? `exit ${code}`;
  if (/egress|Operation not supported|No such file or directory/i.test(stderr) && !/ENOENT|spawn/i.test(stderr)) return { clientAddress: 'snat', reason: NO_EGRESS };
  return { clientAddress: 'snat', reason: `cannot program the reply path (${said.trim()}): forwarded connections are source-NATed` };
}

/**
 * Whether this kernel can keep the client's address through the mesh: tries the reply path's own
 * nft tables (netdev egress hook, ether-address maps) on a veth in a namespace that lives only as
 * long as the probe. 'snat' with a reason when it cannot (shown by `node inspect`).
 */
export async function probeMeshReply(): Promise<MeshReplyMode> {
  const script = meshScript('shp0', '10.0.0.9', meshNodes([{ nodeId: 'probe', address: '10.0.0.3', nodeAddr: '127.0.0.1' }]));
  const r = await run('unshare', PROBE, script);
  return probeVerdict(r.code, r.stderr);
}
