// Create latency through the embedded API server with Sprout's webhook registered (startLocalStack
// with the scenario's 20 policies installed, so the server calls the webhook over HTTPS for every
// create) against the bare server (startLocalServer). Sequential creates, one at a time, in-process.
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../../src/api/kube.js';
import type { MemoryCluster } from '../../src/cluster/memory/index.js';
import { startLocalServer } from '../../src/cluster/http/index.js';
import { startLocalStack } from '../../src/main/local-stack.js';
import { createLogger } from '../../src/platform/logger.js';
import { RESOURCE_VALIDATING } from '../../src/webhook/configurations.js';
import { ApiClient } from '../local/api-client.js';
import type { LatencySummary } from '../local/report.js';
import { sleep, summarize } from '../local/report.js';
import { isReady } from '../controller/policies.js';
import type { ReadyChild } from './child.js';
import { startChild, stopChild } from './child.js';
import type { Scenario } from './fixtures.js';
import { benchNamespace, benchPod, policiesFor } from './fixtures.js';

export interface CreateLatency {
  summary: LatencySummary;
  meanMs: number;
}

async function timeCreates(api: ApiClient, scenario: Scenario, tag: string, warmup: number, count: number): Promise<CreateLatency> {
  if (scenario === 'validate') await api.create('/api/v1/namespaces', benchNamespace('shop'));
  const samples: number[] = [];
  for (let i = 0; i < warmup + count; i++) {
    const name = `${tag}-${i}`;
    const started = performance.now();
    if (scenario === 'validate') await api.create('/api/v1/namespaces/shop/pods', benchPod(name, 'shop'));
    else await api.create('/api/v1/namespaces', benchNamespace(name));
    if (i >= warmup) samples.push(performance.now() - started);
  }
  return { summary: summarize(samples), meanMs: samples.reduce((a, b) => a + b, 0) / samples.length };
}

export async function createWithoutWebhook(scenario: Scenario, warmup: number, count: number): Promise<CreateLatency> {
  const server = await startLocalServer();
  const api = new ApiClient(server.kubeconfigPath, 1);
  try {
    return await timeCreates(api, scenario, 'bare', warmup, count);
  } finally {
    api.close();
    await server.close();
  }
}

/** Waits until every policy is Ready and the webhook configuration routes the scenario's kind to Sprout. */
async function waitForWebhook(cluster: MemoryCluster, names: string[], resource: string): Promise<void> {
  for (let tries = 0; ; tries++) {
    if (tries > 1000) throw new Error('policies or webhook configuration never became ready');
    const policies = await Promise.all(
      names.map((name) => cluster.get({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name }).catch(() => undefined)),
    );
    const config = await cluster
      .get({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', name: RESOURCE_VALIDATING })
      .catch(() => undefined);
    if (policies.every((p) => p !== undefined && isReady(p)) && JSON.stringify(config ?? {}).includes(`"${resource}"`)) return;
    await sleep(20);
  }
}

export async function createWithWebhook(scenario: Scenario, warmup: number, count: number): Promise<CreateLatency> {
  // Generate failures are retried and logged at warn; the benchmark wants timings, not log lines.
  const stack = await startLocalStack({ logger: createLogger({ level: 'error' }) });
  const api = new ApiClient(stack.server.kubeconfigPath, 1);
  try {
    const policies = await policiesFor(scenario);
    for (const p of policies) await stack.server.cluster.create(p as unknown as KubeObject);
    await waitForWebhook(stack.server.cluster, policies.map((p) => p.metadata.name), scenario === 'validate' ? 'pods' : 'namespaces');
    return await timeCreates(api, scenario, 'hooked', warmup, count);
  } finally {
    api.close();
    await stack.close();
  }
}

/**
 * The "separate" topology: the embedded API server in one process, `sprout serve --webhook-url` in
 * another (or none, for the baseline), the timed client in this one, so neither the API server nor
 * the client shares an event loop with Sprout, as in a real cluster. `durable` keeps the API server's
 * state in an fsync'd write-ahead log (as etcd does) instead of memory only; `split` runs Sprout's
 * webhook and controller components in two processes (`--components`, docs/adr/0007).
 */
export async function createSeparate(
  scenario: Scenario,
  warmup: number,
  count: number,
  o: { webhook: boolean; durable: boolean; split?: boolean },
): Promise<CreateLatency> {
  const dataDir = o.durable ? await mkdtemp(join(tmpdir(), 'sprout-bench-data-')) : undefined;
  const apiScript = fileURLToPath(new URL('./api-server.js', import.meta.url));
  const api = await startChild(apiScript, dataDir ? ['--durable', dataDir] : [], /^READY (.*)$/m);
  const { kubeconfigPath } = JSON.parse(api.ready) as { kubeconfigPath: string };
  const client = new ApiClient(kubeconfigPath, 1);
  const sprout: ReadyChild[] = [];
  try {
    if (o.webhook) {
      await client.create('/api/v1/namespaces', benchNamespace('sprout'));
      const serve = async (components: string): Promise<void> => {
        const port = await freePort();
        const cli = fileURLToPath(new URL('../../../bin/sprout.js', import.meta.url));
        sprout.push(
          await startChild(
            cli,
            ['serve', '--kubeconfig', kubeconfigPath, '--namespace', 'sprout', '--webhook-host', '127.0.0.1', '--webhook-port', String(port),
              '--webhook-url', `https://127.0.0.1:${port}`, '--log-level', 'error', '--components', components],
            /^(sprout serve: webhook on .*)$/m,
          ),
        );
      };
      if (o.split) {
        // As the chart's controller.separate renders it: admission and background work on two event loops.
        await serve('controller');
        await serve('webhook');
      } else await serve('webhook,controller');
      const policies = await policiesFor(scenario);
      for (const p of policies) await client.create('/apis/kyverno.io/v1/clusterpolicies', p);
      await waitForWebhookOverHttp(client, policies.map((p) => p.metadata.name), scenario === 'validate' ? 'pods' : 'namespaces');
    }
    return await timeCreates(client, scenario, o.webhook ? 'hooked' : 'bare', warmup, count);
  } finally {
    client.close();
    for (const child of sprout.reverse()) await stopChild(child.child);
    await stopChild(api.child);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

async function waitForWebhookOverHttp(client: ApiClient, names: string[], resource: string): Promise<void> {
  for (let tries = 0; ; tries++) {
    if (tries > 1500) throw new Error('policies or webhook configuration never became ready');
    const policies = await Promise.all(names.map((name) => client.call('GET', `/apis/kyverno.io/v1/clusterpolicies/${name}`)));
    const config = await client.call('GET', `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${RESOURCE_VALIDATING}`);
    const ready = policies.every((r) => r.status === 200 && isReady(JSON.parse(r.body) as KubeObject));
    if (ready && config.status === 200 && config.body.includes(`"${resource}"`)) return;
    await sleep(20);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
