// Writes a GeneratePlan through the cluster port: create what is missing and, with synchronize,
// bring drifted objects back. The webhook, the controller and the CLI all write through here.
import type { KubeObject } from '../../api/kube.js';
import { buildCloneCopy } from '../../engine/generate/clone.js';
import { LABEL } from '../../engine/generate/labels.js';
import type { GeneratePlan, GenerateTarget, ResourceRef } from '../../engine/generate/plan.js';
import type { ClusterClient } from '../../cluster/client.js';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../../cluster/errors.js';
import { formatLabelSelector } from '../../cluster/selectors.js';
import { isConverged } from './converge.js';

export const FIELD_MANAGER = 'sprout';

export interface AppliedObject {
  action: 'created' | 'updated' | 'unchanged';
  object: KubeObject;
}

export interface ApplyResult {
  objects: AppliedObject[];
  errors: string[];
  /** Clone sources that do not exist (yet): nothing was copied for them. */
  missingSources: ResourceRef[];
}

/**
 * Remembers updates the server answered with something we cannot predict (defaults, normalisation):
 * while the object stays at that resourceVersion and we want the same, it counts as converged, so a
 * normalising server cannot drive an endless update loop.
 */
export class ConvergenceMemo {
  private readonly seen = new Map<string, { resourceVersion: string; desired: string }>();

  remember(obj: KubeObject, desired: KubeObject): void {
    if (this.seen.size > 50_000) this.seen.clear();
    this.seen.set(objectKey(obj), { resourceVersion: obj.metadata.resourceVersion ?? '', desired: JSON.stringify(desired) });
  }

  settled(live: KubeObject, desired: KubeObject): boolean {
    const s = this.seen.get(objectKey(live));
    return s !== undefined && s.resourceVersion === live.metadata.resourceVersion && s.desired === JSON.stringify(desired);
  }
}

function objectKey(o: KubeObject): string {
  return `${o.apiVersion}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name ?? ''}`;
}

export async function applyGeneratePlan(plan: GeneratePlan, cluster: ClusterClient, memo?: ConvergenceMemo): Promise<ApplyResult> {
  const result: ApplyResult = { objects: [], errors: [...plan.errors], missingSources: [] };
  for (const target of plan.targets) {
    try {
      await applyTarget(plan, target, cluster, result, memo);
    } catch (e) {
      result.errors.push(e instanceof Error ? e.message : String(e));
    }
  }
  return result;
}

async function applyTarget(
  plan: GeneratePlan,
  t: GenerateTarget,
  cluster: ClusterClient,
  out: ApplyResult,
  memo?: ConvergenceMemo,
): Promise<void> {
  switch (t.type) {
    case 'data':
      out.objects.push(await ensureObject(plan, t.object, cluster, memo));
      return;
    case 'clone':
      await cloneOne(plan, t.source, t.target, cluster, out, memo);
      return;
    case 'cloneList':
      for (const kind of t.kinds) {
        const { apiVersion, kindName } = splitKind(kind);
        const list = await cluster.list(
          { apiVersion, kind: kindName },
          {
            namespace: t.sourceNamespace,
            labelSelector: t.selector ? formatLabelSelector(t.selector) || undefined : undefined,
          },
        );
        for (const source of list.items) {
          if ((source.metadata.namespace ?? '') === t.namespace) continue;
          const target: ResourceRef = {
            apiVersion: source.apiVersion || apiVersion,
            kind: source.kind || kindName,
            namespace: t.namespace,
            name: source.metadata.name ?? '',
          };
          await cloneFrom(plan, source, target, cluster, out, memo);
        }
      }
      return;
  }
}

async function cloneOne(
  plan: GeneratePlan,
  src: ResourceRef,
  target: ResourceRef,
  cluster: ClusterClient,
  out: ApplyResult,
  memo?: ConvergenceMemo,
): Promise<void> {
  if (src.namespace === target.namespace && src.name === target.name) return;
  let source: KubeObject;
  try {
    source = await cluster.get({
      apiVersion: src.apiVersion,
      kind: src.kind,
      namespace: src.namespace,
      name: src.name,
    });
  } catch (e) {
    if (e instanceof NotFoundError) {
      out.missingSources.push(src);
      return;
    }
    throw e;
  }
  await cloneFrom(plan, source, target, cluster, out, memo);
}

async function cloneFrom(
  plan: GeneratePlan,
  source: KubeObject,
  target: ResourceRef,
  cluster: ClusterClient,
  out: ApplyResult,
  memo?: ConvergenceMemo,
): Promise<void> {
  source = await markCloneSource(source, cluster);
  out.objects.push(await ensureObject(plan, buildCloneCopy(source, target, plan.labels), cluster, memo));
}

/** Sources carry `generate.kyverno.io/clone-source` so their changes can be traced to copies. */
async function markCloneSource(source: KubeObject, cluster: ClusterClient): Promise<KubeObject> {
  if (source.metadata.labels?.[LABEL.cloneSource] !== undefined) return source;
  const labelled = structuredClone(source);
  labelled.metadata.labels = { ...(labelled.metadata.labels ?? {}), [LABEL.cloneSource]: '' };
  try {
    return await cluster.update(labelled, { fieldManager: FIELD_MANAGER });
  } catch {
    // Labelling is bookkeeping; a failure must not block the copy (Kyverno only logs it too).
    return labelled;
  }
}

async function ensureObject(
  plan: GeneratePlan,
  desired: KubeObject,
  cluster: ClusterClient,
  memo?: ConvergenceMemo,
): Promise<AppliedObject> {
  const ref = {
    apiVersion: desired.apiVersion,
    kind: desired.kind,
    namespace: desired.metadata.namespace,
    name: desired.metadata.name ?? '',
  };
  for (let attempt = 0; ; attempt++) {
    let live: KubeObject | undefined;
    try {
      live = await cluster.get(ref);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
    try {
      if (live === undefined) {
        if (plan.useServerSideApply) {
          return {
            action: 'created',
            object: await cluster.patch(ref, desired as never, 'apply', {
              fieldManager: FIELD_MANAGER,
              force: true,
            }),
          };
        }
        return { action: 'created', object: await cluster.create(desired, { fieldManager: FIELD_MANAGER }) };
      }
      if (!plan.synchronize || isConverged(desired, live) || memo?.settled(live, desired)) {
        return { action: 'unchanged', object: live };
      }
      let updated: KubeObject;
      if (plan.useServerSideApply) {
        updated = await cluster.patch(ref, desired as never, 'apply', { fieldManager: FIELD_MANAGER, force: true });
      } else {
        const replacement = structuredClone(desired);
        replacement.metadata.resourceVersion = live.metadata.resourceVersion;
        updated = await cluster.update(replacement, { fieldManager: FIELD_MANAGER });
      }
      if (!isConverged(desired, updated)) memo?.remember(updated, desired);
      return { action: 'updated', object: updated };
    } catch (e) {
      // Someone else wrote in between: read again and converge from what is there now.
      if ((e instanceof ConflictError || e instanceof AlreadyExistsError) && attempt < 5) continue;
      throw e;
    }
  }
}

/** "v1/Secret" → v1 + Secret; "apps/v1/Deployment" → apps/v1 + Deployment. */
export function splitKind(kind: string): { apiVersion: string; kindName: string } {
  const i = kind.lastIndexOf('/');
  return i < 0
    ? { apiVersion: 'v1', kindName: kind }
    : { apiVersion: kind.slice(0, i), kindName: kind.slice(i + 1) };
}
