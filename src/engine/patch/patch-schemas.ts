// Kubernetes' patch metadata (patchStrategy / patchMergeKey struct tags) for the built-in types
// whose lists users patch. Lists not named here are atomic (replaced), as for e.g. tolerations.
import type { FieldPatchSchema, PatchSchema } from './strategic-merge.js';

const byName: FieldPatchSchema = { mergeList: true, mergeKey: 'name' };
const byType: FieldPatchSchema = { mergeList: true, mergeKey: 'type' };
const conditions: PatchSchema = { fields: { conditions: byType } };

export const objectMetaSchema: FieldPatchSchema = {
  fields: {
    finalizers: { mergeList: true },
    ownerReferences: { mergeList: true, mergeKey: 'uid' },
  },
};

export const containerSchema: FieldPatchSchema = {
  mergeList: true,
  mergeKey: 'name',
  fields: {
    ports: { mergeList: true, mergeKey: 'containerPort' },
    env: byName,
    volumeMounts: { mergeList: true, mergeKey: 'mountPath' },
    volumeDevices: { mergeList: true, mergeKey: 'devicePath' },
  },
};

export const podSpecSchema: FieldPatchSchema = {
  fields: {
    containers: containerSchema,
    initContainers: containerSchema,
    ephemeralContainers: containerSchema,
    volumes: { mergeList: true, mergeKey: 'name', retainKeys: true },
    imagePullSecrets: byName,
    hostAliases: { mergeList: true, mergeKey: 'ip' },
    topologySpreadConstraints: { mergeList: true, mergeKey: 'topologyKey' },
    resourceClaims: { mergeList: true, mergeKey: 'name', retainKeys: true },
    schedulingGates: byName,
  },
};

const podTemplateSchema: FieldPatchSchema = { fields: { metadata: objectMetaSchema, spec: podSpecSchema } };

function withMeta(fields: Record<string, FieldPatchSchema>): PatchSchema {
  return { fields: { metadata: objectMetaSchema, ...fields } };
}

const workload = (extra: Record<string, FieldPatchSchema> = {}): PatchSchema =>
  withMeta({ spec: { fields: { template: podTemplateSchema, ...extra } }, status: conditions });

const schemas: Record<string, PatchSchema> = {
  '/Pod': withMeta({ spec: podSpecSchema, status: conditions }),
  '/PodTemplate': withMeta({ template: podTemplateSchema }),
  '/ReplicationController': workload(),
  '/Service': withMeta({
    spec: { fields: { ports: { mergeList: true, mergeKey: 'port' } } },
    status: conditions,
  }),
  '/Node': withMeta({ status: { fields: { conditions: byType, addresses: byType } } }),
  '/Namespace': withMeta({ status: conditions }),
  '/PersistentVolumeClaim': withMeta({ status: conditions }),
  'apps/Deployment': workload({ strategy: { retainKeys: true } }),
  'apps/ReplicaSet': workload(),
  'apps/StatefulSet': workload(),
  'apps/DaemonSet': workload({ updateStrategy: { retainKeys: true } }),
  'batch/Job': workload(),
  'batch/CronJob': withMeta({
    spec: {
      fields: {
        jobTemplate: {
          fields: { metadata: objectMetaSchema, spec: { fields: { template: podTemplateSchema } } },
        },
      },
    },
  }),
};

/** The patch metadata for a built-in kind; kinds without special lists still merge metadata lists. */
export function patchSchemaFor(group: string, kind: string): PatchSchema {
  return schemas[`${group}/${kind}`] ?? withMeta({});
}
