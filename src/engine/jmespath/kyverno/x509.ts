// x509_decode: a PEM certificate as the JSON Kyverno produces from Go's x509.Certificate. Only the
// fields policies read are rebuilt (Subject, Issuer, validity, serial, SANs, CA flag, RSA key).
import { X509Certificate } from 'node:crypto';
import { Buffer } from 'node:buffer';
import type { JsonObject, JsonValue } from '../../../api/json.js';
import { plainError } from './helpers.js';
import { formatRfc3339, timeFromEpochMillis } from './go-time.js';

const nameFields: Record<string, { field: string; oid: number[] }> = {
  C: { field: 'Country', oid: [2, 5, 4, 6] },
  O: { field: 'Organization', oid: [2, 5, 4, 10] },
  OU: { field: 'OrganizationalUnit', oid: [2, 5, 4, 11] },
  L: { field: 'Locality', oid: [2, 5, 4, 7] },
  ST: { field: 'Province', oid: [2, 5, 4, 8] },
  street: { field: 'StreetAddress', oid: [2, 5, 4, 9] },
  postalCode: { field: 'PostalCode', oid: [2, 5, 4, 17] },
  serialNumber: { field: 'SerialNumber', oid: [2, 5, 4, 5] },
  CN: { field: 'CommonName', oid: [2, 5, 4, 3] },
};

/** pkix.Name as encoding/json prints it: nil slices are null, Names lists every attribute. */
function pkixName(text: string): JsonObject {
  const name: JsonObject = {
    Country: null,
    Organization: null,
    OrganizationalUnit: null,
    Locality: null,
    Province: null,
    StreetAddress: null,
    PostalCode: null,
    SerialNumber: '',
    CommonName: '',
    Names: [],
    ExtraNames: null,
  };
  const names: JsonValue[] = [];
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    const known = nameFields[key];
    if (known === undefined) continue;
    names.push({ Type: known.oid, Value: value });
    if (known.field === 'CommonName' || known.field === 'SerialNumber') {
      name[known.field] = value;
    } else {
      const list = (name[known.field] as string[] | null) ?? [];
      list.push(value);
      name[known.field] = list;
    }
  }
  name.Names = names;
  return name;
}

function sanList(san: string | undefined, prefix: string): string[] | null {
  if (san === undefined) return null;
  const values = san
    .split(', ')
    .filter((entry) => entry.startsWith(`${prefix}:`))
    .map((entry) => entry.slice(prefix.length + 1));
  return values.length === 0 ? null : values;
}

function decimalFromBase64Url(b64: string): string {
  const hex = Buffer.from(b64, 'base64url').toString('hex');
  return BigInt(`0x${hex || '0'}`).toString(10);
}

export function decodeX509(pem: string): JsonObject {
  const block = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem);
  if (block === null) throw plainError('failed to decode PEM block');
  const type = block[1];
  if (type === 'CERTIFICATE REQUEST')
    throw plainError('x509_decode: certificate requests are not supported by Sprout');
  if (type !== 'CERTIFICATE')
    throw plainError('PEM block neither contains a CERTIFICATE or CERTIFICATE REQUEST');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (e) {
    throw plainError(`x509: malformed certificate${e instanceof Error ? ` (${e.message})` : ''}`);
  }
  if (cert.publicKey.asymmetricKeyType !== 'rsa') throw plainError('certificate should use rsa algorithm');
  const jwk = cert.publicKey.export({ format: 'jwk' });
  const exponent = Number(BigInt(`0x${Buffer.from(jwk.e ?? '', 'base64url').toString('hex') || '0'}`));
  return {
    Raw: cert.raw.toString('base64'),
    Version: 3,
    SerialNumber: Number(BigInt(`0x${cert.serialNumber}`)),
    Issuer: pkixName(cert.issuer),
    Subject: pkixName(cert.subject),
    NotBefore: formatRfc3339(timeFromEpochMillis(Date.parse(cert.validFrom))),
    NotAfter: formatRfc3339(timeFromEpochMillis(Date.parse(cert.validTo))),
    PublicKeyAlgorithm: 1,
    PublicKey: { N: decimalFromBase64Url(jwk.n ?? ''), E: exponent },
    BasicConstraintsValid: cert.ca,
    IsCA: cert.ca,
    DNSNames: sanList(cert.subjectAltName, 'DNS'),
    EmailAddresses: sanList(cert.subjectAltName, 'email'),
    IPAddresses: sanList(cert.subjectAltName, 'IP Address'),
    URIs: sanList(cert.subjectAltName, 'URI'),
  };
}
