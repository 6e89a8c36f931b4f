// The renewal decisions: keep the CA while it is valid, stage a new CA before it is used, promote it
// only once the webhook configurations trust it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { createCertificateAuthority, issueCertificate } from '../cluster/http/index.js';
import { certificateAuthorityFromPem, subjectDer } from './ca-from-pem.js';
import type { PlanOptions, TlsState } from './tls-plan.js';
import { planTlsState, splitPemCertificates } from './tls-plan.js';

const DAY = 24 * 3600 * 1000;
const T0 = Date.UTC(2026, 0, 1);
const hosts = ['sprout.sprout.svc', '127.0.0.1'];
const base: PlanOptions = { now: T0, hosts, renewBeforeMs: 30 * DAY, caRenewBeforeMs: 60 * DAY, nextTrusted: false };

function written(current: TlsState | undefined, o: Partial<PlanOptions> = {}): { state: TlsState; reason: string } {
  const plan = planTlsState(current, { ...base, ...o });
  assert.ok(plan.write, 'the plan writes');
  return plan;
}

const signedBy = (certPem: string, caPem: string): boolean => new X509Certificate(certPem).verify(new X509Certificate(caPem).publicKey);
const validTo = (pem: string): number => Date.parse(new X509Certificate(pem).validTo);

test('the CA loaded back from PEM signs certificates its own certificate verifies', () => {
  const ca = createCertificateAuthority({ commonName: 'loaded-ca' });
  const loaded = certificateAuthorityFromPem(ca.certPem, ca.keyPem);
  assert.deepEqual(loaded.subject, ca.subject);
  assert.deepEqual(loaded.keyId, ca.keyId);
  const leaf = issueCertificate(loaded, { commonName: 'x', hosts: ['x.example'] });
  assert.ok(new X509Certificate(leaf.certPem).checkIssued(new X509Certificate(ca.certPem)));
  assert.ok(signedBy(leaf.certPem, ca.certPem));
  assert.deepEqual(subjectDer(new X509Certificate(leaf.certPem).raw).length > 0, true);
  const other = createCertificateAuthority();
  assert.throws(() => certificateAuthorityFromPem(ca.certPem, other.keyPem), /does not belong/);
});

test('splitPemCertificates returns each certificate of a bundle', () => {
  const a = createCertificateAuthority().certPem;
  const b = createCertificateAuthority().certPem;
  assert.deepEqual(splitPemCertificates(a + b), [a, b]);
  assert.deepEqual(splitPemCertificates(a.trimEnd()), [a]);
  assert.deepEqual(splitPemCertificates('nothing'), []);
});

test('no Secret yet: a CA (with its key) and a serving certificate for every host', () => {
  const { state } = written(undefined);
  assert.equal(state.trusted.length, 1);
  assert.equal(state.trusted[0], state.ca.certPem);
  assert.ok(state.ca.keyPem);
  assert.ok(signedBy(state.serving.certPem, state.ca.certPem));
  const cert = new X509Certificate(state.serving.certPem);
  assert.equal(cert.checkHost('sprout.sprout.svc'), 'sprout.sprout.svc');
  assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
});

test('renewal decisions over time', () => {
  const initial = written(undefined).state;
  const servingEnd = validTo(initial.serving.certPem);
  const caEnd = validTo(initial.ca.certPem);
  const cases: { name: string; now: number; state?: TlsState; o?: Partial<PlanOptions>; expect: 'keep' | 'renew-serving' | 'stage-ca' | 'fresh' }[] = [
    { name: 'a day later', now: T0 + DAY, expect: 'keep' },
    { name: '31 days before the serving certificate ends', now: servingEnd - 31 * DAY, expect: 'keep' },
    { name: '29 days before it ends', now: servingEnd - 29 * DAY, expect: 'renew-serving' },
    { name: 'the hosts changed', now: T0 + DAY, o: { hosts: ['other.sprout.svc'] }, expect: 'renew-serving' },
    { name: 'after the serving certificate ended', now: servingEnd + DAY, expect: 'fresh' },
    { name: '59 days before the CA ends (serving renewed meanwhile)', now: caEnd - 59 * DAY, state: { ...initial, serving: reissued(initial, caEnd - 200 * DAY) }, expect: 'stage-ca' },
    { name: 'a Secret without the CA key', now: T0 + DAY, state: { ...initial, ca: { certPem: initial.ca.certPem } }, expect: 'stage-ca' },
  ];
  for (const c of cases) {
    const plan = planTlsState(c.state ?? initial, { ...base, now: c.now, ...c.o });
    if (c.expect === 'keep') {
      assert.equal(plan.write, false, c.name);
      continue;
    }
    assert.ok(plan.write, c.name);
    const s = plan.state;
    if (c.expect === 'renew-serving') {
      assert.equal(s.ca.certPem, initial.ca.certPem, `${c.name}: the CA is kept`);
      assert.deepEqual(s.trusted, initial.trusted, `${c.name}: the caBundle is unchanged`);
      assert.notEqual(s.serving.certPem, initial.serving.certPem, c.name);
      assert.ok(signedBy(s.serving.certPem, initial.ca.certPem), c.name);
      assert.ok(validTo(s.serving.certPem) > c.now + 300 * DAY, c.name);
    } else if (c.expect === 'stage-ca') {
      assert.ok(s.next, `${c.name}: a next CA is staged`);
      assert.equal(s.serving.certPem, (c.state ?? initial).serving.certPem, `${c.name}: still serving the old certificate`);
      assert.deepEqual(s.trusted, [initial.ca.certPem, s.next.certPem], `${c.name}: both CAs trusted`);
    } else {
      assert.notEqual(s.ca.certPem, initial.ca.certPem, c.name);
      assert.ok(signedBy(s.serving.certPem, s.ca.certPem), c.name);
    }
  }
});

/** A serving certificate from the state's CA issued at `at`, as an earlier renewal would have left it. */
function reissued(s: TlsState, at: number): TlsState['serving'] {
  const ca = certificateAuthorityFromPem(s.ca.certPem, s.ca.keyPem ?? '');
  const cert = issueCertificate(ca, { commonName: 'sprout', hosts, now: new Date(at) });
  return { certPem: cert.certPem, keyPem: cert.keyPem };
}

test('a staged CA signs only once the configurations trust it; the old CA stays trusted meanwhile', () => {
  const initial = written(undefined).state;
  const staged = written(initial, { now: T0 + DAY, caRenewBeforeMs: 3650 * DAY }).state;
  const next = staged.next;
  assert.ok(next);
  assert.equal(planTlsState(staged, { ...base, now: T0 + 2 * DAY, caRenewBeforeMs: 3650 * DAY }).write, false, 'waits while untrusted');
  const promoted = written(staged, { now: T0 + 2 * DAY, caRenewBeforeMs: 3650 * DAY, nextTrusted: true });
  assert.match(promoted.reason, /trusted/);
  const s = promoted.state;
  assert.equal(s.next, undefined);
  assert.equal(s.ca.certPem, next.certPem);
  assert.ok(signedBy(s.serving.certPem, next.certPem));
  assert.deepEqual(s.trusted, [next.certPem, initial.ca.certPem]);
  // Once the old CA has expired it leaves the bundle.
  const caEnd = validTo(initial.ca.certPem);
  const current: TlsState = { ...s, serving: reissued(s, caEnd - 100 * DAY) };
  const later = planTlsState(current, { ...base, now: caEnd + 3600_000, renewBeforeMs: 0, caRenewBeforeMs: 0 });
  assert.ok(later.write);
  assert.match(later.reason, /expired CA removed/);
  assert.deepEqual(later.state.trusted, [next.certPem]);
});

test('a serving certificate never outlives the CA that signed it', () => {
  const initial = written(undefined).state;
  const caEnd = validTo(initial.ca.certPem);
  const current: TlsState = { ...initial, serving: reissued(initial, caEnd - 200 * DAY) };
  const plan = planTlsState(current, { ...base, now: caEnd - 100 * DAY, renewBeforeMs: 365 * DAY, caRenewBeforeMs: 10 * DAY });
  assert.ok(plan.write);
  assert.equal(plan.state.ca.certPem, initial.ca.certPem);
  assert.ok(validTo(plan.state.serving.certPem) <= caEnd);
});

test('start-up (immediate): a due certificate whose CA cannot sign is replaced at once, old CAs kept in the bundle', () => {
  const initial = written(undefined).state;
  const legacy: TlsState = { ...initial, ca: { certPem: initial.ca.certPem } };
  const due = validTo(initial.serving.certPem) - 10 * DAY;
  const plan = planTlsState(legacy, { ...base, now: due, immediate: true });
  assert.ok(plan.write);
  assert.notEqual(plan.state.ca.certPem, initial.ca.certPem);
  assert.deepEqual(plan.state.trusted, [plan.state.ca.certPem, initial.ca.certPem]);
});
