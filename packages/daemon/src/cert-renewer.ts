import { X509Certificate, randomBytes } from 'node:crypto';
import { ca } from '@shoal/manager';
import { seededRng } from '@shoal/common';
import type { NodeCerts } from './tls/node-certs.js';
import { renewCertificate } from './membership.js';

export interface CertRenewerOptions {
  current: () => NodeCerts;
  nodeId: string;
  managers: string[];
  onRenewed: (certs: NodeCerts) => Promise<void>;
  log: { info(o: object, msg?: string): void; warn(o: object, msg?: string): void };
}

const RETRY_MS = 5_000;

/**
 * Renews the node's certificate at a random point between 50% and 80% of its life, asking a
 * manager with the current certificate; a failed attempt is retried until it works or expires.
 */
export class CertRenewer {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly rng = seededRng(randomBytes(4).readUInt32BE(0));

  constructor(private readonly o: CertRenewerOptions) {}

  start(): void {
    const cert = new X509Certificate(this.o.current().certPem);
    const at = ca.renewalTime(Date.parse(cert.validFrom), Date.parse(cert.validTo), this.rng);
    this.arm(Math.max(0, at - Date.now()));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private arm(delayMs: number): void {
    if (this.stopped) return;
    // setTimeout takes at most 2^31-1 ms (~24.8 days): wake up and re-arm for longer waits.
    const MAX = 2 ** 31 - 1;
    this.timer = setTimeout(() => (delayMs > MAX ? this.arm(delayMs - MAX) : void this.renew()), Math.min(delayMs, MAX));
  }

  private async renew(): Promise<void> {
    const manager = this.o.managers[Math.floor(this.rng.next() * this.o.managers.length)]!;
    try {
      const certs = await renewCertificate(manager, this.o.current(), this.o.nodeId);
      if (this.stopped) return;
      await this.o.onRenewed(certs);
      this.o.log.info({ notAfter: new X509Certificate(certs.certPem).validTo }, 'node certificate renewed');
      this.start();
    } catch (e) {
      this.o.log.warn({ error: (e as Error).message }, 'certificate renewal failed; will retry');
      this.arm(RETRY_MS);
    }
  }
}
