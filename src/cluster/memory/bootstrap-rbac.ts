// The default ClusterRoles and the superuser binding every Kubernetes cluster starts with, so that
// RBAC objects written for a real cluster (a RoleBinding to `admin`, a policy excluding requests by
// `cluster-admin`) mean the same on the embedded server.
import type { KubeObject } from '../../api/kube.js';

const RBAC = 'rbac.authorization.k8s.io/v1';
const BOOTSTRAP_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

/** The namespaced resources the `admin`, `edit` and `view` roles cover, by API group. */
const NAMESPACED: Array<{ apiGroups: string[]; resources: string[] }> = [
  {
    apiGroups: [''],
    resources: ['configmaps', 'endpoints', 'persistentvolumeclaims', 'pods', 'replicationcontrollers', 'serviceaccounts', 'services', 'secrets', 'resourcequotas', 'limitranges', 'events'],
  },
  { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'] },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'] },
];

function clusterRole(name: string, rules: object[], aggregate?: boolean): KubeObject {
  return {
    apiVersion: RBAC,
    kind: 'ClusterRole',
    metadata: {
      name,
      labels: aggregate ? { ...BOOTSTRAP_LABELS, [`rbac.authorization.k8s.io/aggregate-to-${name}`]: 'true' } : BOOTSTRAP_LABELS,
      annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
    },
    rules,
  };
}

export function bootstrapRbacObjects(): KubeObject[] {
  const rbacInNamespace = { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: [...READ, ...WRITE] };
  return [
    clusterRole('cluster-admin', [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ]),
    clusterRole('admin', [...NAMESPACED.map((r) => ({ ...r, verbs: [...READ, ...WRITE] })), rbacInNamespace]),
    clusterRole('edit', NAMESPACED.map((r) => ({ ...r, verbs: [...READ, ...WRITE] }))),
    clusterRole('view', NAMESPACED.map((r) => ({ ...r, verbs: READ }))),
    {
      apiVersion: RBAC,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'cluster-admin', labels: BOOTSTRAP_LABELS, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }],
    },
  ];
}
