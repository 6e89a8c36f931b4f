// From rule outcomes to an admission answer, the way Kyverno's webhooks decide and word it:
// - a validate `fail` under Enforce blocks; under Audit it is a warning;
// - a rule `error` blocks under Enforce unless the policy's failurePolicy is Ignore;
// - an engine exception follows the policy's failurePolicy (Fail blocks, Ignore warns);
// - mutate failures block when the policy's failurePolicy is Fail (Kyverno's default), else warn.
// Blocked: "\n\nresource <Kind>/<ns>/<name> was blocked due to the following policies \n\n" and a YAML
// map policy -> rule -> message. Warnings: "policy <policy>.<rule>: <message>".
import { stringify } from 'yaml';
import type { AdmissionRequest, AdmissionResponse } from '../api/admission.js';
import type { KyvernoPolicy } from '../api/policy.js';
import type { AdmissionMutation, PolicyValidation } from '../pipeline/admission.js';
import { allow, deny } from './review.js';

type Failures = Map<string, Map<string, string>>;

/** Kyverno's key for an engine exception in the blocked message (there is no rule to name). */
const ENGINE_ERROR = 'policy-error';

function ignores(policy: KyvernoPolicy): boolean {
  return (policy.spec.webhookConfiguration?.failurePolicy ?? policy.spec.failurePolicy) === 'Ignore';
}

function addFailure(f: Failures, policy: string, rule: string, message: string): void {
  const rules = f.get(policy) ?? new Map<string, string>();
  rules.set(rule, message);
  f.set(policy, rules);
}

export function warningMessage(policy: string, rule: string, message: string): string {
  return `policy ${policy}.${rule}: ${message}`;
}

/** "Kind/namespace/name" (cluster-scoped: "Kind/name"), from the object or the request. */
export function resourceName(req: AdmissionRequest): string {
  const obj = req.object ?? req.oldObject ?? undefined;
  const kind = obj?.kind ?? req.kind.kind;
  const name = obj?.metadata.name || req.name || obj?.metadata.generateName || '';
  const ns = obj?.metadata.namespace ?? req.namespace ?? '';
  return ns === '' ? `${kind}/${name}` : `${kind}/${ns}/${name}`;
}

export function blockedMessage(req: AdmissionRequest, failures: Failures): string {
  const doc: Record<string, Record<string, string>> = {};
  for (const [policy, rules] of failures) doc[policy] = Object.fromEntries(rules);
  const body = stringify(doc, { singleQuote: true, lineWidth: 80 });
  return `\n\nresource ${resourceName(req)} was blocked due to the following policies \n\n${body}`;
}

export function validateDecision(req: AdmissionRequest, results: PolicyValidation[]): AdmissionResponse {
  const blocked: Failures = new Map();
  const warnings: string[] = [];
  for (const r of results) {
    const name = r.policy.metadata.name;
    if (r.error !== undefined) {
      if (ignores(r.policy)) warnings.push(warningMessage(name, ENGINE_ERROR, r.error));
      else addFailure(blocked, name, ENGINE_ERROR, r.error);
      continue;
    }
    for (const rule of r.rules) {
      if (rule.status === 'pass' || rule.status === 'skip') continue;
      const blocks =
        rule.action === 'Enforce' &&
        (rule.status === 'fail' || (rule.status === 'error' && !ignores(r.policy)));
      if (blocks) addFailure(blocked, name, rule.rule, rule.message);
      else warnings.push(warningMessage(name, rule.rule, rule.message));
    }
  }
  if (blocked.size > 0) {
    const res = deny(req.uid, blockedMessage(req, blocked));
    return warnings.length > 0 ? { ...res, warnings } : res;
  }
  return allow(req.uid, warnings.length > 0 ? { warnings } : {});
}

export function mutateDecision(req: AdmissionRequest, m: AdmissionMutation): AdmissionResponse {
  const blocked: Failures = new Map();
  const warnings: string[] = [];
  for (const p of m.policies) {
    const name = p.policy.metadata.name;
    const failures: [string, string][] =
      p.error !== undefined
        ? [[ENGINE_ERROR, p.error]]
        : p.rules.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => [r.rule, r.message]);
    for (const [rule, message] of failures) {
      if (ignores(p.policy)) warnings.push(warningMessage(name, rule, message));
      else addFailure(blocked, name, rule, message);
    }
    if (p.policy.spec.emitWarning === true) {
      for (const r of p.rules) if (r.status === 'warn') warnings.push(warningMessage(name, r.rule, r.message));
    }
  }
  if (blocked.size > 0) return deny(req.uid, blockedMessage(req, blocked));
  const extra: Partial<AdmissionResponse> = warnings.length > 0 ? { warnings } : {};
  if (m.patches.length === 0) return allow(req.uid, extra);
  return allow(req.uid, {
    ...extra,
    patchType: 'JSONPatch',
    patch: Buffer.from(JSON.stringify(m.patches)).toString('base64'),
  });
}
