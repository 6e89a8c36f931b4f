// Writes a GeneratePlan through the cluster port: create what is missing and, with synchronize,
// bring drifted objects back. The webhook, the controller and the CLI all write through here.
import type { KubeObject } from '../../api/kube.js';
import { buildCloneCopy } from '../../engine/generate/clone.js';
import { LABEL } from '../../engine/generate/labels.js';
import type { GeneratePlan, GenerateTarget, ResourceRef } from '../../engine/generate/plan.js';
import type { ClusterClient, ObjectRef } from '../../cluster/client.js';
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

/**
 * What the caller's cache (an informer) knows about a target: 'absent' lets the write start with a
 * create instead of a read that would only say NotFound. The cache may lag; a create that finds the
 * object there (AlreadyExists) falls back to read, compare and update, so a stale hint costs one
 * request and never a wrong write.
 */
export type PresenceHint = (ref: ObjectRef) => 'absent' | 'unknown';

export async function applyGeneratePlan(
  plan: GeneratePlan,
  cluster: ClusterClient,
  memo?: ConvergenceMemo,
  presence?: PresenceHint,
): Promise<ApplyResult> {
  const result: ApplyResult = { objects: [], errors: [...plan.errors], missingSources: [] };
  const ctx: ApplyContext = { plan, cluster, memo, presence };
  for (const target of plan.targets) {
    try {
      await applyTarget(ctx, target, result);
    } catch (e) {
      result.errors.push(e instanceof Error ? e.message : String(e));
    }
  }
  return result;
}

interface ApplyContext {
  plan: GeneratePlan;
  cluster: ClusterClient;
  memo: ConvergenceMemo | undefined;
  presence: PresenceHint | undefined;
}

async function applyTarget(ctx: ApplyContext, t: GenerateTarget, out: ApplyResult): Promise<void> {
  switch (t.type) {
    case 'data':
      out.objects.push(await ensureObject(ctx, t.object));
      return;
    case 'clone':
      await cloneOne(ctx, t.source, t.target, out);
      return;
    case 'cloneList':
      for (const kind of t.kinds) {
        const { apiVersion, kindName } = splitKind(kind);
        const list = await ctx.cluster.list(
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
          await cloneFrom(ctx, source, target, out);
        }
      }
      return;
  }
}

async function cloneOne(ctx: ApplyContext, src: ResourceRef, target: ResourceRef, out: ApplyResult): Promise<void> {
  if (src.namespace === target.namespace && src.name === target.name) return;
  let source: KubeObject;
  try {
    source = await ctx.cluster.get({
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
  await cloneFrom(ctx, source, target, out);
}

async function cloneFrom(ctx: ApplyContext, source: KubeObject, target: ResourceRef, out: ApplyResult): Promise<void> {
  source = await markCloneSource(source, ctx.cluster);
  out.objects.push(await ensureObject(ctx, buildCloneCopy(source, target, ctx.plan.labels)));
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

async function ensureObject(ctx: ApplyContext, desired: KubeObject): Promise<AppliedObject> {
  const { plan, cluster, memo } = ctx;
  const ref: ObjectRef = {
    apiVersion: desired.apiVersion,
    kind: desired.kind,
    namespace: desired.metadata.namespace,
    name: desired.metadata.name ?? '',
  };
  // Server-side apply creates and updates alike, so only the create path can skip the first read.
  const skipRead = !plan.useServerSideApply && ctx.presence?.(ref) === 'absent';
  for (let attempt = 0; ; attempt++) {
    let live: KubeObject | undefined;
    if (attempt > 0 || !skipRead) {
      try {
        live = await cluster.get(ref);
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw e;
      }
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
      // Someone else wrote in between (or the cache said absent but the object is there): read
      // again and converge from what is there now.
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
