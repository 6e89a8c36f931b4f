// Evaluations per second of one Namespace CREATE against 50 mixed generate policies, through the engine
// API directly: PolicyIndex candidates, then evaluateGenerate (match, context, preconditions, plan).
// One process, one core; no cluster writes. Usage: npm run bench:engine [-- iterations]
import { cpus } from 'node:os';
import type { KubeObject } from '../../src/api/kube.js';
import { gvkOf } from '../../src/api/kube.js';
import type { EvalEnv } from '../../src/engine/env.js';
import { emptyLookup } from '../../src/engine/env.js';
import { evaluateGenerate, evaluateGenerateSync } from '../../src/engine/generate/evaluate.js';
import { PolicyIndex } from '../../src/engine/policy-index.js';
import type { PolicyRequest } from '../../src/engine/request.js';
import { benchmarkPolicies } from './policies.js';
import { percentile } from '../local/report.js';
import { timeCalls } from '../local/timing.js';

const WARMUP = 2_000;
const iterations = Number(process.argv[2] ?? 20_000);

const trigger: KubeObject = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name: 'payments',
    uid: '5f1d8a52-4b7e-4d59-9f0e-2f4f1c1b9a10',
    labels: { team: 'blue', env: 'prod' },
    annotations: { 'example.com/environments': 'dev,skip-this,prod' },
  },
};
// A webhook builds a new request (and parses a new object) for every admission: the engine may cache
// per request, never across them. A pool of distinct requests keeps such caches honest.
const POOL = 512;
const requests: PolicyRequest[] = Array.from({ length: POOL }, () => ({
  operation: 'CREATE',
  object: structuredClone(trigger),
}));
let next = 0;
// Fixed time and randomness: the benchmark measures the engine, not the clock.
const env: EvalEnv = { now: () => 1_700_000_000_000, random: () => 0.5, lookup: emptyLookup };

const index = new PolicyIndex(benchmarkPolicies(50));
const gvk = gvkOf(trigger);

async function evaluateOnce(): Promise<number> {
  const request = requests[next++ % POOL] as PolicyRequest;
  let planned = 0;
  for (const policy of index.candidates(gvk)) {
    // As a webhook would: synchronously where no rule reads the cluster, awaiting only the others.
    const outcomes =
      evaluateGenerateSync(policy, request, env) ?? (await evaluateGenerate(policy, request, env));
    for (const outcome of outcomes) {
      if (outcome.plan) planned += outcome.plan.targets.length;
    }
  }
  return planned;
}

async function main(): Promise<void> {
  const targets = await evaluateOnce();
  const { samples, elapsedMs, perSecond } = await timeCalls(evaluateOnce, iterations, WARMUP);
  const us = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`;
  const lines = [
    `policies: 50 (${index.candidates(gvk).length} candidates for ${gvk.kind}), targets planned per evaluation: ${targets}`,
    `iterations: ${iterations} (after ${WARMUP} warm-up), total ${elapsedMs.toFixed(0)} ms`,
    `evaluations/s: ${perSecond.toFixed(0)}`,
    `per evaluation: p50 ${us(percentile(samples, 50))}, p99 ${us(percentile(samples, 99))}`,
    `node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
