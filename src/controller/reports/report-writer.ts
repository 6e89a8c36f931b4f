// Writes one resource's report: create, update only when results or summary changed, delete when
// nothing is left to report. A conflict throws, so the workqueue retries with backoff.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../api/kube.js';
import type { ClusterClient } from '../../cluster/client.js';
import { NotFoundError } from '../../cluster/errors.js';
import type { ReportLocation, ReportResult, ReportSubject } from './report-format.js';
import { buildReport, reportLocation } from './report-format.js';

export type WriteOutcome = 'created' | 'updated' | 'deleted' | 'unchanged';

async function getIfExists(cluster: ClusterClient, at: ReportLocation): Promise<KubeObject | undefined> {
  try {
    return await cluster.get(at);
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
}

/** Deletes a report; one already gone (the garbage collector was first) is not an error. */
export async function deleteReport(cluster: ClusterClient, at: ReportLocation): Promise<WriteOutcome> {
  try {
    await cluster.delete(at);
    return 'deleted';
  } catch (e) {
    if (e instanceof NotFoundError) return 'unchanged';
    throw e;
  }
}

/**
 * Compares what the API server returned with what would be written. The server hands custom resources
 * back with its own key order, so only structure counts; the wanted side goes through JSON first, as the
 * live side did, so that an optional field left undefined equals one that is absent.
 */
function sameContent(live: unknown, want: unknown): boolean {
  return want !== undefined && isDeepStrictEqual(live, JSON.parse(JSON.stringify(want)) as unknown);
}

export async function writeReport(
  cluster: ClusterClient,
  subject: ReportSubject,
  results: ReportResult[],
): Promise<WriteOutcome> {
  const at = reportLocation(subject);
  if (results.length === 0) return deleteReport(cluster, at);
  const want = buildReport(subject, results);
  const live = await getIfExists(cluster, at);
  if (!live) {
    await cluster.create(want);
    return 'created';
  }
  if (sameContent(live['results'] ?? [], want['results']) && sameContent(live['summary'] ?? {}, want['summary'])) return 'unchanged';
  await cluster.update({
    ...live,
    metadata: {
      ...live.metadata,
      labels: { ...live.metadata.labels, ...want.metadata.labels },
      ownerReferences: want.metadata.ownerReferences ?? [],
    },
    scope: want['scope'],
    results: want['results'] ?? [],
    summary: want['summary'] ?? {},
  });
  return 'updated';
}
