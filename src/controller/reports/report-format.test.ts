// The per-resource report shape Kyverno (1.10+) writes and Policy Reporter reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/kube.js';
import type { KyvernoPolicy } from '../../api/policy.js';
import { buildReport, reportProcess, reportResult, subjectOf } from './report-format.js';

const policy = (spec: Record<string, unknown>, annotations: Record<string, string> = {}): KyvernoPolicy =>
  ({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'p', annotations }, spec: { rules: [], ...spec } }) as unknown as KyvernoPolicy;

test('process follows the policy settings, as Kyverno derives it', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{}, 'background scan'],
    [{ background: true, admission: false }, 'background scan'],
    [{ background: false }, 'admission review'],
    [{ background: false, admission: true }, 'admission review'],
    [{ background: false, admission: false }, ''],
  ];
  for (const [spec, want] of cases) assert.equal(reportProcess(policy(spec)), want, JSON.stringify(spec));
});

test('a result carries no resources; unscored failures are warnings; severity is normalised', () => {
  const r = reportResult(policy({}, { 'policies.kyverno.io/scored': 'false', 'policies.kyverno.io/severity': 'High' }), 'r', 'fail', 'm', 12_345);
  assert.deepEqual(r, {
    policy: 'p',
    rule: 'r',
    result: 'warn',
    message: 'm',
    source: 'kyverno',
    scored: false,
    severity: 'high',
    properties: { process: 'background scan' },
    timestamp: { seconds: 12, nanos: 0 },
  });
});

test('subjects need a uid; a Namespace is cluster-scoped', () => {
  const cases: [KubeObject, unknown][] = [
    [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'n' } }, undefined],
    [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'n', uid: 'u1' } }, { apiVersion: 'v1', kind: 'Pod', name: 'a', namespace: 'n', uid: 'u1' }],
    [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', namespace: 'n', uid: 'u2' } }, { apiVersion: 'v1', kind: 'Namespace', name: 'n', uid: 'u2' }],
  ];
  for (const [obj, want] of cases) assert.deepEqual(subjectOf(obj), want);
});

test('a report is named by uid, owned by and scoped to its resource, results sorted and summarised', () => {
  const p = (name: string): KyvernoPolicy => ({ ...policy({}), metadata: { name } });
  const results = [reportResult(p('z'), 'r', 'pass', '', 0), reportResult(p('a'), 'r2', 'fail', '', 0), reportResult(p('a'), 'r1', 'error', '', 0)];
  const subject = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop', uid: 'u-1' };
  const report = buildReport(subject, results);
  assert.equal(report.apiVersion, 'wgpolicyk8s.io/v1alpha2');
  assert.equal(report.kind, 'PolicyReport');
  assert.deepEqual(report.metadata, {
    name: 'u-1',
    namespace: 'shop',
    labels: { 'app.kubernetes.io/managed-by': 'kyverno' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u-1' }],
  });
  assert.deepEqual(report['scope'], subject);
  assert.deepEqual((report['results'] as { policy: string; rule: string }[]).map((r) => `${r.policy}/${r.rule}`), ['a/r1', 'a/r2', 'z/r']);
  assert.deepEqual(report['summary'], { pass: 1, fail: 1, warn: 0, error: 1, skip: 0 });

  const cluster = buildReport({ apiVersion: 'v1', kind: 'Namespace', name: 'shop', uid: 'u-2' }, results);
  assert.equal(cluster.kind, 'ClusterPolicyReport');
  assert.equal(cluster.metadata.namespace, undefined);
  assert.deepEqual(cluster['scope'], { apiVersion: 'v1', kind: 'Namespace', name: 'shop', uid: 'u-2' });
});
