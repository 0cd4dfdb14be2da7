import { webcrypto } from 'node:crypto';
import { invalidArgument } from '@shoal/common';
import { EC_KEY_ALGORITHM, pemToDer, x509 } from './x509.js';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const subtle = webcrypto.subtle;

/** A fresh ECDSA P-256 key pair whose private key can be exported as PKCS#8. */
export async function generateKeyPair(): Promise<CryptoKeyPair> {
  return (await subtle.generateKey(EC_KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
}

/** PKCS#8 PEM ("BEGIN PRIVATE KEY"), which Node's TLS and grpc-js read as is. */
export async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  const der = await subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

export async function importSigningKey(keyPem: string): Promise<CryptoKey> {
  try {
    return await subtle.importKey('pkcs8', pemToDer(keyPem), EC_KEY_ALGORITHM, false, ['sign']);
  } catch {
    throw invalidArgument('the CA key is not an ECDSA P-256 PKCS#8 PEM key');
  }
}
