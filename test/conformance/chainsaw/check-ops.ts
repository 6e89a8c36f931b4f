// assert (poll until some object matches) and error (poll until none does), plus wait.
import type { JsonObject } from '../../../src/api/json.js';
import { checkAssertion } from './assertion.js';
import type { FieldError } from './assertion.js';
import type { Bindings } from './bindings.js';
import { describeRef, refOf } from './client.js';
import type { ObjectRef } from './client.js';
import type { OperationResult, RunContext } from './context.js';
import { errorMessage, metadataOf, text } from './context.js';
import { renderDiff } from './diff.js';
import type { ResourceOperation, WaitOperation } from './model.js';
import { poll } from './poll.js';
import { applyNamespace, loadDocuments, plainLabels, plainString, templateLookup } from './resources.js';

interface Verdict {
  matched: JsonObject[];
  /** The candidate with the fewest mismatches, and those mismatches. */
  closest?: { actual: JsonObject; errors: FieldError[] };
  candidates: number;
}

export async function runCheck(op: ResourceOperation & { type: 'assert' | 'error' }, bindings: Bindings, ctx: RunContext, templating: boolean): Promise<OperationResult> {
  const docs = loadDocuments(op.source, bindings, ctx).map((d) => (templating ? templateLookup(d, bindings) : d));
  const timeoutMs = op.timeoutMs ?? (op.type === 'assert' ? ctx.timeouts.assert : ctx.timeouts.error);
  for (const doc of docs) {
    let lastFailure = '';
    const result = await poll(
      async () => {
        try {
          const expected = await applyNamespace(doc, ctx);
          const verdict = await judge(expected, bindings, ctx);
          const done = op.type === 'assert' ? verdict.matched.length > 0 : verdict.matched.length === 0;
          return { done, value: { expected, verdict } };
        } catch (e) {
          lastFailure = errorMessage(e);
          return { done: false, value: null };
        }
      },
      { clock: ctx.clock, timeoutMs },
    );
    if (result.done) continue;
    if (result.value === null) return { ok: false, reason: lastFailure };
    return op.type === 'assert' ? assertFailure(result.value.expected, result.value.verdict, bindings) : errorFailure(result.value.verdict);
  }
  return { ok: true };
}

async function judge(expected: JsonObject, bindings: Bindings, ctx: RunContext): Promise<Verdict> {
  const candidates = await findCandidates(expected, ctx);
  const verdict: Verdict = { matched: [], candidates: candidates.length };
  for (const actual of candidates) {
    const errors = checkAssertion(expected, actual, bindings);
    if (errors.length === 0) verdict.matched.push(actual);
    else if (verdict.closest === undefined || errors.length < verdict.closest.errors.length) verdict.closest = { actual, errors };
  }
  return verdict;
}

/** By name when the assertion names one, otherwise every object of the kind in the namespace (narrowed by plain labels). */
async function findCandidates(expected: JsonObject, ctx: RunContext): Promise<JsonObject[]> {
  const apiVersion = plainString(expected['apiVersion']);
  const kind = plainString(expected['kind']);
  if (apiVersion === undefined || kind === undefined) throw new Error('assertions without a plain apiVersion and kind are not supported');
  const meta = metadataOf(expected);
  const ref: ObjectRef = { apiVersion, kind };
  const namespace = plainString(meta['namespace']);
  if (namespace !== undefined) ref.namespace = namespace;
  const name = plainString(meta['name']);
  if (name !== undefined) {
    const obj = await ctx.client.get({ ...ref, name });
    return obj === null ? [] : [obj];
  }
  const labels = plainLabels(expected);
  if (labels !== undefined) ref.labels = labels;
  return ctx.client.list(ref);
}

function assertFailure(expected: JsonObject, verdict: Verdict, bindings: Bindings): OperationResult {
  const what = describeRef(refOf(expected));
  if (verdict.closest === undefined) return { ok: false, reason: `${what}: actual resource not found` };
  const errors = verdict.closest.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  return {
    ok: false,
    reason: `${what}: ${verdict.candidates} candidate(s), none matches; closest ${describeRef(refOf(verdict.closest.actual))}: ${errors}`,
    diff: renderDiff(expected, verdict.closest.actual, bindings),
  };
}

function errorFailure(verdict: Verdict): OperationResult {
  const names = verdict.matched.map((m) => describeRef(refOf(m))).join(', ');
  return { ok: false, reason: `resource matches expectation (it should not exist): ${names}` };
}

export async function runWait(op: WaitOperation, ctx: RunContext): Promise<OperationResult> {
  const ref = await applyNamespace({ apiVersion: op.apiVersion, kind: op.kind, metadata: op.namespace === undefined ? {} : { namespace: op.namespace } }, ctx);
  const base: ObjectRef = { ...refOf(ref) };
  delete base.name;
  const timeoutMs = op.timeoutMs ?? ctx.timeouts.exec;
  const result = await poll(
    async () => {
      const objs = op.name === undefined ? await ctx.client.list(base) : [await ctx.client.get({ ...base, name: op.name })].filter((o): o is JsonObject => o !== null);
      if (op.deletion) return { done: objs.length === 0, value: objs.length };
      const ok = objs.length > 0 && objs.every((o) => hasCondition(o, op.condition?.name ?? '', op.condition?.value ?? 'True'));
      return { done: ok, value: objs.length };
    },
    { clock: ctx.clock, timeoutMs },
  );
  if (result.done) return { ok: true };
  const goal = op.deletion ? 'deletion' : `condition ${op.condition?.name ?? ''}=${op.condition?.value ?? ''}`;
  return { ok: false, reason: `wait ${describeRef({ ...base, name: op.name })}: timed out waiting for ${goal}` };
}

function hasCondition(obj: JsonObject, type: string, status: string): boolean {
  const st = obj['status'];
  const conditions = st !== null && typeof st === 'object' && !Array.isArray(st) ? st['conditions'] : undefined;
  if (!Array.isArray(conditions)) return false;
  return conditions.some(
    (c) => c !== null && typeof c === 'object' && !Array.isArray(c) && text(c['type']).toLowerCase() === type.toLowerCase() && text(c['status']).toLowerCase() === status.toLowerCase(),
  );
}
