// Helpers for the ClusterClient contract suite. Only behaviour a real API server has is assumed;
// controller work (GC, namespace cleanup) may be asynchronous there, so assertions poll.
import type { KubeObject } from '../api/kube.js';
import type { ClusterClient, ResourceRef, WatchEvent, WatchOptions } from './client.js';
import { isNotFound } from './errors.js';

export interface ContractHooks {
  /** Makes the server forget its watch history (memory: compact). Without it the 410 test relies on RV 1 being compacted. */
  forgetHistory?: (client: ClusterClient) => Promise<void>;
  /** How long to wait for asynchronous controllers; 30 s against a real cluster is sane. */
  timeoutMs?: number;
}

export const CM: ResourceRef = { apiVersion: 'v1', kind: 'ConfigMap' };
export const NS: ResourceRef = { apiVersion: 'v1', kind: 'Namespace' };

export function uniqueName(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
}

export function configMap(
  namespace: string,
  name: string,
  extra: Partial<KubeObject['metadata']> = {},
  data: Record<string, string> = { k: 'v' },
): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, ...extra }, data };
}

export async function eventually(check: () => Promise<void>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

export async function expectGone(
  client: ClusterClient,
  ref: ResourceRef & { name: string; namespace?: string },
  timeoutMs: number,
): Promise<void> {
  await eventually(async () => {
    try {
      await client.get(ref);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    throw new Error(`${ref.kind} ${ref.name} still exists`);
  }, timeoutMs);
}

/** Collects a watch's events until `until` says enough (or the timeout passes). */
export async function collectWatch(
  client: ClusterClient,
  ref: ResourceRef,
  options: WatchOptions,
  until: (events: WatchEvent[]) => boolean,
  timeoutMs: number,
  afterStart: () => Promise<void> = () => Promise.resolve(),
): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  const controller = new AbortController();
  let wake: () => void = () => undefined;
  const enough = new Promise<void>((resolve) => (wake = resolve));
  const handle = await client.watch(
    ref,
    options,
    (e) => {
      events.push(e);
      if (until(events)) wake();
    },
    controller.signal,
  );
  await afterStart();
  const timer = setTimeout(wake, timeoutMs);
  await Promise.race([enough, handle.done]);
  clearTimeout(timer);
  controller.abort();
  await handle.done;
  return events;
}

/** Clears metadata.finalizers (a merge patch needs no resourceVersion, so no conflicts). */
export async function dropFinalizers(
  client: ClusterClient,
  ref: ResourceRef & { name: string; namespace?: string },
): Promise<void> {
  await client.patch(ref, { metadata: { finalizers: null } }, 'merge');
}

export function names(items: KubeObject[]): string[] {
  return items.map((o) => o.metadata.name ?? '');
}
