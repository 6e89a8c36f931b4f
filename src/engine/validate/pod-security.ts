// validate.podSecurity: the Pod Security Standards at a level, minus the rule's exclusions.
// Pod controllers are checked through their pod template, as Kyverno does for autogen rules.
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import { wildcardMatch } from '../wildcard.js';
import type { PodView, PssLevel, Violation } from './pss-view.js';
import { parsePssVersion, podSecurityViolations } from './pss-versions.js';
import type { Verdict } from './validation.js';

export interface PodSecurityExclude {
  controlName: string;
  images?: string[];
  restrictedField?: string;
  values?: string[];
}

export interface PodSecuritySpec {
  level?: string;
  version?: string;
  exclude?: PodSecurityExclude[];
}

const obj = (v: JsonValue | undefined): JsonObject => (isJsonObject(v) ? v : {});

/** The pod part of a Pod or of a pod controller; undefined for other kinds. */
export function podView(resource: JsonObject): PodView | undefined {
  const kind = resource['kind'];
  const spec = obj(resource['spec']);
  if (kind === 'Pod') return { metadata: obj(resource['metadata']), spec };
  const template =
    kind === 'CronJob' ? obj(obj(obj(spec['jobTemplate'])['spec'])['template']) : obj(spec['template']);
  if (!isJsonObject(spec['template']) && kind !== 'CronJob') return undefined;
  return { metadata: obj(template['metadata']), spec: obj(template['spec']) };
}

function excluded(v: Violation, excludes: PodSecurityExclude[]): boolean {
  return excludes.some((e) => {
    if (e.controlName !== v.control) return false;
    if (e.images !== undefined && e.images.length > 0) {
      if (v.image === undefined || !e.images.some((i) => wildcardMatch(i, v.image ?? ''))) return false;
    } else if (v.image !== undefined && e.restrictedField === undefined) {
      return false;
    }
    if (e.restrictedField !== undefined && !wildcardMatch(e.restrictedField, v.field)) return false;
    if (e.values !== undefined && !v.values.every((x) => e.values?.includes(x))) return false;
    return true;
  });
}

export function validatePodSecurity(ruleName: string, spec: PodSecuritySpec, resource: JsonObject): Verdict {
  const level: PssLevel = spec.level === 'restricted' ? 'restricted' : 'baseline';
  const version = spec.version ?? 'latest';
  const pod = podView(resource);
  if (pod === undefined) return { status: 'pass', message: `Validation rule '${ruleName}' passed.` };
  const pinned = parsePssVersion(spec.version);
  if (pinned === undefined)
    return {
      status: 'error',
      message: 'failed to parse pod security api version: must be "latest" or "v1.x"',
    };
  const violations = podSecurityViolations(pod, level, pinned).filter(
    (v) => !excluded(v, spec.exclude ?? []),
  );
  if (violations.length === 0) return { status: 'pass', message: `Validation rule '${ruleName}' passed.` };
  const byControl = new Map<string, string[]>();
  for (const v of violations) {
    const items = byControl.get(v.control) ?? [];
    items.push(`${v.field} is forbidden, forbidden values found: [${v.values.join(' ')}]`);
    byControl.set(v.control, items);
  }
  const parts = [...byControl].map(
    ([c, items]) => `(Forbidden reason: ${c}, field error list: [${items.join(', ')}])`,
  );
  return {
    status: 'fail',
    message: `Validation rule '${ruleName}' failed. It violates PodSecurity "${level}:${version}": ${parts.join('')}`,
  };
}
