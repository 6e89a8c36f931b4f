// The admission webhook:
//   throughput: AdmissionReviews/s with autocannon against a WebhookServer (own process) holding 20
//               policies, at the sustained maximum and at a fixed 1,000 rps (p50/p99 latency);
//   create:     create latency through the embedded API server with Sprout's webhook against without,
//               Sprout in the API server's process and in a process of its own (see Topology).
// Scenarios: validate (Pod, 20 validate policies) and generate (Namespace, 20 generate policies).
// Every measurement runs `--runs` times (default 3); the table shows the median and every run.
// Usage: npm run bench:webhook [-- --runs 3 --scenarios validate,generate --phases throughput,create --seconds 10
//        --topologies in-process,separate,separate-durable,separate-split --warmup 50]
// --cpu-prof-dir <dir> writes a V8 CPU profile of each webhook server process there (open it in
// Chrome DevTools or speedscope) to see where a review's time goes.
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { MetricRow } from '../local/report.js';
import { printEnvironment, printJson, printTable } from '../local/report.js';
import type { CreateLatency } from './create-latency.js';
import { createSeparate, createWithWebhook, createWithoutWebhook } from './create-latency.js';
import type { Scenario } from './fixtures.js';
import { admissionReview } from './fixtures.js';
import { startChild } from './child.js';

/**
 * Where the create-latency phase runs Sprout: in the API server's process (`sprout local`), or the
 * API server and `sprout serve` in processes of their own, with state in memory or fsync'd to disk,
 * or with Sprout's webhook and controller components in two processes (separate-split).
 */
type Topology = 'in-process' | 'separate' | 'separate-durable' | 'separate-split';

function createOnce(topology: Topology, scenario: Scenario, webhook: boolean): Promise<CreateLatency> {
  if (topology === 'in-process')
    return webhook ? createWithWebhook(scenario, warmup, creates) : createWithoutWebhook(scenario, 50, creates);
  return createSeparate(scenario, warmup, creates, { webhook, durable: topology === 'separate-durable', split: topology === 'separate-split' });
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const runs = Number(flag('runs', '3'));
const scenarios = flag('scenarios', 'validate,generate').split(',') as Scenario[];
const phases = new Set(flag('phases', 'throughput,create').split(','));
const seconds = Number(flag('seconds', '10'));
const creates = Number(flag('creates', '500'));
const warmup = Number(flag('warmup', '50'));
const cpuProfDir = flag('cpu-prof-dir', '');
const topologies = flag('topologies', 'in-process,separate,separate-durable,separate-split').split(',') as Topology[];

interface WebhookProcess {
  child: ChildProcess;
  port: number;
  caPem: string;
}

/** The webhook process's CPU time so far (user + system, µs): less sensitive to a busy machine than req/s. */
function cpuMicros(w: WebhookProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    w.child.once('message', (m: unknown) => {
      const usage = m as { user: number; system: number };
      resolve(usage.user + usage.system);
    });
    if (!w.child.send('cpu')) reject(new Error('webhook process has no IPC channel'));
  });
}

async function startWebhook(scenario: Scenario): Promise<WebhookProcess> {
  const script = fileURLToPath(new URL('./server.js', import.meta.url));
  const profile = cpuProfDir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`];
  const { child, ready } = await startChild(script, [scenario], /^READY (.*)$/m, profile);
  const info = JSON.parse(ready) as { port: number; caPem: string };
  return { child, port: info.port, caPem: info.caPem };
}

async function cannon(w: WebhookProcess, body: string, extra: Record<string, unknown>): Promise<AutocannonResult> {
  const result = await autocannon({
    url: `https://127.0.0.1:${w.port}/validate`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    tlsOptions: { ca: w.caPem },
    duration: seconds,
    ...extra,
  });
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`autocannon: ${result.errors} errors, ${result.non2xx} non-2xx`);
  return result;
}

interface Throughput {
  maxRps: number;
  maxP50: number;
  maxP99: number;
  fixedRps: number;
  fixedP50: number;
  fixedP99: number;
  /** Webhook-process CPU per review at the maximum rate, µs. */
  cpuPerReview: number;
}

async function throughput(scenario: Scenario): Promise<Throughput> {
  const w = await startWebhook(scenario);
  try {
    const body = admissionReview(scenario);
    await cannon(w, body, { connections: 16, duration: 3 }); // warm-up: JIT, TLS sessions
    const cpuBefore = await cpuMicros(w);
    const max = await cannon(w, body, { connections: 32 });
    const cpuPerReview = (await cpuMicros(w)) - cpuBefore;
    // autocannon's coordinated-omission correction assumes one request per millisecond per connection
    // (Math.ceil(1 / rate) with rate in requests per second), which at 100 rps per connection invents a
    // sample for every millisecond of each slow reply; the raw latencies are the honest figure here.
    const fixed = await cannon(w, body, { connections: 10, overallRate: 1000, ignoreCoordinatedOmission: true });
    return {
      maxRps: max.requests.average,
      maxP50: max.latency.p50,
      maxP99: max.latency.p99,
      fixedRps: fixed.requests.average,
      fixedP50: fixed.latency.p50,
      fixedP99: fixed.latency.p99,
      cpuPerReview: cpuPerReview / Math.max(1, max.requests.total),
    };
  } finally {
    w.child.kill('SIGTERM');
  }
}

printEnvironment(`node dist/bench/webhook/run.js ${args.join(' ')}`.trim());
const rows: MetricRow[] = [];

for (const scenario of scenarios) {
  if (phases.has('throughput')) {
    const t: Throughput[] = [];
    for (let r = 0; r < runs; r++) {
      t.push(await throughput(scenario));
      process.stdout.write(`throughput ${scenario} run ${r + 1}: ${JSON.stringify(t[r])}\n`);
    }
    rows.push(
      { metric: `${scenario}: AdmissionReviews/s, max (32 connections)`, runs: t.map((x) => x.maxRps), unit: 'req/s', goal: '≥ 5,000', met: (v) => v >= 5000, digits: 0 },
      { metric: `${scenario}: webhook CPU per review at max`, runs: t.map((x) => x.cpuPerReview), unit: 'µs', digits: 0 },
      { metric: `${scenario}: latency p50 at max`, runs: t.map((x) => x.maxP50), unit: 'ms', digits: 0 },
      { metric: `${scenario}: latency p99 at max`, runs: t.map((x) => x.maxP99), unit: 'ms', digits: 0 },
      { metric: `${scenario}: rate achieved at 1,000 rps target`, runs: t.map((x) => x.fixedRps), unit: 'req/s', digits: 0 },
      { metric: `${scenario}: latency p50 at 1,000 rps`, runs: t.map((x) => x.fixedP50), unit: 'ms', digits: 0 },
      { metric: `${scenario}: latency p99 at 1,000 rps`, runs: t.map((x) => x.fixedP99), unit: 'ms', goal: '< 5', met: (v) => v < 5, digits: 0 },
    );
  }
  if (phases.has('create')) {
    for (const topology of topologies) {
      const without: CreateLatency[] = [];
      const withHook: CreateLatency[] = [];
      for (let r = 0; r < runs; r++) {
        without.push(await createOnce(topology, scenario, false));
        withHook.push(await createOnce(topology, scenario, true));
        process.stdout.write(`create ${scenario} ${topology} run ${r + 1}: ${JSON.stringify({ without: without[r], with: withHook[r] })}\n`);
      }
      const what = `${scenario}, ${topology}: ${scenario === 'validate' ? 'Pod' : 'Namespace'} create`;
      rows.push(
        { metric: `${what} p50 without webhook`, runs: without.map((x) => x.summary.p50), unit: 'ms', digits: 2 },
        { metric: `${what} p50 with Sprout's webhook`, runs: withHook.map((x) => x.summary.p50), unit: 'ms', digits: 2 },
        { metric: `${what} p99 without webhook`, runs: without.map((x) => x.summary.p99), unit: 'ms', digits: 2 },
        { metric: `${what} p99 with Sprout's webhook`, runs: withHook.map((x) => x.summary.p99), unit: 'ms', digits: 2 },
        { metric: `${what} p50 added by the webhook`, runs: withHook.map((x, i) => x.summary.p50 - (without[i]?.summary.p50 ?? Number.NaN)), unit: 'ms', digits: 2 },
        { metric: `${what} p50 with / without (per run pair)`, runs: withHook.map((x, i) => x.summary.p50 / (without[i]?.summary.p50 ?? Number.NaN)), unit: '×', goal: '≤ 1.15', met: (v) => v <= 1.15, digits: 2 },
        { metric: `${what} mean with / without (per run pair)`, runs: withHook.map((x, i) => x.meanMs / (without[i]?.meanMs ?? Number.NaN)), unit: '×', goal: '≤ 1.15', met: (v) => v <= 1.15, digits: 2 },
      );
    }
  }
}

printTable(`bench/webhook — median of ${runs} runs`, rows);
printJson('webhook', rows, { runs, seconds, creates });
