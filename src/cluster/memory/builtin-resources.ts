// The built-in resources the in-memory server serves: REST mapping, scope, subresources.
import type { ResourceInfo } from '../client.js';

/** What the memory server needs beyond discovery. */
export interface ServedResource extends ResourceInfo {
  /** metadata.generation is 1 on create and bumps when anything but metadata/status changes. */
  tracksGeneration: boolean;
  /** A custom resource (served from a CRD): no strategic merge patch. */
  custom: boolean;
  /** Field selectors beyond metadata.name / metadata.namespace. */
  extraFieldSelectors: string[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface Row {
  gv: string;
  kind: string;
  plural: string;
  ns: boolean;
  sub?: string[];
  short?: string[];
  gen?: boolean;
  verbs?: string[];
  fields?: string[];
  categories?: string[];
}

const rows: Row[] = [
  {
    gv: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    ns: false,
    sub: ['status', 'finalize'],
    short: ['ns'],
    fields: ['status.phase'],
  },
  { gv: 'v1', kind: 'ConfigMap', plural: 'configmaps', ns: true, short: ['cm'] },
  { gv: 'v1', kind: 'Secret', plural: 'secrets', ns: true, fields: ['type'] },
  { gv: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', ns: true, sub: ['token'], short: ['sa'] },
  {
    gv: 'v1',
    kind: 'Service',
    plural: 'services',
    ns: true,
    sub: ['status', 'proxy'],
    short: ['svc'],
    categories: ['all'],
  },
  {
    gv: 'v1',
    kind: 'Pod',
    plural: 'pods',
    ns: true,
    short: ['po'],
    categories: ['all'],
    sub: [
      'status',
      'exec',
      'eviction',
      'log',
      'binding',
      'attach',
      'portforward',
      'proxy',
      'ephemeralcontainers',
      'resize',
    ],
    fields: [
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.phase',
      'status.podIP',
      'status.nominatedNodeName',
    ],
  },
  { gv: 'v1', kind: 'PodTemplate', plural: 'podtemplates', ns: true },
  {
    gv: 'v1',
    kind: 'ReplicationController',
    plural: 'replicationcontrollers',
    ns: true,
    sub: ['status', 'scale'],
    short: ['rc'],
    gen: true,
    fields: ['status.replicas'],
  },
  { gv: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas', ns: true, sub: ['status'], short: ['quota'] },
  { gv: 'v1', kind: 'LimitRange', plural: 'limitranges', ns: true, short: ['limits'] },
  {
    gv: 'v1',
    kind: 'Event',
    plural: 'events',
    ns: true,
    short: ['ev'],
    fields: [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
    ],
  },
  {
    gv: 'v1',
    kind: 'Node',
    plural: 'nodes',
    ns: false,
    sub: ['status', 'proxy'],
    short: ['no'],
    fields: ['spec.unschedulable'],
  },
  {
    gv: 'v1',
    kind: 'PersistentVolumeClaim',
    plural: 'persistentvolumeclaims',
    ns: true,
    sub: ['status'],
    short: ['pvc'],
  },
  {
    gv: 'v1',
    kind: 'PersistentVolume',
    plural: 'persistentvolumes',
    ns: false,
    sub: ['status'],
    short: ['pv'],
  },
  { gv: 'v1', kind: 'Endpoints', plural: 'endpoints', ns: true, short: ['ep'] },
  {
    gv: 'apps/v1',
    kind: 'Deployment',
    plural: 'deployments',
    ns: true,
    sub: ['status', 'scale'],
    short: ['deploy'],
    gen: true,
    categories: ['all'],
  },
  {
    gv: 'apps/v1',
    kind: 'ReplicaSet',
    plural: 'replicasets',
    ns: true,
    sub: ['status', 'scale'],
    short: ['rs'],
    gen: true,
    categories: ['all'],
  },
  {
    gv: 'apps/v1',
    kind: 'StatefulSet',
    plural: 'statefulsets',
    ns: true,
    sub: ['status', 'scale'],
    short: ['sts'],
    gen: true,
    categories: ['all'],
  },
  {
    gv: 'apps/v1',
    kind: 'DaemonSet',
    plural: 'daemonsets',
    ns: true,
    sub: ['status'],
    short: ['ds'],
    gen: true,
    categories: ['all'],
  },
  { gv: 'apps/v1', kind: 'ControllerRevision', plural: 'controllerrevisions', ns: true },
  { gv: 'batch/v1', kind: 'Job', plural: 'jobs', ns: true, sub: ['status'], gen: true, categories: ['all'] },
  {
    gv: 'batch/v1',
    kind: 'CronJob',
    plural: 'cronjobs',
    ns: true,
    sub: ['status'],
    short: ['cj'],
    gen: true,
    categories: ['all'],
  },
  {
    gv: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
    ns: true,
    short: ['netpol'],
    gen: true,
  },
  {
    gv: 'networking.k8s.io/v1',
    kind: 'Ingress',
    plural: 'ingresses',
    ns: true,
    sub: ['status'],
    short: ['ing'],
    gen: true,
  },
  { gv: 'networking.k8s.io/v1', kind: 'IngressClass', plural: 'ingressclasses', ns: false },
  { gv: 'rbac.authorization.k8s.io/v1', kind: 'Role', plural: 'roles', ns: true },
  { gv: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', plural: 'rolebindings', ns: true },
  { gv: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', plural: 'clusterroles', ns: false },
  {
    gv: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    plural: 'clusterrolebindings',
    ns: false,
  },
  {
    gv: 'policy/v1',
    kind: 'PodDisruptionBudget',
    plural: 'poddisruptionbudgets',
    ns: true,
    sub: ['status'],
    short: ['pdb'],
    gen: true,
  },
  { gv: 'coordination.k8s.io/v1', kind: 'Lease', plural: 'leases', ns: true },
  {
    gv: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    plural: 'mutatingwebhookconfigurations',
    ns: false,
    gen: true,
  },
  {
    gv: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    plural: 'validatingwebhookconfigurations',
    ns: false,
    gen: true,
  },
  {
    gv: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    ns: false,
    sub: ['status'],
    short: ['crd', 'crds'],
    gen: true,
  },
  { gv: 'storage.k8s.io/v1', kind: 'StorageClass', plural: 'storageclasses', ns: false, short: ['sc'] },
  { gv: 'storage.k8s.io/v1', kind: 'CSIDriver', plural: 'csidrivers', ns: false },
  {
    gv: 'storage.k8s.io/v1',
    kind: 'VolumeAttachment',
    plural: 'volumeattachments',
    ns: false,
    sub: ['status'],
  },
  {
    gv: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    ns: true,
    sub: ['status'],
    short: ['hpa'],
    categories: ['all'],
  },
  {
    gv: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    ns: true,
    sub: ['status'],
    short: ['hpa'],
    categories: ['all'],
  },
  {
    gv: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    plural: 'subjectaccessreviews',
    ns: false,
    verbs: ['create'],
  },
  {
    gv: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    plural: 'selfsubjectaccessreviews',
    ns: false,
    verbs: ['create'],
  },
];

function fromRow(r: Row): ServedResource {
  const slash = r.gv.indexOf('/');
  return {
    group: slash < 0 ? '' : r.gv.slice(0, slash),
    version: slash < 0 ? r.gv : r.gv.slice(slash + 1),
    kind: r.kind,
    resource: r.plural,
    singular: r.kind.toLowerCase(),
    namespaced: r.ns,
    subresources: r.sub ?? [],
    verbs: r.verbs ?? ALL_VERBS,
    shortNames: r.short ?? [],
    categories: r.categories ?? [],
    listKind: `${r.kind}List`,
    tracksGeneration: r.gen === true,
    custom: false,
    extraFieldSelectors: r.fields ?? [],
  };
}

export function builtinResources(): ServedResource[] {
  return rows.map(fromRow);
}
