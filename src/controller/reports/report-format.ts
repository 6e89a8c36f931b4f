// PolicyReport / ClusterPolicyReport objects (wgpolicyk8s.io/v1alpha2) as Kyverno writes them and
// Policy Reporter reads them: one result per (policy, rule, resource) with source "kyverno",
// category/severity from the policy's annotations, and a summary of counts.
//
// Naming: one report per namespace, `polr-ns-<namespace>`, and one `clusterpolicyreport` for
// cluster-scoped resources — Kyverno's layout before 1.10. Recent Kyverno writes one report per
// resource, named by the resource's uid. Policy Reporter reads both; the per-namespace form keeps the
// object count proportional to namespaces rather than to every Pod, which matters on the embedded
// API server and in etcd, and `kubectl get polr -A` stays readable.
import type { KubeObject } from '../../api/kube.js';
import type { KyvernoPolicy } from '../../api/policy.js';
import type { RuleStatus } from '../../engine/result.js';

export const REPORT_API_VERSION = 'wgpolicyk8s.io/v1alpha2';
export const CLUSTER_REPORT_NAME = 'clusterpolicyreport';

export function namespaceReportName(namespace: string): string {
  return `polr-ns-${namespace}`;
}

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
}

export type ReportResultStatus = Exclude<RuleStatus, 'skip'> | 'skip';

export interface ReportResult {
  policy: string;
  rule: string;
  result: ReportResultStatus;
  message: string;
  source: 'kyverno';
  scored: boolean;
  category?: string;
  severity?: string;
  resources: ResourceRef[];
  timestamp: { seconds: number; nanos: number };
}

export interface ReportSummary {
  pass: number;
  fail: number;
  warn: number;
  error: number;
  skip: number;
}

const SEVERITIES = new Set(['critical', 'high', 'medium', 'low', 'info']);

/** Kyverno's policy name in reports: "ns/name" for a namespaced Policy. */
export function reportPolicyName(p: KyvernoPolicy): string {
  return p.kind === 'Policy' ? `${p.metadata.namespace ?? 'default'}/${p.metadata.name}` : p.metadata.name;
}

/**
 * One rule outcome as a report result. An unscored policy (`policies.kyverno.io/scored: "false"`)
 * reports failures as warnings, as Kyverno does.
 */
export function reportResult(
  policy: KyvernoPolicy,
  rule: string,
  status: RuleStatus,
  message: string,
  resource: ResourceRef,
  nowMs: number,
): ReportResult {
  const annotations = policy.metadata.annotations ?? {};
  const scored = annotations['policies.kyverno.io/scored'] !== 'false';
  const severity = annotations['policies.kyverno.io/severity']?.toLowerCase();
  const category = annotations['policies.kyverno.io/category'];
  return {
    policy: reportPolicyName(policy),
    rule,
    result: status === 'fail' && !scored ? 'warn' : status,
    message,
    source: 'kyverno',
    scored,
    ...(category ? { category } : {}),
    ...(severity && SEVERITIES.has(severity) ? { severity } : {}),
    resources: [resource],
    timestamp: { seconds: Math.floor(nowMs / 1000), nanos: 0 },
  };
}

export function summarise(results: ReportResult[]): ReportSummary {
  const s: ReportSummary = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) s[r.result]++;
  return s;
}

/** Stable order: by resource, then policy, then rule, so unchanged reports compare equal. */
export function sortResults(results: ReportResult[]): ReportResult[] {
  const key = (r: ReportResult): string =>
    [r.resources[0]?.kind, r.resources[0]?.namespace, r.resources[0]?.name, r.policy, r.rule].join('\u0000');
  return [...results].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The report for a namespace ('' for cluster-scoped resources). */
export function buildReport(namespace: string, results: ReportResult[]): KubeObject {
  const sorted = sortResults(results);
  const metadata = {
    name: namespace === '' ? CLUSTER_REPORT_NAME : namespaceReportName(namespace),
    ...(namespace === '' ? {} : { namespace }),
    labels: { 'app.kubernetes.io/managed-by': 'kyverno' },
  };
  return {
    apiVersion: REPORT_API_VERSION,
    kind: namespace === '' ? 'ClusterPolicyReport' : 'PolicyReport',
    metadata,
    results: sorted,
    summary: summarise(sorted),
  };
}
