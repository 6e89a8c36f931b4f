// Generate latency on the embedded server: the full local stack (API server + Sprout's webhook +
// controller, one process), one synchronized data policy, namespaces created one at a time through
// the KubeClient adapter, each timed until a watch on the generated ConfigMaps delivers its downstream.
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { KubeClient } from '../../src/cluster/kube/index.js';
import { startLocalStack } from '../../src/main/local-stack.js';
import type { LatencySummary } from '../local/report.js';
import { sleep, summarize } from '../local/report.js';
import { dataPolicy, isReady, namespaceObject } from './policies.js';

export interface LatencyResult {
  /** Namespace create sent → downstream ConfigMap event read. */
  fromSend: LatencySummary;
  /** Namespace create acknowledged → downstream ConfigMap event read. */
  fromAck: LatencySummary;
  /** Namespace create round trip (includes Sprout's webhook). */
  create: LatencySummary;
}

const POLICY = 'bench-latency';
const CONFIG_MAP = { apiVersion: 'v1', kind: 'ConfigMap' };

export async function measureGenerateLatency(triggers: number, warmup: number, run: number): Promise<LatencyResult> {
  const stack = await startLocalStack();
  const client = KubeClient.fromKubeconfig(stack.server.kubeconfigPath, { qps: 0 });
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  try {
    await client.create(dataPolicy(POLICY, ['bench-data'], { synchronize: true, generateExisting: false }));
    const policyRef = { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: POLICY };
    for (let tries = 0; !isReady(await client.get(policyRef)); tries++) {
      if (tries > 500) throw new Error('the policy never became Ready');
      await sleep(20);
    }
    const arrived = new Map<string, number>();
    const waiters = new Map<string, () => void>();
    const list = await client.list(CONFIG_MAP, { labelSelector: `generate.kyverno.io/policy-name=${POLICY}` });
    client.watch(
      CONFIG_MAP,
      { labelSelector: `generate.kyverno.io/policy-name=${POLICY}`, resourceVersion: list.resourceVersion },
      (e) => {
        if (e.type !== 'ADDED') return;
        const ns = e.object.metadata.namespace ?? '';
        arrived.set(ns, performance.now());
        waiters.get(ns)?.();
      },
      abort.signal,
    );
    const waitFor = (ns: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(ns);
          resolve(arrived.get(ns) ?? Number.NaN);
        };
        const timer = setTimeout(() => reject(new Error(`no downstream for namespace ${ns} after 10 s`)), 10_000);
        waiters.set(ns, done);
        if (arrived.has(ns)) done();
      });
    const fromSend: number[] = [];
    const fromAck: number[] = [];
    const create: number[] = [];
    for (let i = 0; i < warmup + triggers; i++) {
      const ns = `lat-${run}-${i}`;
      const arrival = waitFor(ns);
      const sent = performance.now();
      await client.create(namespaceObject(ns));
      const acked = performance.now();
      const at = await arrival;
      if (i < warmup) continue;
      fromSend.push(at - sent);
      fromAck.push(Math.max(0, at - acked));
      create.push(acked - sent);
    }
    return { fromSend: summarize(fromSend), fromAck: summarize(fromAck), create: summarize(create) };
  } finally {
    abort.abort();
    client.close();
    await stack.close();
  }
}
