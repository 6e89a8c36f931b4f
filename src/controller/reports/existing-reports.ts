// What is already in the cluster when the report controller starts. Sprout once wrote one report per
// namespace (`polr-ns-<namespace>`) and one `clusterpolicyreport`; those are deleted, so an upgraded
// cluster is not left with results nobody updates. Per-resource reports are returned, so the
// controller can check each one against a fresh scan instead of trusting it.
import type { KubeObject } from '../../api/kube.js';
import type { ClusterClient } from '../../cluster/client.js';
import { isJsonObject } from '../../api/json.js';
import type { ReportLocation } from './report-format.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, REPORT_API_VERSION } from './report-format.js';
import { deleteReport } from './report-writer.js';
import type { ResourceName } from './result-store.js';

const LEGACY_NAMESPACE_PREFIX = 'polr-ns-';
const LEGACY_CLUSTER_NAME = 'clusterpolicyreport';
const REPORT_KINDS = ['PolicyReport', 'ClusterPolicyReport'] as const;

export interface ExistingReport {
  at: ReportLocation;
  /** The resource the report is about, from its `scope`. */
  resource: ResourceName;
}

export interface ExistingReports {
  reports: ExistingReport[];
  legacyDeleted: number;
}

/** A report in the per-namespace layout Sprout wrote before per-resource reports. */
export function isLegacyReport(obj: KubeObject): boolean {
  if (obj.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) return false;
  const name = obj.metadata.name ?? '';
  return obj.kind === 'PolicyReport' ? name.startsWith(LEGACY_NAMESPACE_PREFIX) : name === LEGACY_CLUSTER_NAME;
}

function scopeOf(obj: KubeObject): ResourceName | undefined {
  const scope = obj['scope'];
  if (!isJsonObject(scope)) return undefined;
  const { apiVersion, kind, name, namespace } = scope;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof name !== 'string') return undefined;
  return { apiVersion, kind, name, ...(typeof namespace === 'string' && namespace ? { namespace } : {}) };
}

async function listAll(cluster: ClusterClient, kind: string): Promise<KubeObject[]> {
  const items: KubeObject[] = [];
  let next: string | undefined;
  do {
    const page = await cluster.list(
      { apiVersion: REPORT_API_VERSION, kind },
      { labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`, limit: 500, ...(next ? { continue: next } : {}) },
    );
    items.push(...page.items);
    next = page.continue;
  } while (next);
  return items;
}

/** Deletes the legacy per-namespace reports and returns the per-resource ones. */
export async function readExistingReports(cluster: ClusterClient): Promise<ExistingReports> {
  const out: ExistingReports = { reports: [], legacyDeleted: 0 };
  for (const kind of REPORT_KINDS) {
    for (const obj of await listAll(cluster, kind)) {
      const at: ReportLocation = {
        apiVersion: REPORT_API_VERSION,
        kind,
        name: obj.metadata.name ?? '',
        ...(kind === 'PolicyReport' && obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
      };
      if (isLegacyReport(obj)) {
        if ((await deleteReport(cluster, at)) === 'deleted') out.legacyDeleted++;
        continue;
      }
      const resource = scopeOf(obj);
      if (resource) out.reports.push({ at, resource });
    }
  }
  return out;
}
