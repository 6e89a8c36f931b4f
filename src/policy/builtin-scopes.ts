// Scope (namespaced or cluster-wide) of the built-in Kubernetes kinds and of Kyverno's own, for
// validation without a cluster. Callers with discovery data should pass their own oracle instead.
import { parseApiVersion } from '../api/kube.js';

export type ResourceScope = 'Namespaced' | 'Cluster';

/** Answers the scope of apiVersion/kind, or undefined when it does not know the kind. */
export type ScopeOracle = (apiVersion: string, kind: string) => ResourceScope | undefined;

const namespaced: Record<string, readonly string[]> = {
  '': [
    'Pod',
    'Service',
    'ConfigMap',
    'Secret',
    'ServiceAccount',
    'Endpoints',
    'Event',
    'LimitRange',
    'ResourceQuota',
    'PersistentVolumeClaim',
    'ReplicationController',
    'PodTemplate',
    'Binding',
  ],
  apps: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ControllerRevision'],
  batch: ['Job', 'CronJob'],
  autoscaling: ['HorizontalPodAutoscaler'],
  policy: ['PodDisruptionBudget'],
  'networking.k8s.io': ['NetworkPolicy', 'Ingress'],
  'rbac.authorization.k8s.io': ['Role', 'RoleBinding'],
  'storage.k8s.io': ['CSIStorageCapacity'],
  'coordination.k8s.io': ['Lease'],
  'discovery.k8s.io': ['EndpointSlice'],
  'events.k8s.io': ['Event'],
  'resource.k8s.io': ['ResourceClaim', 'ResourceClaimTemplate'],
  'authorization.k8s.io': ['LocalSubjectAccessReview'],
  'kyverno.io': ['Policy', 'UpdateRequest', 'CleanupPolicy', 'PolicyException'],
  'wgpolicyk8s.io': ['PolicyReport'],
};

const cluster: Record<string, readonly string[]> = {
  '': ['Namespace', 'Node', 'PersistentVolume', 'ComponentStatus'],
  policy: ['PodSecurityPolicy'],
  'networking.k8s.io': ['IngressClass', 'IPAddress', 'ServiceCIDR'],
  'rbac.authorization.k8s.io': ['ClusterRole', 'ClusterRoleBinding'],
  'storage.k8s.io': ['StorageClass', 'VolumeAttachment', 'CSIDriver', 'CSINode', 'VolumeAttributesClass'],
  'scheduling.k8s.io': ['PriorityClass'],
  'node.k8s.io': ['RuntimeClass'],
  'admissionregistration.k8s.io': [
    'MutatingWebhookConfiguration',
    'ValidatingWebhookConfiguration',
    'ValidatingAdmissionPolicy',
    'ValidatingAdmissionPolicyBinding',
    'MutatingAdmissionPolicy',
    'MutatingAdmissionPolicyBinding',
  ],
  'apiextensions.k8s.io': ['CustomResourceDefinition'],
  'apiregistration.k8s.io': ['APIService'],
  'certificates.k8s.io': ['CertificateSigningRequest', 'ClusterTrustBundle'],
  'flowcontrol.apiserver.k8s.io': ['FlowSchema', 'PriorityLevelConfiguration'],
  'resource.k8s.io': ['DeviceClass', 'ResourceSlice'],
  'authentication.k8s.io': ['TokenReview', 'SelfSubjectReview'],
  'authorization.k8s.io': ['SubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview'],
  'kyverno.io': ['ClusterPolicy', 'ClusterCleanupPolicy', 'GlobalContextEntry'],
  'wgpolicyk8s.io': ['ClusterPolicyReport'],
};

const table = new Map<string, ResourceScope>();
for (const [group, kinds] of Object.entries(namespaced)) {
  for (const kind of kinds) table.set(`${group}/${kind}`, 'Namespaced');
}
for (const [group, kinds] of Object.entries(cluster)) {
  for (const kind of kinds) table.set(`${group}/${kind}`, 'Cluster');
}

/**
 * The built-in oracle. An empty apiVersion means "any group": the answer is given only when every
 * group that has a kind of that name agrees on its scope.
 */
export const builtinScopeOf: ScopeOracle = (apiVersion, kind) => {
  if (apiVersion !== '') return table.get(`${parseApiVersion(apiVersion).group}/${kind}`);
  let found: ResourceScope | undefined;
  for (const [key, scope] of table) {
    if (key.slice(key.lastIndexOf('/') + 1) !== kind) continue;
    if (found !== undefined && found !== scope) return undefined;
    found = scope;
  }
  return found;
};
