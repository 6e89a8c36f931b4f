// Writes one namespace's report: create, update only when results or summary changed, delete when
// nothing is left to report. A conflict throws, so the workqueue retries with backoff.
import type { KubeObject } from '../../api/kube.js';
import type { ClusterClient } from '../../cluster/client.js';
import { NotFoundError } from '../../cluster/errors.js';
import type { ReportResult } from './report-format.js';
import { buildReport } from './report-format.js';

export type WriteOutcome = 'created' | 'updated' | 'deleted' | 'unchanged';

export async function writeReport(
  cluster: ClusterClient,
  namespace: string,
  results: ReportResult[],
): Promise<WriteOutcome> {
  const want = buildReport(namespace, results);
  const ref = {
    apiVersion: want.apiVersion,
    kind: want.kind,
    name: want.metadata.name ?? '',
    ...(namespace === '' ? {} : { namespace }),
  };
  let live: KubeObject | undefined;
  try {
    live = await cluster.get(ref);
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
  if (results.length === 0) {
    if (!live) return 'unchanged';
    try {
      await cluster.delete(ref);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
    return 'deleted';
  }
  if (!live) {
    await cluster.create(want);
    return 'created';
  }
  if (
    JSON.stringify(live['results'] ?? []) === JSON.stringify(want['results']) &&
    JSON.stringify(live['summary'] ?? {}) === JSON.stringify(want['summary'])
  )
    return 'unchanged';
  await cluster.update({
    ...live,
    metadata: { ...live.metadata, labels: { ...live.metadata.labels, ...want.metadata.labels } },
    results: want['results'] ?? [],
    summary: want['summary'] ?? {},
  });
  return 'updated';
}
