// Renders `sprout test` results: Kyverno's progress lines, the table and the summary line.
import type { ResultRow, TestReport } from '../test/rows.js';
import { renderTable } from './table.js';

export interface TestRenderOptions {
  detailed: boolean;
  failOnly: boolean;
}

export function renderTestReport(report: TestReport, o: TestRenderOptions): string {
  let out = `Loading test ${report.name} ( ${report.file} ) ...\n`;
  for (const e of report.errors) out += `  Error: ${e}\n`;
  const rows = o.failOnly ? report.rows.filter((r) => r.result === 'Fail') : report.rows;
  if (rows.length === 0) return out;
  const headers = [
    'ID',
    'POLICY',
    'RULE',
    'RESOURCE',
    'RESULT',
    'REASON',
    ...(o.detailed ? ['MESSAGE'] : []),
  ];
  const cells = rows.map((r) => [
    String(r.id),
    r.policy,
    r.rule,
    r.resource,
    r.result,
    r.reason,
    ...(o.detailed ? [r.message] : []),
  ]);
  out += renderTable(headers, cells);
  for (const r of rows) {
    if (r.reason === 'Resource diff' && r.message)
      out += `\nDiff for row ${r.id} (- expected, + actual):\n${r.message}\n`;
  }
  return out;
}

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
  errors: number;
}

export function totals(reports: TestReport[]): Totals {
  const all: ResultRow[] = reports.flatMap((r) => r.rows);
  return {
    passed: all.filter((r) => r.result === 'Pass' && !r.skipped).length,
    skipped: all.filter((r) => r.result === 'Skip' || r.skipped === true).length,
    failed: all.filter((r) => r.result === 'Fail').length,
    errors: reports.reduce((n, r) => n + r.errors.length, 0),
  };
}

export function renderSummary(t: Totals, failOnly: boolean): string {
  const total = t.passed + t.skipped + t.failed;
  const head = failOnly
    ? `Test Summary: ${t.failed} out of ${total} tests failed`
    : `Test Summary: ${t.passed + t.skipped} tests passed and ${t.failed} tests failed`;
  // The plain closing line CI tools read.
  return `\n${head}\n${t.errors > 0 ? `${t.errors} tests could not be loaded\n` : ''}${t.passed} passed, ${t.failed + t.errors} failed, ${t.skipped} skipped\n`;
}
