// The embedded API server (`sprout local` in a child process, spoken to over HTTPS on loopback):
//   writes: ConfigMap creates per second at concurrency 1/16/64, in memory and with --data-dir;
//   watch:  write-acknowledged → event-read latency with 10k objects stored and 20 watchers;
//   rss:    the server's VmRSS after 100k small ConfigMaps.
// Every measurement runs `--runs` times (default 3) on a fresh server; the table shows the median and
// every run. Usage: npm run bench:local [-- --runs 3 --phases writes,watch,rss --objects 100000]
import type { MetricRow } from './report.js';
import { printEnvironment, printJson, printTable } from './report.js';
import { measureRss, measureWatch, measureWrites } from './phases.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const runs = Number(flag('runs', '3'));
const phases = new Set(flag('phases', 'writes,watch,rss').split(','));
const rssObjects = Number(flag('objects', '100000'));
const writeSeconds = Number(flag('seconds', '3'));
const CONCURRENCY = [1, 16, 64];
const WATCH_OBJECTS = 10_000;
const WATCHERS = 20;
const WATCH_WRITES = 500;

printEnvironment(`node dist/bench/local/run.js ${args.join(' ')}`.trim());
const rows: MetricRow[] = [];
const atLeast = (goal: number) => (v: number): boolean => v >= goal;
const below = (goal: number) => (v: number): boolean => v < goal;

if (phases.has('writes')) {
  for (const durable of [false, true]) {
    const perRun: Record<number, number>[] = [];
    for (let r = 0; r < runs; r++) {
      perRun.push(await measureWrites(durable, CONCURRENCY, writeSeconds * 1000));
      process.stdout.write(`writes ${durable ? '--data-dir' : 'in memory'} run ${r + 1}: ${JSON.stringify(perRun[r])}\n`);
    }
    for (const c of CONCURRENCY) {
      rows.push({
        metric: `creates/s ${durable ? '--data-dir' : 'memory'} c=${c}`,
        runs: perRun.map((p) => p[c] ?? Number.NaN),
        unit: 'writes/s',
        goal: '≥ 2,000',
        met: atLeast(2000),
        digits: 0,
      });
    }
  }
}

if (phases.has('watch')) {
  const results = [];
  for (let r = 0; r < runs; r++) {
    const w = await measureWatch(WATCH_OBJECTS, WATCHERS, WATCH_WRITES);
    results.push(w);
    process.stdout.write(`watch run ${r + 1}: ${JSON.stringify(w)}\n`);
  }
  const label = `${WATCH_OBJECTS / 1000}k objects, ${WATCHERS} watchers, ${WATCH_WRITES} writes`;
  rows.push(
    { metric: `watch delivery p50 (${label})`, runs: results.map((w) => w.fromAck.p50), unit: 'ms', digits: 2 },
    { metric: `watch delivery p99 (${label})`, runs: results.map((w) => w.fromAck.p99), unit: 'ms', goal: '< 20', met: below(20), digits: 2 },
    { metric: 'watch delivery p99 from send', runs: results.map((w) => w.fromSend.p99), unit: 'ms', digits: 2 },
    { metric: 'watch events missing', runs: results.map((w) => w.missing), unit: 'events', digits: 0 },
  );
}

if (phases.has('rss')) {
  const results = [];
  for (let r = 0; r < runs; r++) {
    const m = await measureRss(rssObjects, 10);
    results.push(m);
    process.stdout.write(`rss run ${r + 1}: ${JSON.stringify(m)}\n`);
  }
  rows.push(
    { metric: 'server RSS after start', runs: results.map((m) => m.startMiB), unit: 'MiB' },
    { metric: `server RSS at ${rssObjects / 1000}k ConfigMaps`, runs: results.map((m) => m.endMiB), unit: 'MiB' },
    { metric: 'server peak RSS (VmHWM)', runs: results.map((m) => m.peakMiB), unit: 'MiB' },
    { metric: `creates/s while filling (c=64)`, runs: results.map((m) => m.createsPerSecond), unit: 'writes/s', digits: 0 },
  );
}

printTable(`bench/local — median of ${runs} runs`, rows);
printJson('local', rows, { runs });
