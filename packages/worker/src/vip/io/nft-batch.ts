import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** One namespace's nft script; `readFlows`: also return its tracked connections afterwards. */
export interface NftJob {
  nsPath: string;
  script: string;
  readFlows?: boolean;
}

/** What came of a job: `error` undefined when applied; `flows` the /proc/net/nf_conntrack text, if asked and readable. */
export interface NftResult {
  error?: string;
  flows?: string;
}

/**
 * Applies nft scripts in many network namespaces from ONE child process: python3 moves its thread
 * into each namespace (setns) and hands the script to libnftables, so a change costs ~1 ms of CPU
 * per namespace instead of a `nsenter nft` (~25 ms of CPU: two programs started). Jobs go in as
 * JSON lines, results come back as JSON lines. Nothing of the input becomes program text.
 */
const HELPER = String.raw`
import ctypes, json, os, sys
libc = ctypes.CDLL(None, use_errno=True)
nft = ctypes.CDLL('libnftables.so.1')
nft.nft_ctx_new.restype = ctypes.c_void_p
nft.nft_ctx_new.argtypes = [ctypes.c_uint32]
nft.nft_ctx_buffer_error.argtypes = [ctypes.c_void_p]
nft.nft_ctx_get_error_buffer.restype = ctypes.c_char_p
nft.nft_ctx_get_error_buffer.argtypes = [ctypes.c_void_p]
nft.nft_run_cmd_from_buffer.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
nft.nft_ctx_free.argtypes = [ctypes.c_void_p]
print(json.dumps({'ready': True}), flush=True)
for line in sys.stdin:
    job = json.loads(line)
    err = None
    try:
        fd = os.open(job['ns'], os.O_RDONLY)
        try:
            if libc.setns(fd, 0x40000000) != 0:
                raise OSError(ctypes.get_errno(), 'setns ' + job['ns'])
        finally:
            os.close(fd)
        ctx = nft.nft_ctx_new(0)
        nft.nft_ctx_buffer_error(ctx)
        if nft.nft_run_cmd_from_buffer(ctx, job['script'].encode()) != 0:
            text = (nft.nft_ctx_get_error_buffer(ctx) or b'').decode(errors='replace').strip()
            err = text.split('\n')[0] or 'nft failed'
        nft.nft_ctx_free(ctx)
    except OSError as e:
        err = str(e)
    flows = None
    if err is None and job.get('read'):
        try:
            with open('/proc/self/net/nf_conntrack') as f:
                flows = f.read(1 << 20)
        except OSError:
            flows = None
    print(json.dumps({'id': job['id'], 'error': err, 'flows': flows}), flush=True)
`;

const START_TIMEOUT_MS = 10_000;

/**
 * The helper as a long-lived child (started on first use, ~10 MB, idle between passes), so that a
 * change pays neither python's start-up nor a process per namespace. `run` resolves with each
 * namespace's error (undefined: applied), or undefined when the helper cannot run on this host
 * (no python3 or no libnftables): the caller then uses nsenter. A helper that dies is restarted
 * on the next run; its jobs in flight fail (and are written again whole by the caller).
 */
export class NftHelper {
  private child: ChildProcessWithoutNullStreams | undefined;
  private ready: Promise<boolean> | undefined;
  private unavailable = false;
  private readonly pending = new Map<number, (result: NftResult) => void>();
  private nextId = 1;

  async run(jobs: readonly NftJob[]): Promise<Map<string, NftResult> | undefined> {
    if (jobs.length === 0) return new Map();
    if (this.unavailable || !(await this.start())) return undefined;
    const child = this.child!;
    const results = new Map<string, NftResult>();
    const lines: string[] = [];
    const done = jobs.map((j) => {
      const id = this.nextId++;
      lines.push(JSON.stringify({ id, ns: j.nsPath, script: j.script, read: j.readFlows === true }));
      return new Promise<void>((resolve) => this.pending.set(id, (r) => resolve(void results.set(j.nsPath, r))));
    });
    child.stdin.write(lines.join('\n') + '\n');
    await Promise.all(done);
    return results;
  }

  stop(): void {
    this.child?.kill();
    this.child = undefined;
    this.ready = undefined;
  }

  private start(): Promise<boolean> {
    if (this.ready) return this.ready;
    const child = spawn('python3', ['-c', HELPER], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.ready = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), START_TIMEOUT_MS);
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        for (const line of lines) {
          const r = JSON.parse(line) as { ready?: boolean; id?: number; error?: string | null; flows?: string | null };
          if (r.ready) {
            clearTimeout(timer);
            resolve(true);
          } else if (r.id !== undefined) this.settle(r.id, { ...(r.error ? { error: r.error } : {}), ...(typeof r.flows === 'string' ? { flows: r.flows } : {}) });
        }
      });
      child.stderr.resume();
      child.stdin.on('error', () => {});
      const gone = (): void => {
        clearTimeout(timer);
        resolve(false);
        this.exited(child);
      };
      child.on('error', gone);
      child.on('close', gone);
    }).then((ok) => {
      if (!ok) {
        this.unavailable = true; // no python3 or no libnftables here: nsenter from now on
        child.kill();
      }
      return ok;
    });
    return this.ready;
  }

  private settle(id: number, result: NftResult): void {
    const resolve = this.pending.get(id);
    this.pending.delete(id);
    resolve?.(result);
  }

  private exited(child: ChildProcessWithoutNullStreams): void {
    if (this.child !== child) return;
    this.child = undefined;
    this.ready = undefined;
    for (const id of [...this.pending.keys()]) this.settle(id, { error: 'the nft helper stopped' });
  }
}
