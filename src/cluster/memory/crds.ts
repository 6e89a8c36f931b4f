// CustomResourceDefinitions: what a CRD object serves, the basic validation the API server does on
// it, and the CRDs Sprout ships (preinstalled in the memory server).
import type { JsonObject } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { FieldError } from '../errors.js';
import type { ServedResource } from './builtin-resources.js';

interface CrdNames {
  plural?: string;
  singular?: string;
  kind?: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

interface CrdVersion {
  name?: string;
  served?: boolean;
  storage?: boolean;
  subresources?: { status?: JsonObject; scale?: JsonObject };
}

interface CrdSpec {
  group?: string;
  names?: CrdNames;
  scope?: string;
  versions?: CrdVersion[];
}

function specOf(crd: KubeObject): CrdSpec {
  return isJsonObject(crd.spec) ? crd.spec : {};
}

/** Problems the API server reports for a CRD (a subset: names, scope, versions). */
export function validateCrd(crd: KubeObject): FieldError[] {
  const spec = specOf(crd);
  const errs: FieldError[] = [];
  const req = (field: string): void => {
    errs.push({ field, type: 'FieldValueRequired', detail: 'Required value' });
  };
  if (spec.group === undefined || spec.group === '') req('spec.group');
  if (spec.names?.plural === undefined || spec.names.plural === '') req('spec.names.plural');
  if (spec.names?.kind === undefined || spec.names.kind === '') req('spec.names.kind');
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    errs.push({
      field: 'spec.scope',
      type: 'FieldValueNotSupported',
      detail: `Unsupported value: "${spec.scope ?? ''}": supported values: "Cluster", "Namespaced"`,
    });
  }
  const versions = spec.versions ?? [];
  if (versions.length === 0)
    errs.push({
      field: 'spec.versions',
      type: 'FieldValueInvalid',
      detail: 'Invalid value: null: must have exactly one version marked as storage version',
    });
  else if (versions.filter((v) => v.storage === true).length !== 1) {
    errs.push({
      field: 'spec.versions',
      type: 'FieldValueInvalid',
      detail:
        'Invalid value: ' +
        JSON.stringify(versions.map((v) => v.name)) +
        ': must have exactly one version marked as storage version',
    });
  }
  const expected = `${spec.names?.plural ?? ''}.${spec.group ?? ''}`;
  if (crd.metadata.name !== expected) {
    errs.push({
      field: 'metadata.name',
      type: 'FieldValueInvalid',
      detail: `Invalid value: "${crd.metadata.name ?? ''}": must be spec.names.plural+"."+spec.group`,
    });
  }
  return errs;
}

/** One ServedResource per served version. Call only on a CRD that passed validateCrd. */
export function resourcesOfCrd(crd: KubeObject): ServedResource[] {
  const spec = specOf(crd);
  const names = spec.names ?? {};
  const kind = names.kind ?? '';
  return (spec.versions ?? [])
    .filter((v) => v.served !== false)
    .map((v) => ({
      group: spec.group ?? '',
      version: v.name ?? '',
      kind,
      resource: names.plural ?? '',
      singular: names.singular ?? kind.toLowerCase(),
      namespaced: spec.scope === 'Namespaced',
      subresources: [
        ...(v.subresources?.status !== undefined ? ['status'] : []),
        ...(v.subresources?.scale !== undefined ? ['scale'] : []),
      ],
      verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
      shortNames: names.shortNames ?? [],
      categories: names.categories ?? [],
      listKind: names.listKind ?? `${kind}List`,
      tracksGeneration: true,
      custom: true,
      extraFieldSelectors: [],
    }));
}

/** The status the apiextensions controller writes once a CRD's names are accepted. */
export function establishedStatus(crd: KubeObject, now: string): JsonObject {
  const names = specOf(crd).names ?? {};
  const accepted: JsonObject = {
    plural: names.plural ?? '',
    kind: names.kind ?? '',
    singular: names.singular ?? '',
    listKind: names.listKind ?? `${names.kind ?? ''}List`,
  };
  if (names.shortNames !== undefined) accepted.shortNames = names.shortNames;
  if (names.categories !== undefined) accepted.categories = names.categories;
  const cond = (type: string, reason: string, message: string): JsonObject => ({
    type,
    status: 'True',
    lastTransitionTime: now,
    reason,
    message,
  });
  return {
    acceptedNames: accepted,
    conditions: [
      cond('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      cond('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
    storedVersions: (specOf(crd).versions ?? []).filter((v) => v.storage === true).map((v) => v.name ?? ''),
  };
}

interface SproutCrd {
  group: string;
  kind: string;
  plural: string;
  scope: 'Namespaced' | 'Cluster';
  versions: string[];
  shortNames: string[];
  categories?: string[];
  /** What `kubectl get` shows beside the name, as the chart's CRD declares it. */
  columns?: JsonObject[];
}

// One report per resource (ADR 6): which resource, then its counts, as in the chart's CRDs.
const reportColumns: JsonObject[] = [
  { name: 'KIND', type: 'string', jsonPath: '.scope.kind', priority: 1 },
  { name: 'NAME', type: 'string', jsonPath: '.scope.name', priority: 1 },
  ...['pass', 'fail', 'warn', 'error', 'skip'].map((k) => ({ name: k.toUpperCase(), type: 'integer', jsonPath: `.summary.${k}` })),
  { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

const sproutCrds: SproutCrd[] = [
  {
    group: 'kyverno.io',
    kind: 'ClusterPolicy',
    plural: 'clusterpolicies',
    scope: 'Cluster',
    versions: ['v1', 'v2beta1'],
    shortNames: ['cpol'],
    categories: ['kyverno'],
  },
  {
    group: 'kyverno.io',
    kind: 'Policy',
    plural: 'policies',
    scope: 'Namespaced',
    versions: ['v1', 'v2beta1'],
    shortNames: ['pol'],
    categories: ['kyverno'],
  },
  {
    group: 'kyverno.io',
    kind: 'UpdateRequest',
    plural: 'updaterequests',
    scope: 'Namespaced',
    versions: ['v2'],
    shortNames: ['ur'],
    categories: ['kyverno'],
  },
  {
    group: 'wgpolicyk8s.io',
    kind: 'PolicyReport',
    plural: 'policyreports',
    scope: 'Namespaced',
    versions: ['v1alpha2'],
    shortNames: ['polr'],
    columns: reportColumns,
  },
  {
    group: 'wgpolicyk8s.io',
    kind: 'ClusterPolicyReport',
    plural: 'clusterpolicyreports',
    scope: 'Cluster',
    versions: ['v1alpha2'],
    shortNames: ['cpolr'],
    columns: reportColumns,
  },
];

/** Sprout's own CRDs as CustomResourceDefinition objects (open schemas; the policy loader validates). */
export function sproutCrdObjects(): KubeObject[] {
  return sproutCrds.map((c) => {
    const names: JsonObject = {
      kind: c.kind,
      listKind: `${c.kind}List`,
      plural: c.plural,
      singular: c.kind.toLowerCase(),
      shortNames: c.shortNames,
    };
    if (c.categories !== undefined) names.categories = c.categories;
    return {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${c.plural}.${c.group}` },
      spec: {
        group: c.group,
        names,
        scope: c.scope,
        versions: c.versions.map((v, i) => ({
          name: v,
          served: true,
          storage: i === 0,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          subresources: { status: {} },
          ...(c.columns ? { additionalPrinterColumns: c.columns } : {}),
        })),
      },
    };
  });
}
