// PolicyReport / ClusterPolicyReport objects (wgpolicyk8s.io/v1alpha2) in the layout Kyverno uses since
// 1.10 and Policy Reporter reads: ONE report per resource. A namespaced resource's report is a
// PolicyReport in its namespace, a cluster-scoped resource's a ClusterPolicyReport; the report is named
// by the resource's uid, owned by the resource (so the garbage collector removes it with the resource),
// and its `scope` names the resource, which is why the results carry no `resources` of their own.
// Per-resource reports keep every write proportional to one resource and every object far below etcd's
// size limit (see docs/adr/0006-per-resource-policy-reports.md); a resource without a uid has no report.
import type { KubeObject } from '../../api/kube.js';
import type { KyvernoPolicy } from '../../api/policy.js';
import type { RuleStatus } from '../../engine/result.js';

export const REPORT_API_VERSION = 'wgpolicyk8s.io/v1alpha2';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'kyverno';

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
}

/** A resource that can have a report: one with a uid. */
export interface ReportSubject extends ResourceRef {
  uid: string;
}

export type ReportResultStatus = Exclude<RuleStatus, 'skip'> | 'skip';

/** How Kyverno labels a result's origin in `properties.process`. */
export type ReportProcess = 'background scan' | 'admission review' | '';

export interface ReportResult {
  policy: string;
  rule: string;
  result: ReportResultStatus;
  message: string;
  source: 'kyverno';
  scored: boolean;
  category?: string;
  severity?: string;
  properties: { process: ReportProcess };
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
 * Kyverno derives `process` from the policy's settings, not from what produced the result: a policy
 * that scans in the background says "background scan" even for an admission result.
 */
export function reportProcess(p: KyvernoPolicy): ReportProcess {
  if (p.spec.background !== false) return 'background scan';
  if (p.spec.admission !== false) return 'admission review';
  return '';
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
    properties: { process: reportProcess(policy) },
    timestamp: { seconds: Math.floor(nowMs / 1000), nanos: 0 },
  };
}

export function summarise(results: ReportResult[]): ReportSummary {
  const s: ReportSummary = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) s[r.result]++;
  return s;
}

/** Stable order (policy, then rule), as Kyverno sorts, so unchanged reports compare equal. */
export function sortResults(results: ReportResult[]): ReportResult[] {
  const key = (r: ReportResult): string => `${r.policy}\u0000${r.rule}`;
  return [...results].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The resource as a report's subject; undefined without a uid, which a report cannot be named by. */
export function subjectOf(obj: KubeObject): ReportSubject | undefined {
  const uid = obj.metadata.uid;
  if (!uid) return undefined;
  // A Namespace object may carry a namespace field; the resource is still cluster-scoped.
  const namespace = obj.kind === 'Namespace' ? undefined : obj.metadata.namespace;
  return { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name ?? '', ...(namespace ? { namespace } : {}), uid };
}

/** Where a subject's report lives: kind, namespace (namespaced resources only) and name (the uid). */
export interface ReportLocation {
  apiVersion: string;
  kind: 'PolicyReport' | 'ClusterPolicyReport';
  name: string;
  namespace?: string;
}

export function reportLocation(subject: ReportSubject): ReportLocation {
  return subject.namespace
    ? { apiVersion: REPORT_API_VERSION, kind: 'PolicyReport', name: subject.uid, namespace: subject.namespace }
    : { apiVersion: REPORT_API_VERSION, kind: 'ClusterPolicyReport', name: subject.uid };
}

/** The report for one resource. */
export function buildReport(subject: ReportSubject, results: ReportResult[]): KubeObject {
  const sorted = sortResults(results);
  const at = reportLocation(subject);
  const scope = {
    apiVersion: subject.apiVersion,
    kind: subject.kind,
    name: subject.name,
    ...(subject.namespace ? { namespace: subject.namespace } : {}),
    uid: subject.uid,
  };
  return {
    apiVersion: at.apiVersion,
    kind: at.kind,
    metadata: {
      name: at.name,
      ...(at.namespace ? { namespace: at.namespace } : {}),
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
      // Like Kyverno: a plain owner (neither controller nor blocking), only there for the collector.
      ownerReferences: [{ apiVersion: subject.apiVersion, kind: subject.kind, name: subject.name, uid: subject.uid }],
    },
    scope,
    results: sorted,
    summary: summarise(sorted),
  };
}
