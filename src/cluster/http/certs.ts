// A self-signed CA and serving certificates, built with node:crypto (ECDSA P-256 keys, SHA-256
// signatures) and the DER encoder: no openssl binary and no certificate library needed.
import type { KeyObject } from 'node:crypto';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';
import {
  bitString,
  boolean,
  explicit,
  implicit,
  octetString,
  oid,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from './der.js';

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
  /** The PEM as kubeconfig `certificate-authority-data` / webhook `caBundle` want it. */
  certBase64: string;
}

export interface CertificateAuthority extends IssuedCertificate {
  readonly key: KeyObject;
  readonly subject: Buffer;
  readonly keyId: Buffer;
}

export interface CertificateOptions {
  commonName: string;
  /** Subject alternative names; IP literals become iPAddress entries. */
  hosts?: string[];
  /** Defaults to the current time. */
  now?: Date;
  validDays?: number;
}

const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));

function name(commonName: string): Buffer {
  return sequence(
    set(sequence(oid('2.5.4.10'), utf8String('sprout'))),
    set(sequence(oid('2.5.4.3'), utf8String(commonName))),
  );
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? sequence(oid(id), boolean(true), octetString(value))
    : sequence(oid(id), octetString(value));
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  const [head = '', tail = ''] = ip.split('::');
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const h = groups(head);
  const t = groups(tail);
  const all = ip.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return Buffer.concat(
    all.map((g) => {
      const b = Buffer.alloc(2);
      b.writeUInt16BE(parseInt(g, 16));
      return b;
    }),
  );
}

function subjectAltNames(hosts: string[]): Buffer {
  return sequence(
    ...hosts.map((h) => (isIP(h) !== 0 ? implicit(7, ipBytes(h)) : implicit(2, Buffer.from(h, 'ascii')))),
  );
}

function serialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return unsignedInteger(bytes);
}

interface TbsInput {
  issuer: Buffer;
  subject: Buffer;
  spki: Buffer;
  extensions: Buffer[];
  now: Date;
  validDays: number;
}

function signCertificate(tbsInput: TbsInput, signer: KeyObject): string {
  const notBefore = new Date(tbsInput.now.getTime() - 60 * 60 * 1000);
  const notAfter = new Date(tbsInput.now.getTime() + tbsInput.validDays * 24 * 60 * 60 * 1000);
  const tbs = sequence(
    explicit(0, smallInteger(2)),
    serialNumber(),
    ECDSA_WITH_SHA256,
    tbsInput.issuer,
    sequence(time(notBefore), time(notAfter)),
    tbsInput.subject,
    tbsInput.spki,
    explicit(3, sequence(...tbsInput.extensions)),
  );
  const signature = sign('sha256', tbs, signer);
  const der = sequence(tbs, ECDSA_WITH_SHA256, bitString(signature));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function newKey(): { privateKey: KeyObject; spki: Buffer; keyId: Buffer } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // RFC 5280 method 1 would hash only the key bits; any stable unique value is acceptable.
  const keyId = createHash('sha1').update(spki).digest();
  return { privateKey, spki, keyId };
}

function pemKey(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export function createCertificateAuthority(options: Partial<CertificateOptions> = {}): CertificateAuthority {
  const { privateKey, spki, keyId } = newKey();
  const subject = name(options.commonName ?? 'sprout-local-ca');
  const certPem = signCertificate(
    {
      issuer: subject,
      subject,
      spki,
      now: options.now ?? new Date(),
      validDays: options.validDays ?? 3650,
      extensions: [
        extension('2.5.29.15', true, bitString(Buffer.from([0x86]), 1)), // digitalSignature, keyCertSign, cRLSign
        extension('2.5.29.19', true, sequence(boolean(true))),
        extension('2.5.29.14', false, octetString(keyId)),
      ],
    },
    privateKey,
  );
  return {
    certPem,
    keyPem: pemKey(privateKey),
    certBase64: Buffer.from(certPem).toString('base64'),
    key: privateKey,
    subject,
    keyId,
  };
}

/** A certificate for a TLS server (and client: webhooks reuse these), signed by `ca`. */
export function issueCertificate(ca: CertificateAuthority, options: CertificateOptions): IssuedCertificate {
  const { privateKey, spki, keyId } = newKey();
  const certPem = signCertificate(
    {
      issuer: ca.subject,
      subject: name(options.commonName),
      spki,
      now: options.now ?? new Date(),
      validDays: options.validDays ?? 365,
      extensions: [
        extension('2.5.29.15', true, bitString(Buffer.from([0x80]), 7)), // digitalSignature
        extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))),
        extension('2.5.29.19', true, sequence()),
        extension('2.5.29.14', false, octetString(keyId)),
        extension('2.5.29.35', false, sequence(implicit(0, ca.keyId))),
        extension('2.5.29.17', false, subjectAltNames(options.hosts ?? [])),
      ],
    },
    ca.key,
  );
  return { certPem, keyPem: pemKey(privateKey), certBase64: Buffer.from(certPem).toString('base64') };
}
