// The `images` variable Kyverno puts into every rule's context: the pod's container images by
// container kind and name, parsed ({registry, path, name, tag, digest, reference, ...}).
import type { JsonObject, JsonValue } from '../api/json.js';
import { isJsonObject } from '../api/json.js';
import type { KubeObject } from '../api/kube.js';
import type { Rule } from '../api/policy.js';
import { formatImageReference, parseImageReference } from './jmespath/kyverno/image.js';

const containerKinds = ['initContainers', 'containers', 'ephemeralContainers'] as const;

// Read-only paths, shared by every call.
const POD_PATH: readonly string[] = ['spec'];
const CRONJOB_PATH: readonly string[] = ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
const TEMPLATE_PATH: readonly string[] = ['spec', 'template', 'spec'];
const templateKinds: ReadonlySet<string> = new Set([
  'Deployment',
  'DaemonSet',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
]);

function podSpecPath(kind: string): readonly string[] | undefined {
  if (kind === 'Pod') return POD_PATH;
  if (kind === 'CronJob') return CRONJOB_PATH;
  return templateKinds.has(kind) ? TEMPLATE_PATH : undefined;
}

const readsImages = new WeakMap<Rule, boolean>();

/**
 * Could an expression of the rule read `images`? Only by naming it, by reading the whole root (`@`),
 * or through an expression assembled at run time (a variable inside a variable, a jmesPath or foreach
 * list with variables): rules that cannot are spared parsing every image reference of the resource.
 * Decided once per rule object (policies are replaced, not edited in place).
 */
export function ruleMayReadImages(rule: Rule): boolean {
  let reads = readsImages.get(rule);
  if (reads === undefined) {
    const text = JSON.stringify(rule);
    reads =
      text.includes('images') ||
      text.includes('@') ||
      /\{\{[^}]*\{\{/.test(text) ||
      /"(jmesPath|list)":"[^"]*\{\{/.test(text);
    readsImages.set(rule, reads);
  }
  return reads;
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
