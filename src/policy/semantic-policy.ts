// Checks of the policy as a whole (metadata and spec fields) that need no cluster; rules are
// delegated to semantic-rule.
import type { KyvernoPolicy, PolicySpec } from '../api/policy.js';
import type { ScopeOracle } from './builtin-scopes.js';
import type { ProblemList } from './problems.js';
import { child, index } from './problems.js';
import { checkRule, presentRuleTypes } from './semantic-rule.js';

const autogenAnnotation = 'pod-policies.kyverno.io/autogen-controllers';

export function checkPolicySemantics(
  policy: KyvernoPolicy,
  problems: ProblemList,
  scopeOf: ScopeOracle,
): void {
  const { metadata, spec } = policy;
  if (metadata.name !== undefined && metadata.name.length > 63) {
    problems.error('metadata.name', 'a policy name must be no more than 63 characters');
  }
  if (policy.kind === 'ClusterPolicy' && metadata.namespace !== undefined && metadata.namespace !== '') {
    problems.error('metadata.namespace', 'a ClusterPolicy is cluster-wide and cannot have a namespace');
  }
  if (metadata.annotations?.[autogenAnnotation] === 'all') {
    problems.error(
      child(child('metadata', 'annotations'), autogenAnnotation),
      'the value "all" is no longer supported: remove the annotation or list the controllers',
    );
  }
  const policyNamespace = policy.kind === 'Policy' ? (metadata.namespace ?? 'default') : undefined;
  checkSpecFields(spec, policyNamespace, problems);
  const background = spec.background ?? true;
  const names = new Set<string>();
  (spec.rules ?? []).forEach((rule, i) => {
    const p = index(child('spec', 'rules'), i);
    if (rule.name !== undefined) {
      if (names.has(rule.name))
        problems.error(child(p, 'name'), `duplicate rule name ${JSON.stringify(rule.name)}`);
      names.add(rule.name);
    }
    checkRule(rule, p, { problems, policyNamespace, scopeOf, background });
  });
}

function checkSpecFields(spec: PolicySpec, policyNamespace: string | undefined, problems: ProblemList): void {
  const rules = spec.rules ?? [];
  const admission = spec.admission ?? true;
  if (!admission && !(spec.background ?? true)) {
    problems.error('spec.admission', 'admission and background cannot both be disabled');
  }
  if (!admission && rules.some((r) => presentRuleTypes(r).some((t) => t !== 'validate'))) {
    problems.error('spec.admission', 'admission can only be disabled in policies whose rules all validate');
  }
  if (spec.generateExistingOnPolicyUpdate !== undefined) {
    problems.error(
      'spec.generateExistingOnPolicyUpdate',
      'this field was removed: use generate.generateExisting in each rule instead',
    );
  }
  const webhook = spec.webhookConfiguration;
  if (spec.failurePolicy !== undefined && webhook?.failurePolicy !== undefined) {
    problems.error(
      'spec.failurePolicy',
      'deprecated: remove it, spec.webhookConfiguration.failurePolicy is set',
    );
  }
  if (spec.webhookTimeoutSeconds !== undefined && webhook?.timeoutSeconds !== undefined) {
    problems.error(
      'spec.webhookTimeoutSeconds',
      'deprecated: remove it, spec.webhookConfiguration.timeoutSeconds is set',
    );
  }
  checkTimeout(spec.webhookTimeoutSeconds, 'spec.webhookTimeoutSeconds', problems);
  checkTimeout(webhook?.timeoutSeconds, 'spec.webhookConfiguration.timeoutSeconds', problems);
  checkFailureAction(spec.validationFailureAction, 'spec.validationFailureAction', problems);
  const overrides = Array.isArray(spec.validationFailureActionOverrides)
    ? spec.validationFailureActionOverrides
    : [];
  overrides.forEach((o, i) => {
    const action = o !== null && typeof o === 'object' && !Array.isArray(o) ? o.action : undefined;
    checkFailureAction(
      typeof action === 'string' ? action : undefined,
      `spec.validationFailureActionOverrides[${i}].action`,
      problems,
    );
  });
  if (policyNamespace !== undefined && overrides.length > 0) {
    problems.error(
      'spec.validationFailureActionOverrides',
      'validationFailureActionOverrides can only be used in a ClusterPolicy',
    );
  }
  rules.forEach((r, i) => {
    const m = r.mutate;
    if (m === undefined) return;
    const existing =
      m.mutateExistingOnPolicyUpdate === true ||
      (spec.mutateExistingOnPolicyUpdate === true && m.mutateExistingOnPolicyUpdate === undefined);
    if (existing && !(Array.isArray(m.targets) && m.targets.length > 0)) {
      problems.error(
        `spec.rules[${i}].mutate.targets`,
        'targets are required when mutateExistingOnPolicyUpdate is set',
      );
    }
  });
}

function checkTimeout(seconds: number | undefined, path: string, problems: ProblemList): void {
  if (seconds !== undefined && (seconds < 1 || seconds > 30)) {
    problems.error(path, 'the timeout must be between 1 and 30 seconds');
  }
}

function checkFailureAction(action: string | undefined, path: string, problems: ProblemList): void {
  if (action === 'audit' || action === 'enforce') {
    const modern = action === 'audit' ? 'Audit' : 'Enforce';
    problems.warning(path, `${JSON.stringify(action)} is deprecated: use ${JSON.stringify(modern)}`);
  }
}
