// Building the downstream copy of a clone source: pure, so the CLI and the controller agree.
import type { KubeObject } from '../../api/kube.js';
import { LABEL, sourceLabels } from './labels.js';
import type { ResourceRef } from './plan.js';

/** Server-populated metadata that must not travel to the copy. */
const SERVER_FIELDS = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'managedFields',
  'selfLink',
  'generation',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
] as const;

export function buildCloneCopy(
  source: KubeObject,
  target: ResourceRef,
  labels: Record<string, string>,
): KubeObject {
  const copy = structuredClone(source);
  const meta = copy.metadata;
  for (const f of SERVER_FIELDS) delete meta[f];
  delete copy['status'];
  if ((source.metadata.namespace ?? '') !== target.namespace) delete meta.ownerReferences;
  meta.name = target.name;
  if (target.namespace) meta.namespace = target.namespace;
  else delete meta.namespace;
  meta.labels = { ...(meta.labels ?? {}), [LABEL.cloneSource]: '', ...sourceLabels(source), ...labels };
  copy.apiVersion = target.apiVersion || source.apiVersion;
  copy.kind = target.kind || source.kind;
  return copy;
}
