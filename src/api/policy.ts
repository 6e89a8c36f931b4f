// kyverno.io/v1 and v2beta1 ClusterPolicy / Policy, as far as Sprout reads them.
// Free-form parts (data, patterns, condition keys) stay JsonValue: variables are substituted into them.
import type { JsonObject, JsonValue } from './json.js';
import type { LabelSelector, ObjectMeta } from './kube.js';

export type PolicyKind = 'ClusterPolicy' | 'Policy';

export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface ResourceDescription {
  kinds?: string[];
  name?: string;
  names?: string[];
  namespaces?: string[];
  annotations?: Record<string, string>;
  selector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  operations?: string[];
}

export interface UserInfoFilter {
  roles?: string[];
  clusterRoles?: string[];
  subjects?: Subject[];
}

export interface ResourceFilter extends UserInfoFilter {
  resources?: ResourceDescription;
}

/** match / exclude: `any`, `all`, or (legacy v1) a single filter written inline. */
export interface MatchResources extends UserInfoFilter {
  any?: ResourceFilter[];
  all?: ResourceFilter[];
  resources?: ResourceDescription;
}

export interface Condition {
  key?: JsonValue;
  operator: string;
  value?: JsonValue;
  message?: string;
}

export interface AnyAllConditions {
  any?: Condition[];
  all?: Condition[];
}

/** v1 accepts a bare list (meaning all); v2beta1 only the any/all object. */
export type Preconditions = AnyAllConditions | Condition[];

export interface ContextEntry {
  name: string;
  configMap?: { name: string; namespace?: string };
  apiCall?: {
    urlPath?: string;
    method?: 'GET' | 'POST';
    data?: { key: string; value: JsonValue }[];
    service?: { url: string; caBundle?: string; headers?: { key: string; value: string }[] };
    jmesPath?: string;
    default?: JsonValue;
  };
  variable?: { value?: JsonValue; jmesPath?: string; default?: JsonValue };
  globalReference?: { name: string; jmesPath?: string };
  imageRegistry?: { reference: string; jmesPath?: string; imageRegistryCredentials?: JsonObject };
}

export interface CloneFrom {
  namespace?: string;
  name?: string;
}

export interface CloneList {
  namespace?: string;
  kinds?: string[];
  selector?: LabelSelector;
}

/** The downstream target plus exactly one way to produce it. */
export interface GeneratePattern {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  uid?: string;
  data?: JsonValue;
  clone?: CloneFrom;
  cloneList?: CloneList;
}

export interface ForEachGeneration extends GeneratePattern {
  list: string;
  context?: ContextEntry[];
  preconditions?: AnyAllConditions;
}

export interface Generation extends GeneratePattern {
  synchronize?: boolean;
  orphanDownstreamOnPolicyDelete?: boolean;
  generateExisting?: boolean;
  foreach?: ForEachGeneration[];
}

export interface Rule {
  name: string;
  match: MatchResources;
  exclude?: MatchResources;
  context?: ContextEntry[];
  preconditions?: Preconditions;
  celPreconditions?: JsonValue;
  generate?: Generation;
  validate?: JsonObject;
  mutate?: JsonObject;
  verifyImages?: JsonValue;
  skipBackgroundRequests?: boolean;
  reportProperties?: Record<string, string>;
  imageExtractors?: JsonValue;
}

export interface PolicySpec {
  rules: Rule[];
  applyRules?: 'All' | 'One';
  admission?: boolean;
  background?: boolean;
  generateExisting?: boolean;
  generateExistingOnPolicyUpdate?: boolean;
  useServerSideApply?: boolean;
  failurePolicy?: 'Fail' | 'Ignore';
  webhookTimeoutSeconds?: number;
  webhookConfiguration?: {
    failurePolicy?: 'Fail' | 'Ignore';
    timeoutSeconds?: number;
    matchConditions?: JsonValue;
  };
  validationFailureAction?: string;
  validationFailureActionOverrides?: JsonValue;
  emitWarning?: boolean;
  schemaValidation?: boolean;
  mutateExistingOnPolicyUpdate?: boolean;
}

export interface PolicyStatus {
  conditions?: {
    type: string;
    status: string;
    reason?: string;
    message?: string;
    lastTransitionTime?: string;
  }[];
  rulecount?: { validate: number; generate: number; mutate: number; verifyimages: number };
  [key: string]: unknown;
}

export interface KyvernoPolicy {
  apiVersion: 'kyverno.io/v1' | 'kyverno.io/v2beta1';
  kind: PolicyKind;
  metadata: ObjectMeta & { name: string };
  spec: PolicySpec;
  status?: PolicyStatus;
}

/** The name Kyverno uses to refer to a policy: "ns/name" for a Policy, "name" for a ClusterPolicy. */
export function policyKey(p: Pick<KyvernoPolicy, 'kind' | 'metadata'>): string {
  return p.kind === 'Policy' ? `${p.metadata.namespace ?? 'default'}/${p.metadata.name}` : p.metadata.name;
}
