// A ClusterClient that fails a share of writes with the errors a real API server sends under load.
import type { KubeObject } from '../../../src/api/kube.js';
import type {
  ClusterClient,
  DeleteOptions,
  ObjectRef,
  PatchBody,
  PatchOptions,
  PatchType,
  WriteOptions,
} from '../../../src/cluster/client.js';
import { conflict, internalError, tooManyRequests } from '../../../src/cluster/errors.js';

/** A small deterministic PRNG (mulberry32), so failures are the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FlakyClient {
  failures = 0;
  private enabled = true;

  constructor(
    private readonly inner: ClusterClient,
    private readonly rate: number,
    private readonly random: () => number,
  ) {}

  disable(): void {
    this.enabled = false;
  }

  private maybeFail(what: string): void {
    if (!this.enabled || this.random() >= this.rate) return;
    this.failures++;
    const pick = this.random();
    if (pick < 0.34) throw internalError(`injected failure on ${what}`);
    if (pick < 0.67) throw conflict({ group: '', resource: 'objects' }, what);
    throw tooManyRequests('injected: too many requests', 1);
  }

  client(): ClusterClient {
    const inner = this.inner;
    return {
      get: (ref) => inner.get(ref),
      list: (ref, o) => inner.list(ref, o),
      watch: (ref, o, onEvent, signal) => inner.watch(ref, o, onEvent, signal),
      create: async (obj: KubeObject, o?: WriteOptions) => {
        this.maybeFail(`create ${obj.metadata.name ?? ''}`);
        return inner.create(obj, o);
      },
      update: async (obj: KubeObject, o?: WriteOptions) => {
        this.maybeFail(`update ${obj.metadata.name ?? ''}`);
        return inner.update(obj, o);
      },
      updateStatus: (obj, o) => inner.updateStatus(obj, o),
      patch: async (ref: ObjectRef, p: PatchBody, type: PatchType, o?: PatchOptions) => {
        this.maybeFail(`patch ${ref.name}`);
        return inner.patch(ref, p, type, o);
      },
      delete: async (ref: ObjectRef, o?: DeleteOptions) => {
        this.maybeFail(`delete ${ref.name}`);
        return inner.delete(ref, o);
      },
      resolveKind: (ref) => inner.resolveKind(ref),
      resolveResource: (g, v, r) => inner.resolveResource(g, v, r),
      resources: () => inner.resources(),
    };
  }
}
