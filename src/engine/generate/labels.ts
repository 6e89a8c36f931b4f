// The label keys Kyverno puts on generated resources and clone sources (kept identical so a cluster
// can move between Kyverno and Sprout with its downstream intact).
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

export function managementLabels(
  policyName: string,
  policyNamespace: string,
  rule: string,
  trigger: KubeObject,
): Record<string, string> {
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
