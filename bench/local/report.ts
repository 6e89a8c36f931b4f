// Shared by the server-side benchmarks (bench/local, bench/controller, bench/webhook): percentiles,
// the median of repeated runs, the environment header and the table + JSON line every run prints.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/** Value at percentile `p` (0-100) of an ascending array (nearest rank). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? Number.NaN;
}

export function sortedCopy(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

export function median(values: readonly number[]): number {
  return percentile(sortedCopy(values), 50);
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarize(valuesMs: readonly number[]): LatencySummary {
  const s = sortedCopy(valuesMs);
  return { count: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? Number.NaN };
}

/** Resident set size of a process in MiB, from /proc/<pid>/status (VmRSS, and the peak VmHWM). */
export function procRssMiB(pid: number): { rss: number; peak: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

export const mib = (bytes: number): number => bytes / (1024 * 1024);

/** What every benchmark prints first: the command, node, nproc, CPU and load. */
export function printEnvironment(command: string): void {
  const lines = [
    `command: ${command}`,
    `node ${process.version}, nproc ${cpus().length}, ${cpus()[0]?.model ?? 'unknown cpu'}`,
    `load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function fmt(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** One row per metric: the median of the runs, then every run. */
export interface MetricRow {
  metric: string;
  runs: number[];
  unit: string;
  goal?: string;
  /** Whether the median meets the goal. */
  met?: (medianValue: number) => boolean;
  digits?: number;
}

export function printTable(title: string, rows: MetricRow[]): void {
  const header = ['metric', 'median', 'runs', 'unit', 'goal', 'met'];
  const body = rows.map((r) => {
    const m = median(r.runs);
    return [
      r.metric,
      fmt(m, r.digits),
      r.runs.map((v) => fmt(v, r.digits)).join(' / '),
      r.unit,
      r.goal ?? '',
      r.met ? (r.met(m) ? 'yes' : 'NO') : '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const out = [`\n${title}`, line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
  process.stdout.write(`${out.join('\n')}\n`);
}

/** The machine-readable result: one line, prefixed so it can be grepped out of the output. */
export function printJson(benchmark: string, rows: MetricRow[], extra: Record<string, unknown> = {}): void {
  const metrics = Object.fromEntries(rows.map((r) => [r.metric, { median: median(r.runs), runs: r.runs, unit: r.unit }]));
  const line = { benchmark, node: process.version, nproc: cpus().length, date: new Date().toISOString(), metrics, ...extra };
  process.stdout.write(`JSON ${JSON.stringify(line)}\n`);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
