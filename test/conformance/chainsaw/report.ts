// The report: one line per test, details (failing step, operation, reason, diff) for failures,
// and the final "N passed, M failed".
import { formatDuration } from './duration.js';
import type { LoadFailure } from './load.js';
import type { TestResult } from './run-test.js';

export function summaryLine(results: TestResult[], loadFailures: LoadFailure[] = []): string {
  const passed = results.filter((r) => r.passed).length;
  return `${passed} passed, ${results.length - passed + loadFailures.length} failed`;
}

export function formatTestResult(r: TestResult): string {
  const head = `${r.passed ? 'PASS' : 'FAIL'} ${r.name} (${formatDuration(r.durationMs)}) ${r.file}`;
  if (r.passed) return head;
  const lines = [head];
  for (const step of r.steps) {
    for (const f of step.failures) {
      lines.push(`  step "${step.name}" ${f.phase}[${f.index}] ${f.operation}`);
      lines.push(`    reason: ${f.reason}`);
      if (f.diff !== undefined) lines.push('    diff (- expected, + actual):', ...f.diff.split('\n').map((l) => `      ${l}`));
    }
  }
  for (const e of r.cleanupErrors) lines.push(`  ${e}`);
  return lines.join('\n');
}

export function formatReport(results: TestResult[], loadFailures: LoadFailure[] = []): string {
  const lines = results.map(formatTestResult);
  for (const f of loadFailures) lines.push(`FAIL ${f.file}\n  could not load: ${f.error}`);
  lines.push('', summaryLine(results, loadFailures));
  return lines.join('\n') + '\n';
}
