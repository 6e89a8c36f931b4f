import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kyvernoFunctions } from './index.js';

// A self-signed RSA certificate (CN=test.example.com, O=Acme, C=US, serial 4660, two DNS SANs).
const pem =
  '-----BEGIN CERTIFICATE-----\nMIICZzCCAdCgAwIBAgICEjQwDQYJKoZIhvcNAQELBQAwNzELMAkGA1UEBhMCVVMx\nDTALBgNVBAoMBEFjbWUxGTAXBgNVBAMMEHRlc3QuZXhhbXBsZS5jb20wHhcNMjYx\nMTIzMjEzMjI3WhcNMzYxMTIwMjEzMjI3WjA3MQswCQYDVQQGEwJVUzENMAsGA1UE\nCgwEQWNtZTEZMBcGA1UEAwwQdGVzdC5leGFtcGxlLmNvbTCBnzANBgkqhkiG9w0B\nAQEFAAOBjQAwgYkCgYEAxhPJppqSWCTS0hNKTQP5i87ty8xqxA4/kgUQScDOHmnu\n0aXi0CcNQQu4poPZqL8xLxRu5EoydRBt4uDctHnbZrC8hrqbVuUTfglqn3I7kHzm\nnnA6ClSf87+l6tqnYMQuCcENKZL2AT6mt+Gli83SpFHFR9oH1f0yRLzj4gf492EC\nAwEAAaOBgTB/MB0GA1UdDgQWBBS8ajnwDo6+2ccMPW1k2nVo1wKPITAfBgNVHSME\nGDAWgBS8ajnwDo6+2ccMPW1k2nVo1wKPITAPBgNVHRMBAf8EBTADAQH/MCwGA1Ud\nEQQlMCOCEHRlc3QuZXhhbXBsZS5jb22CD3d3dy5leGFtcGxlLmNvbTANBgkqhkiG\n9w0BAQsFAAOBgQAgnA8DL1HKRenHmXggyGUW/rVgl0gl0EQDflBm+R2+Koam4g6+\n0EJS/h6J2I2spYp5DAkSDdrCFuQnVRg7II+lr+sHGa3TPYSO7PO0MDJH/+qythhF\nwXnxdeKE0GMGdbPITop3gCOEwyZ7mXjkshK6R9EoBhL+1ooqg7+Z0CxlBA==\n-----END CERTIFICATE-----\n';

describe('x509_decode', () => {
  const fn = kyvernoFunctions.get('x509_decode');
  const ctx = { now: () => 0, random: () => 0 };

  it('decodes the fields policies read', () => {
    assert.ok(fn);
    const cert = fn.call([pem], ctx) as Record<string, unknown>;
    const subject = cert.Subject as Record<string, unknown>;
    assert.equal(subject.CommonName, 'test.example.com');
    assert.deepEqual(subject.Organization, ['Acme']);
    assert.deepEqual(subject.Country, ['US']);
    assert.equal(subject.Locality, null);
    assert.equal(cert.SerialNumber, 4660);
    assert.deepEqual(cert.DNSNames, ['test.example.com', 'www.example.com']);
    assert.equal(cert.IsCA, true);
    assert.match(String(cert.NotBefore), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const key = cert.PublicKey as Record<string, unknown>;
    assert.equal(key.E, 65537);
    assert.match(String(key.N), /^\d+$/);
  });

  it('rejects input without a PEM block', () => {
    assert.ok(fn);
    assert.throws(() => fn.call(['not a pem'], ctx), { message: 'failed to decode PEM block' });
  });
});
