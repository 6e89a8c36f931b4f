// The label keys Kyverno puts on generated resources and clone sources (kept identical so a cluster
// can move between Kyverno and Sprout with its downstream intact).
import type { JsonObject, JsonValue } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import { parseApiVersion } from '../../api/kube.js';

export const LABEL = {
  managedBy: 'app.kubernetes.io/managed-by',
  policyName: 'generate.kyverno.io/policy-name',
  policyNamespace: 'generate.kyverno.io/policy-namespace',
  ruleName: 'generate.kyverno.io/rule-name',
  triggerGroup: 'generate.kyverno.io/trigger-group',
  triggerVersion: 'generate.kyverno.io/trigger-version',
  triggerKind: 'generate.kyverno.io/trigger-kind',
  triggerNamespace: 'generate.kyverno.io/trigger-namespace',
  triggerUid: 'generate.kyverno.io/trigger-uid',
  /** Legacy: read as a fallback, never written (names may exceed 63 characters). */
  triggerName: 'generate.kyverno.io/trigger-name',
  sourceGroup: 'generate.kyverno.io/source-group',
  sourceVersion: 'generate.kyverno.io/source-version',
  sourceKind: 'generate.kyverno.io/source-kind',
  sourceNamespace: 'generate.kyverno.io/source-namespace',
  sourceUid: 'generate.kyverno.io/source-uid',
  /** Legacy: read only. */
  sourceName: 'generate.kyverno.io/source-name',
  cloneSource: 'generate.kyverno.io/clone-source',
} as const;

export const MANAGED_BY_VALUE = 'kyverno';

/** The labels of every downstream of one (rule, trigger): the keys of LABEL that are written, in this order. */
export type ManagementLabels = {
  'app.kubernetes.io/managed-by': string;
  'generate.kyverno.io/policy-name': string;
  'generate.kyverno.io/policy-namespace': string;
  'generate.kyverno.io/rule-name': string;
  'generate.kyverno.io/trigger-group': string;
  'generate.kyverno.io/trigger-version': string;
  'generate.kyverno.io/trigger-kind': string;
  'generate.kyverno.io/trigger-namespace': string;
  'generate.kyverno.io/trigger-uid': string;
};

export function managementLabels(
  policyName: string,
  policyNamespace: string,
  rule: string,
  trigger: KubeObject,
): ManagementLabels {
  const { group, version } = parsedApiVersion(trigger.apiVersion);
  // The keys of LABEL spelled out: a literal with fixed keys is built from one template, while
  // computed keys are added one by one. labels.test.ts checks that the two agree.
  return {
    'app.kubernetes.io/managed-by': MANAGED_BY_VALUE,
    'generate.kyverno.io/policy-name': policyName,
    'generate.kyverno.io/policy-namespace': policyNamespace,
    'generate.kyverno.io/rule-name': rule,
    'generate.kyverno.io/trigger-group': group,
    'generate.kyverno.io/trigger-version': version,
    'generate.kyverno.io/trigger-kind': trigger.kind,
    'generate.kyverno.io/trigger-namespace': trigger.metadata.namespace ?? '',
    'generate.kyverno.io/trigger-uid': trigger.metadata.uid ?? '',
  };
}

/**
 * `Object.assign({}, existing, labels)` (a template's own labels, then the management labels over
 * them): the same [[Set]] per key in the same order, but the nine labels are stored by name, which V8
 * does from the call site's feedback, where the generic merge looks every key up (~2.5x slower).
 */
export function withManagementLabels(existing: JsonObject, labels: ManagementLabels): JsonObject {
  const out: JsonObject = {};
  const keys = Object.keys(existing);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    out[k] = existing[k] as JsonValue;
  }
  out['app.kubernetes.io/managed-by'] = labels['app.kubernetes.io/managed-by'];
  out['generate.kyverno.io/policy-name'] = labels['generate.kyverno.io/policy-name'];
  out['generate.kyverno.io/policy-namespace'] = labels['generate.kyverno.io/policy-namespace'];
  out['generate.kyverno.io/rule-name'] = labels['generate.kyverno.io/rule-name'];
  out['generate.kyverno.io/trigger-group'] = labels['generate.kyverno.io/trigger-group'];
  out['generate.kyverno.io/trigger-version'] = labels['generate.kyverno.io/trigger-version'];
  out['generate.kyverno.io/trigger-kind'] = labels['generate.kyverno.io/trigger-kind'];
  out['generate.kyverno.io/trigger-namespace'] = labels['generate.kyverno.io/trigger-namespace'];
  out['generate.kyverno.io/trigger-uid'] = labels['generate.kyverno.io/trigger-uid'];
  return out;
}

// Every rule of a request labels the same trigger: parse its apiVersion once.
let lastApiVersion: string | null = null;
let lastParsed: { group: string; version: string } = { group: '', version: '' };

function parsedApiVersion(apiVersion: string): { group: string; version: string } {
  if (apiVersion !== lastApiVersion) {
    lastParsed = parseApiVersion(apiVersion);
    lastApiVersion = apiVersion;
  }
  return lastParsed;
}

export function sourceLabels(source: KubeObject): Record<string, string> {
  const { group, version } = parseApiVersion(source.apiVersion);
  return {
    [LABEL.sourceGroup]: group,
    [LABEL.sourceVersion]: version,
    [LABEL.sourceKind]: source.kind,
    [LABEL.sourceNamespace]: source.metadata.namespace ?? '',
    [LABEL.sourceUid]: source.metadata.uid ?? '',
  };
}
