import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** The node's TLS identity, in `<data-dir>/certificates/` (mode 0600). */
export interface NodeCerts {
  keyPem: string;
  certPem: string;
  rootCertPem: string;
}

const FILES = { keyPem: 'node.key', certPem: 'node.crt', rootCertPem: 'root.crt' } as const;

const dirOf = (dataDir: string) => join(dataDir, 'certificates');

export async function readNodeCerts(dataDir: string): Promise<NodeCerts | undefined> {
  try {
    const read = (f: string) => readFile(join(dirOf(dataDir), f), 'utf8');
    return { keyPem: await read(FILES.keyPem), certPem: await read(FILES.certPem), rootCertPem: await read(FILES.rootCertPem) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Each file is written to a temporary name, fsynced and renamed: a crash never leaves half a key. */
export async function writeNodeCerts(dataDir: string, certs: NodeCerts): Promise<void> {
  const dir = dirOf(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const [field, file] of Object.entries(FILES) as [keyof NodeCerts, string][]) {
    const tmp = join(dir, `${file}.tmp`);
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(certs[field]);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(dir, file));
  }
}

export async function removeNodeCerts(dataDir: string): Promise<void> {
  await rm(dirOf(dataDir), { recursive: true, force: true });
}
