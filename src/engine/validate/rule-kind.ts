// validate.cel and validate.podSecurity rules have their own evaluators; every other validate rule has
// a body (deny, pattern / anyPattern, foreach). Both the compiled and the general path ask here first.
import type { JsonObject } from '../../api/json.js';
import type { Rule } from '../../api/policy.js';
import type { PolicyRequest } from '../request.js';
import { asCelSpec, celBindingsOf, validateCel } from './cel.js';
import type { PodSecuritySpec } from './pod-security.js';
import { validatePodSecurity } from './pod-security.js';
import type { Verdict } from './verdicts.js';

/** The verdict of a cel or podSecurity rule (undefined: no result), or 'body' for any other rule. */
export function ruleKindVerdict(rule: Rule, req: PolicyRequest): Verdict | undefined | 'body' {
  const validate = rule.validate ?? {};
  const cel = asCelSpec(validate['cel']);
  if (cel !== undefined) return validateCel(rule.name, cel, celBindingsOf(req));
  if (validate['podSecurity'] !== undefined) {
    if (req.operation === 'DELETE' || req.object === undefined) return undefined;
    return validatePodSecurity(
      rule.name,
      validate['podSecurity'] as unknown as PodSecuritySpec,
      req.object as unknown as JsonObject,
    );
  }
  return 'body';
}
