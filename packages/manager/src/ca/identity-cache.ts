import type { NodeIdentity } from './node-identity.js';

/**
 * The identities read from peer certificates, keyed by the certificate (its fingerprint or its DER bytes): a certificate
 * says the same thing on every call, and decoding its ASN.1 again on each one was a hot spot of
 * the leader under load. Bounded: beyond `max` certificates the oldest is forgotten.
 */
export class IdentityCache {
  private readonly byDer = new Map<string, NodeIdentity>();

  constructor(private readonly max = 1024) {}

  get size(): number {
    return this.byDer.size;
  }

  get(der: string): NodeIdentity | undefined {
    return this.byDer.get(der);
  }

  set(der: string, identity: NodeIdentity): void {
    if (this.byDer.size >= this.max && !this.byDer.has(der)) this.byDer.delete(this.byDer.keys().next().value!);
    this.byDer.set(der, identity);
  }
}
