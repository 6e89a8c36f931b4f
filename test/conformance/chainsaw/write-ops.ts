// apply, create, update, patch and delete, each retried until its timeout as chainsaw does.
import type { JsonObject } from '../../../src/api/json.js';
import type { Bindings } from './bindings.js';
import { templateWhole, applyNamespace, loadDocuments, plainLabels } from './resources.js';
import type { ObjectRef } from './client.js';
import { describeRef, refOf } from './client.js';
import type { OperationResult, RunContext } from './context.js';
import { errorMessage, metadataOf } from './context.js';
import type { DeleteOperation, ResourceOperation } from './model.js';
import { poll } from './poll.js';

type WriteVerb = 'apply' | 'create' | 'update' | 'patch';

export async function runWrite(op: ResourceOperation & { type: WriteVerb }, bindings: Bindings, ctx: RunContext, templating: boolean): Promise<OperationResult> {
  const docs = loadDocuments(op.source, bindings, ctx).map((d) => (templating ? templateWhole(d, bindings) : d));
  for (const doc of docs) {
    const result = await poll(
      async () => {
        try {
          await writeOnce(op.type, await applyNamespace(doc, ctx), ctx);
          return { done: true, value: '' };
        } catch (e) {
          return { done: false, value: errorMessage(e) };
        }
      },
      { clock: ctx.clock, timeoutMs: op.timeoutMs ?? ctx.timeouts.apply },
    );
    if (!result.done) return { ok: false, reason: `${op.type} ${describeRef(refOf(doc))}: ${result.value}` };
  }
  return { ok: true };
}

async function writeOnce(verb: WriteVerb, obj: JsonObject, ctx: RunContext): Promise<void> {
  const ref = refOf(obj);
  const existing = ref.name === '' ? null : await ctx.client.get(ref);
  switch (verb) {
    case 'apply':
      if (existing === null) await createTracked(obj, ctx);
      else await ctx.client.mergePatch(ref, obj);
      return;
    case 'create':
      if (existing !== null) throw new Error('the resource already exists in the cluster');
      await createTracked(obj, ctx);
      return;
    case 'patch':
      if (existing === null) throw new Error('the resource does not exist in the cluster');
      await ctx.client.mergePatch(ref, obj);
      return;
    case 'update': {
      if (existing === null) throw new Error('the resource does not exist in the cluster');
      const meta = { ...metadataOf(obj), resourceVersion: metadataOf(existing)['resourceVersion'] ?? null };
      await ctx.client.replace({ ...obj, metadata: meta });
      return;
    }
  }
}

/** Only what the test itself created is cleaned up afterwards. */
async function createTracked(obj: JsonObject, ctx: RunContext): Promise<void> {
  const created = await ctx.client.create(obj);
  const ref = refOf(created);
  ctx.cleanup.register(ref.name === '' ? refOf(obj) : ref);
}

export async function runDelete(op: DeleteOperation, bindings: Bindings, ctx: RunContext, templating: boolean): Promise<OperationResult> {
  const docs = 'ref' in op.source ? [refDocument(op.source.ref)] : loadDocuments(op.source, bindings, ctx);
  const timeoutMs = op.timeoutMs ?? ctx.timeouts.delete;
  for (const raw of docs) {
    const doc = await applyNamespace(templating ? templateWhole(raw, bindings) : raw, ctx);
    const target: ObjectRef = { ...refOf(doc) };
    if (target.name === '') delete target.name;
    const labels = plainLabels(doc);
    if (labels !== undefined) target.labels = labels;
    try {
      const victims = target.name === undefined ? (await ctx.client.list(target)).map(refOf) : [{ ...target, name: target.name }];
      const uids = new Map<ObjectRef, string | undefined>();
      for (const v of victims) {
        uids.set(v, uidOf(await ctx.client.get(v)));
        await ctx.client.delete(v);
      }
      for (const v of victims) {
        const gone = await waitGone(v, ctx, timeoutMs, uids.get(v));
        if (!gone) return { ok: false, reason: `delete ${describeRef(v)}: still present after ${timeoutMs} ms` };
      }
    } catch (e) {
      return { ok: false, reason: `delete ${describeRef(target)}: ${errorMessage(e)}` };
    }
  }
  return { ok: true };
}

/**
 * Polls until the object is gone; false on timeout. With `uid`, an object of the same name but another
 * uid counts as gone: a controller that re-creates what was deleted (synchronize) may do so before a
 * poll on a busy machine sees the gap.
 */
export async function waitGone(ref: ObjectRef & { name: string }, ctx: RunContext, timeoutMs: number, uid?: string): Promise<boolean> {
  const r = await poll(
    async () => {
      const live = await ctx.client.get(ref);
      return { done: live === null || (uid !== undefined && uidOf(live) !== uid), value: null };
    },
    { clock: ctx.clock, timeoutMs },
  );
  return r.done;
}

function uidOf(obj: JsonObject | null): string | undefined {
  const meta = obj?.['metadata'];
  const uid = meta !== null && typeof meta === 'object' && !Array.isArray(meta) ? meta['uid'] : undefined;
  return typeof uid === 'string' ? uid : undefined;
}

/** A delete `ref:` block ({apiVersion, kind, name, namespace, labels}) as an object skeleton. */
function refDocument(ref: JsonObject): JsonObject {
  const metadata: JsonObject = {};
  for (const k of ['name', 'namespace', 'labels']) if (ref[k] !== undefined) metadata[k] = ref[k] ?? null;
  return { apiVersion: ref['apiVersion'] ?? null, kind: ref['kind'] ?? null, metadata };
}
