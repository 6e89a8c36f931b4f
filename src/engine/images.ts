// The `images` variable Kyverno puts into every rule's context: the pod's container images by
// container kind and name, parsed ({registry, path, name, tag, digest, reference, ...}).
import type { JsonObject, JsonValue } from '../api/json.js';
import { isJsonObject } from '../api/json.js';
import type { KubeObject } from '../api/kube.js';
import { formatImageReference, parseImageReference } from './jmespath/kyverno/image.js';

const containerKinds = ['initContainers', 'containers', 'ephemeralContainers'] as const;

function podSpecPath(kind: string): string[] | undefined {
  if (kind === 'Pod') return ['spec'];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  if (['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'Job'].includes(kind))
    return ['spec', 'template', 'spec'];
  return undefined;
}

/** undefined when the resource has no pod spec or no parsable container image. */
export function imagesOf(resource: KubeObject | undefined): JsonObject | undefined {
  const path = resource && podSpecPath(resource.kind);
  if (resource === undefined || path === undefined) return undefined;
  let spec: JsonValue | undefined = resource as unknown as JsonValue;
  for (const p of path) spec = isJsonObject(spec) ? spec[p] : undefined;
  if (!isJsonObject(spec)) return undefined;
  const out: JsonObject = {};
  for (const kind of containerKinds) {
    const list = spec[kind];
    if (!Array.isArray(list)) continue;
    const byName: JsonObject = {};
    for (const [i, c] of list.entries()) {
      if (!isJsonObject(c) || typeof c['image'] !== 'string' || typeof c['name'] !== 'string') continue;
      try {
        const ref = parseImageReference(c['image']);
        byName[c['name']] = {
          registry: ref.registry,
          name: ref.name,
          path: ref.path,
          tag: ref.tag,
          digest: ref.digest,
          reference: formatImageReference(ref),
          referenceWithTag: `${ref.registry}/${ref.path}:${ref.tag}`,
          jsonPointer: `/${path.join('/')}/${kind}/${i}/image`,
        };
      } catch {
        // An unparsable image is left out, as Kyverno skips it.
      }
    }
    if (Object.keys(byName).length > 0) out[kind] = byName;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
