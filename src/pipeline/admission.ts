// The admission path of the pipeline: one AdmissionRequest against the policies that can match its
// kind. Mutate runs every candidate's mutate rules in turn, each on the previous result, and returns
// one RFC 6902 patch; validate runs every candidate's validate rules. Decisions (deny, warn) are the
// webhook's; this only evaluates. An engine exception is kept per policy, never thrown.
import type { AdmissionRequest, RequestUser } from '../api/admission.js';
import type { JsonValue } from '../api/json.js';
import type { GroupVersionKind, KubeObject } from '../api/kube.js';
import type { KyvernoPolicy } from '../api/policy.js';
import type { EvalEnv } from '../engine/env.js';
import { evaluateMutate } from '../engine/mutate/evaluate.js';
import type { MutateRuleOutcome } from '../engine/mutate/evaluate.js';
import { diffJsonPatch } from '../engine/patch/diff.js';
import type { JsonPatchOperation } from '../engine/patch/json-patch.js';
import type { PolicyRequest } from '../engine/request.js';
import { evaluateValidate } from '../engine/validate/evaluate.js';
import type { ValidateRuleOutcome } from '../engine/validate/evaluate.js';

/** Where the admission path finds policies: the controller's PolicyStore fits. */
export interface PolicySource {
  candidates(gvk: GroupVersionKind, subresource?: string): KyvernoPolicy[];
}

export interface AdmissionDeps {
  policies: PolicySource;
  env: EvalEnv;
  /** Labels of a namespace, when known (namespaceSelector, failureActionOverrides, CEL namespaceObject). */
  namespaceLabels?: (namespace: string) => Record<string, string> | undefined;
}

export interface PolicyValidation {
  policy: KyvernoPolicy;
  rules: ValidateRuleOutcome[];
  /** The engine threw: the policy's failurePolicy decides. */
  error?: string;
}

export interface PolicyMutation {
  policy: KyvernoPolicy;
  rules: MutateRuleOutcome[];
  error?: string;
}

export interface AdmissionMutation {
  policies: PolicyMutation[];
  /** The object after every policy's mutations. */
  resource: KubeObject | undefined;
  /** From the request's object to `resource`. */
  patches: JsonPatchOperation[];
}

/** spec.admission: false keeps a policy out of admission (background only). */
const appliesAtAdmission = (p: KyvernoPolicy, type: 'validate' | 'mutate'): boolean =>
  p.spec.admission !== false && p.spec.rules.some((r) => r[type] !== undefined);

/** The engine's view of an admission request. */
export function policyRequestOf(
  req: AdmissionRequest,
  user: RequestUser,
  deps: Pick<AdmissionDeps, 'namespaceLabels'>,
): PolicyRequest {
  const subject = req.object ?? req.oldObject ?? undefined;
  const namespace = req.namespace || subject?.metadata.namespace;
  const labels = namespace && subject?.kind !== 'Namespace' ? deps.namespaceLabels?.(namespace) : undefined;
  return {
    operation: req.operation,
    object: req.object ?? undefined,
    oldObject: req.oldObject ?? undefined,
    subresource: req.subResource,
    user,
    admission: req,
    ...(labels ? { namespaceLabels: labels } : {}),
  };
}

function candidatesOf(req: AdmissionRequest, deps: AdmissionDeps, type: 'validate' | 'mutate'): KyvernoPolicy[] {
  return deps.policies.candidates(req.kind, req.subResource ?? '').filter((p) => appliesAtAdmission(p, type));
}

export async function admissionValidate(
  req: AdmissionRequest,
  user: RequestUser,
  deps: AdmissionDeps,
): Promise<PolicyValidation[]> {
  const policies = candidatesOf(req, deps, 'validate');
  if (policies.length === 0) return [];
  const preq = policyRequestOf(req, user, deps);
  const out: PolicyValidation[] = [];
  for (const policy of policies) {
    try {
      const rules = await evaluateValidate(policy, preq, deps.env);
      if (rules.length > 0) out.push({ policy, rules });
    } catch (e) {
      out.push({ policy, rules: [], error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}

export async function admissionMutate(
  req: AdmissionRequest,
  user: RequestUser,
  deps: AdmissionDeps,
): Promise<AdmissionMutation> {
  const original = req.object ?? undefined;
  const policies = original && req.operation !== 'DELETE' ? candidatesOf(req, deps, 'mutate') : [];
  if (original === undefined || policies.length === 0)
    return { policies: [], resource: original, patches: [] };
  const base = policyRequestOf(req, user, deps);
  let current = original;
  const out: PolicyMutation[] = [];
  for (const policy of policies) {
    try {
      const m = await evaluateMutate(policy, { ...base, object: current }, deps.env);
      if (m.rules.length > 0) out.push({ policy, rules: m.rules });
      current = m.resource;
    } catch (e) {
      out.push({ policy, rules: [], error: e instanceof Error ? e.message : String(e) });
    }
  }
  const patches =
    current === original ? [] : diffJsonPatch(original as unknown as JsonValue, current as unknown as JsonValue);
  return { policies: out, resource: current, patches };
}
