import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { createCertificateAuthority, issueCertificate } from './certs.js';
import { oid, time, unsignedInteger } from './der.js';

describe('DER encoding', () => {
  it('encodes OIDs, integers and times as X.509 needs them', () => {
    assert.equal(oid('1.2.840.10045.4.3.2').toString('hex'), '06082a8648ce3d040302');
    assert.equal(oid('2.5.29.17').toString('hex'), '0603551d11');
    assert.equal(unsignedInteger(Buffer.from([0x80])).toString('hex'), '02020080');
    assert.equal(unsignedInteger(Buffer.from([0, 0, 5])).toString('hex'), '020105');
    assert.equal(time(new Date('2030-01-02T03:04:05Z')).toString('ascii', 2), '300102030405Z');
    assert.equal(time(new Date('2051-01-02T03:04:05Z'))[0], 0x18, 'GeneralizedTime from 2050');
  });
});

describe('certificates', () => {
  const now = new Date('2030-06-01T00:00:00Z');
  const ca = createCertificateAuthority({ commonName: 'test-ca', now });
  const leaf = issueCertificate(ca, { commonName: 'server', hosts: ['localhost', '127.0.0.1', '::1', 'hook.ns.svc'], now });

  it('makes a self-signed CA', () => {
    const cert = new X509Certificate(ca.certPem);
    assert.equal(cert.ca, true);
    assert.match(cert.subject, /CN=test-ca/);
    assert.ok(cert.verify(cert.publicKey));
    assert.equal(cert.validFrom, 'May 31 23:00:00 2030 GMT');
  });

  it('issues a serving certificate the CA verifies, with DNS and IP names', () => {
    const cert = new X509Certificate(leaf.certPem);
    assert.equal(cert.ca, false);
    assert.ok(cert.verify(new X509Certificate(ca.certPem).publicKey));
    assert.ok(cert.checkIssued(new X509Certificate(ca.certPem)));
    assert.equal(cert.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:hook.ns.svc');
    assert.equal(cert.checkHost('hook.ns.svc'), 'hook.ns.svc');
    assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
  });

  it('gives the base64 PEM kubeconfig and caBundle want', () => {
    assert.equal(Buffer.from(ca.certBase64, 'base64').toString('utf8'), ca.certPem);
  });
});
