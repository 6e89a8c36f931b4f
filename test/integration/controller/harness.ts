// A generate controller running on the in-memory cluster, plus helpers to wait for convergence.
import type { KubeObject } from '../../../src/api/kube.js';
import { MemoryCluster } from '../../../src/cluster/memory/index.js';
import { NotFoundError } from '../../../src/cluster/errors.js';
import type { ClusterClient, ObjectRef } from '../../../src/cluster/client.js';
import { GenerateController } from '../../../src/controller/generate-controller.js';
import { systemClock } from '../../../src/platform/clock.js';
import { silentLogger } from '../../../src/platform/logger.js';
import { Metrics } from '../../../src/platform/metrics.js';
import { parseYamlDocuments } from '../../../src/policy/yaml.js';

export interface Harness {
  cluster: MemoryCluster;
  client: ClusterClient;
  controller: GenerateController;
  metrics: Metrics;
  stop(): Promise<void>;
}

export async function startHarness(
  options: { client?: (c: MemoryCluster) => ClusterClient; resyncPeriodMs?: number } = {},
): Promise<Harness> {
  const cluster = new MemoryCluster();
  const client = options.client ? options.client(cluster) : cluster;
  const metrics = new Metrics();
  const controller = new GenerateController({
    cluster: client,
    clock: systemClock,
    logger: silentLogger(),
    metrics,
    workers: 2,
    resyncPeriodMs: options.resyncPeriodMs,
  });
  const abort = new AbortController();
  const running = controller.run(abort.signal);
  await waitFor(() => controller.hasSynced(), 'controller sync');
  return {
    cluster,
    client,
    controller,
    metrics,
    stop: async () => {
      abort.abort();
      await running;
    },
  };
}

export function yaml(text: string): KubeObject[] {
  return parseYamlDocuments(text, 'inline.yaml').map((d) => d.value as unknown as KubeObject);
}

/** Creates or updates the objects; like Kyverno's tests, waits for policies among them to be Ready. */
export async function apply(cluster: ClusterClient, text: string): Promise<void> {
  const objects = yaml(text);
  await applyObjects(cluster, objects);
  for (const p of objects.filter((o) => o.apiVersion.startsWith('kyverno.io/'))) {
    await eventually(cluster, refOf(p), (live) => JSON.stringify(live['status'] ?? {}).includes('"status":"True"'), 'to be Ready');
  }
}

async function applyObjects(cluster: ClusterClient, objects: KubeObject[]): Promise<void> {
  for (const obj of objects) {
    try {
      const live = await cluster.get(refOf(obj));
      await cluster.update({
        ...obj,
        metadata: { ...obj.metadata, resourceVersion: live.metadata.resourceVersion },
      });
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      await cluster.create(obj);
    }
  }
}

export function refOf(obj: KubeObject): ObjectRef {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name ?? '',
  };
}

export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function tryGet(cluster: ClusterClient, ref: ObjectRef): Promise<KubeObject | undefined> {
  try {
    return await cluster.get(ref);
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
}

/** Waits until the object exists (and satisfies `check`), returning it. */
export async function eventually(
  cluster: ClusterClient,
  ref: ObjectRef,
  check: (o: KubeObject) => boolean = () => true,
  what = '',
): Promise<KubeObject> {
  let last: KubeObject | undefined;
  await waitFor(
    async () => {
      last = await tryGet(cluster, ref);
      return last !== undefined && check(last);
    },
    `${ref.kind} ${ref.namespace ?? ''}/${ref.name} ${what}`,
  );
  return last as KubeObject;
}

export async function eventuallyGone(cluster: ClusterClient, ref: ObjectRef): Promise<void> {
  await waitFor(
    async () => (await tryGet(cluster, ref)) === undefined,
    `${ref.kind} ${ref.namespace ?? ''}/${ref.name} to be deleted`,
  );
}

/** Lets the controller settle, then checks the object is (still) absent. */
export async function staysGone(h: Harness, ref: ObjectRef): Promise<boolean> {
  await waitFor(() => h.controller.pending() === 0, 'queue drained');
  await new Promise((r) => setTimeout(r, 50));
  await waitFor(() => h.controller.pending() === 0, 'queue drained');
  return (await tryGet(h.client, ref)) === undefined;
}
