// Which reports at start belong to the per-namespace layout of earlier Sprout versions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/kube.js';
import { isLegacyReport } from './existing-reports.js';

const MANAGED = { 'app.kubernetes.io/managed-by': 'kyverno' };
const report = (kind: string, name: string, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'wgpolicyk8s.io/v1alpha2',
  kind,
  metadata: { name, ...(kind === 'PolicyReport' ? { namespace: 'shop' } : {}), ...(labels ? { labels } : {}) },
});

test('only Sprout-managed polr-ns-* and clusterpolicyreport are legacy', () => {
  const cases: [KubeObject, boolean][] = [
    [report('PolicyReport', 'polr-ns-shop', MANAGED), true],
    [report('ClusterPolicyReport', 'clusterpolicyreport', MANAGED), true],
    [report('PolicyReport', 'polr-ns-shop'), false],
    [report('ClusterPolicyReport', 'clusterpolicyreport', { 'app.kubernetes.io/managed-by': 'someone-else' }), false],
    [report('PolicyReport', '0ec04a57-4c3d-492d-9278-951cd1929fe3', MANAGED), false],
    [report('ClusterPolicyReport', 'polr-ns-shop', MANAGED), false],
    [report('PolicyReport', 'clusterpolicyreport', MANAGED), false],
  ];
  for (const [obj, want] of cases) assert.equal(isLegacyReport(obj), want, `${obj.kind} ${obj.metadata.name ?? ''}`);
});
