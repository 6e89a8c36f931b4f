// What the admission chain knows about one request, and the webhook configuration fields it reads
// (admissionregistration.k8s.io/v1).
import type { JsonObject } from '../../../api/json.js';
import type { GroupVersionResource, Operation, UserInfo } from '../../../api/admission.js';
import type { GroupVersionKind, KubeObject, LabelSelector } from '../../../api/kube.js';

export interface AdmissionAttributes {
  operation: Operation;
  kind: GroupVersionKind;
  resource: GroupVersionResource;
  subResource: string;
  namespaced: boolean;
  namespace: string;
  name: string;
  object?: KubeObject;
  oldObject?: KubeObject;
  userInfo: UserInfo;
  dryRun: boolean;
  /** CreateOptions / UpdateOptions / DeleteOptions as sent to webhooks. */
  options: JsonObject;
}

export interface RuleWithOperations {
  operations?: string[];
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  scope?: 'Cluster' | 'Namespaced' | '*';
}

export interface ServiceReference {
  namespace: string;
  name: string;
  path?: string;
  port?: number;
}

export interface Webhook {
  name: string;
  clientConfig?: { url?: string; service?: ServiceReference; caBundle?: string };
  rules?: RuleWithOperations[];
  failurePolicy?: 'Fail' | 'Ignore';
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  sideEffects?: string;
  timeoutSeconds?: number;
  admissionReviewVersions?: string[];
}

/** Maps a webhook's service reference to a base URL ("https://127.0.0.1:9443"): there is no cluster network. */
export type ServiceResolver = (namespace: string, name: string, port: number) => string;
