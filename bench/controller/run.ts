// The generate controller:
//   latency:    trigger → downstream on the embedded server with Sprout's webhook and controller;
//   background: 10k namespaces × 3 generateExisting rules against a bare client writing the same 30k
//               ConfigMaps, and the controller process's RSS at the end.
// Every measurement runs `--runs` times (default 3); the table shows the median and every run.
// --qps N puts both background sides behind the same client-side rate limit (0, the default: none).
// Usage: npm run bench:controller [-- --runs 3 --phases latency,background --triggers 300 --namespaces 10000 --qps 0]
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MetricRow } from '../local/report.js';
import { printEnvironment, printJson, printTable } from '../local/report.js';
import type { BackgroundResult } from './background.js';
import type { LatencyResult } from './latency.js';
import { measureGenerateLatency } from './latency.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const runs = Number(flag('runs', '3'));
const phases = new Set(flag('phases', 'latency,background').split(','));
const triggers = Number(flag('triggers', '300'));
const namespaces = Number(flag('namespaces', '10000'));
const qps = Number(flag('qps', '0'));

function background(mode: 'controller' | 'bare'): Promise<BackgroundResult> {
  const script = fileURLToPath(new URL('./background.js', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, mode, String(namespaces), String(qps)], { maxBuffer: 16 * 1024 * 1024, timeout: 600_000 }, (err, stdout, stderr) => {
      const line = /^RESULT (.*)$/m.exec(stdout)?.[1];
      if (err || line === undefined) reject(new Error(`background ${mode} failed: ${err ? err.message : 'no RESULT line'}\n${stdout}\n${stderr}`));
      else resolve(JSON.parse(line) as BackgroundResult);
    });
  });
}

printEnvironment(`node dist/bench/controller/run.js ${args.join(' ')}`.trim());
const rows: MetricRow[] = [];

if (phases.has('latency')) {
  const results: LatencyResult[] = [];
  for (let r = 0; r < runs; r++) {
    results.push(await measureGenerateLatency(triggers, 20, r));
    process.stdout.write(`latency run ${r + 1}: ${JSON.stringify(results[r])}\n`);
  }
  rows.push(
    { metric: `generate latency p50 (create sent → downstream seen, ${triggers} namespaces)`, runs: results.map((x) => x.fromSend.p50), unit: 'ms', digits: 2 },
    { metric: 'generate latency p99', runs: results.map((x) => x.fromSend.p99), unit: 'ms', goal: '< 100', met: (v) => v < 100, digits: 2 },
    { metric: 'generate latency p50 from create ack', runs: results.map((x) => x.fromAck.p50), unit: 'ms', digits: 2 },
    { metric: 'generate latency p99 from create ack', runs: results.map((x) => x.fromAck.p99), unit: 'ms', digits: 2 },
    { metric: 'namespace create p50 (with webhook)', runs: results.map((x) => x.create.p50), unit: 'ms', digits: 2 },
  );
}

if (phases.has('background')) {
  const controller: BackgroundResult[] = [];
  const bare: BackgroundResult[] = [];
  for (let r = 0; r < runs; r++) {
    // Alternate, so both see the same background load on a shared machine.
    bare.push(await background('bare'));
    controller.push(await background('controller'));
    process.stdout.write(`background run ${r + 1}: ${JSON.stringify({ bare: bare[r], controller: controller[r] })}\n`);
  }
  const k = `${namespaces / 1000}k ns × 3 rules${qps > 0 ? `, both at ${qps} QPS` : ''}`;
  rows.push(
    { metric: `controller wall time (${k})`, runs: controller.map((x) => x.wallMs / 1000), unit: 's', digits: 2 },
    { metric: `bare client wall time (same ${namespaces * 3} creates, 4 in flight)`, runs: bare.map((x) => x.wallMs / 1000), unit: 's', digits: 2 },
    { metric: 'controller / bare (per run pair)', runs: controller.map((x, i) => x.wallMs / (bare[i]?.wallMs ?? Number.NaN)), unit: '×', goal: '≤ 1.2', met: (v) => v <= 1.2, digits: 2 },
    { metric: 'downstream created by the controller', runs: controller.map((x) => x.downstream), unit: 'objects', digits: 0 },
    { metric: 'controller process RSS at end', runs: controller.map((x) => x.rssMiB), unit: 'MiB', goal: '≤ 200', met: (v) => v <= 200 },
    { metric: 'controller process heap used at end', runs: controller.map((x) => x.heapUsedMiB), unit: 'MiB' },
    { metric: 'bare process RSS at end (cluster only)', runs: bare.map((x) => x.rssMiB), unit: 'MiB' },
  );
}

printTable(`bench/controller — median of ${runs} runs`, rows);
printJson('controller', rows, { runs, triggers, namespaces });
