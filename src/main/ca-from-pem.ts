// Rebuilds a CertificateAuthority from the PEMs kept in the TLS Secret, so a renewed serving
// certificate can be signed by the same CA and the caBundle in the webhook configurations stays valid.
// issueCertificate needs the CA's subject as DER (it becomes the issuer) and its key id; both are read
// from the certificate itself with a minimal DER walk, so any CA (ours or a user's) works.
import { X509Certificate, createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import type { CertificateAuthority } from '../cluster/http/index.js';

interface Tlv {
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  content: number;
  /** Offset just past the element. */
  end: number;
  tag: number;
}

function readTlv(der: Buffer, at: number): Tlv {
  const tag = der[at];
  const first = der[at + 1];
  if (tag === undefined || first === undefined) throw new Error('truncated DER');
  let length = first;
  let content = at + 2;
  if (first & 0x80) {
    const bytes = first & 0x7f;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + (der[content + i] ?? 0);
    content += bytes;
  }
  const end = content + length;
  if (end > der.length) throw new Error('truncated DER');
  return { start: at, content, end, tag };
}

/** The children of a constructed element. */
function children(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.content; at < parent.end; ) {
    const child = readTlv(der, at);
    out.push(child);
    at = child.end;
  }
  return out;
}

/** The subject Name of an X.509 certificate, as DER. */
export function subjectDer(certDer: Buffer): Buffer {
  const cert = readTlv(certDer, 0);
  const [tbs] = children(certDer, cert);
  if (!tbs) throw new Error('certificate without tbsCertificate');
  const fields = children(certDer, tbs);
  // An explicit [0] version comes first in v3 certificates; then serial, signature, issuer, validity, subject.
  const offset = fields[0]?.tag === 0xa0 ? 1 : 0;
  const subject = fields[offset + 4];
  if (!subject) throw new Error('certificate without subject');
  return certDer.subarray(subject.start, subject.end);
}

/** A CA that can sign again: its certificate and private key in PEM. */
export function certificateAuthorityFromPem(certPem: string, keyPem: string): CertificateAuthority {
  const cert = new X509Certificate(certPem);
  const key = createPrivateKey(keyPem);
  if (!cert.checkPrivateKey(key)) throw new Error('the CA key does not belong to the CA certificate');
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return {
    certPem,
    keyPem,
    certBase64: Buffer.from(certPem).toString('base64'),
    key,
    subject: subjectDer(cert.raw),
    // The same derivation as certs.ts uses for the CA's subjectKeyIdentifier.
    keyId: createHash('sha1').update(spki).digest(),
  };
}
