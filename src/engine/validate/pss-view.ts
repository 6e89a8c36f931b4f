// What the Pod Security Standards checks look at (the pod's metadata, spec and containers) and what
// they report (violations by control), with the small helpers every check shares.
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';

export type PssLevel = 'baseline' | 'restricted';

export interface Violation {
  /** The control, as Kyverno's `exclude[].controlName` names it ("Host Namespaces"). */
  control: string;
  /** e.g. "spec.hostIPC", "spec.containers[*].securityContext.privileged". */
  field: string;
  values: string[];
  /** The image of the container the violation is on; undefined for pod-level fields. */
  image?: string;
}

export interface Container {
  kind: 'containers' | 'initContainers' | 'ephemeralContainers';
  spec: JsonObject;
}

export interface PodView {
  metadata: JsonObject;
  spec: JsonObject;
}

export const obj = (v: JsonValue | undefined): JsonObject => (isJsonObject(v) ? v : {});
export const list = (v: JsonValue | undefined): JsonValue[] => (Array.isArray(v) ? v : []);
export const text = (v: JsonValue | undefined): string =>
  typeof v === 'string' ? v : JSON.stringify(v ?? null);

export function containers(spec: JsonObject): Container[] {
  const out: Container[] = [];
  for (const kind of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    for (const c of list(spec[kind])) if (isJsonObject(c)) out.push({ kind, spec: c });
  }
  return out;
}

function containerField(c: Container, path: string): string {
  return `spec.${c.kind}[*].${path}`;
}

function image(c: Container): string {
  return typeof c.spec['image'] === 'string' ? c.spec['image'] : '';
}

/** A check appends its violations to `out`; `cs` are the pod's containers, listed once per pod. */
export type Check = (pod: PodView, cs: readonly Container[], out: Violation[]) => void;

export function perContainer(
  control: string,
  path: string,
  bad: (c: Container) => string[] | undefined,
): Check {
  return (_pod, cs, out) => {
    for (const c of cs) {
      const values = bad(c);
      if (values !== undefined)
        out.push({ control, field: containerField(c, path), values, image: image(c) });
    }
  };
}

/** A pod-level violation (or none), then the same control per container. */
export function podAndContainers(podLevel: (pod: PodView) => Violation | undefined, perEach: Check): Check {
  return (pod, cs, out) => {
    const v = podLevel(pod);
    if (v !== undefined) out.push(v);
    perEach(pod, cs, out);
  };
}

export const sc = (c: Container): JsonObject => obj(c.spec['securityContext']);

export const podSecurityContext = (pod: PodView): JsonObject => obj(pod.spec['securityContext']);

/**
 * One control's check across PSS versions, as Kyverno runs the pod-security-admission library:
 * `latest` runs the newest version of the check; a pinned v1.<minor> runs every version of it that
 * exists at that minor (the oldest included), so a check that later versions relax stays strict.
 */
export interface Control {
  readonly latest: Check;
  pinned(minor: number): readonly Check[];
}

/** A check with a single version, introduced in v1.<minor>. */
export function since(minor: number, check: Check): Control {
  const checks = [check];
  return { latest: check, pinned: (m) => (m >= minor ? checks : []) };
}
