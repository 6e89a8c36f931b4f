// `sprout test DIR…`: runs every kyverno-test.yaml below the given folders, in Kyverno's format.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { CliIo } from '../io.js';
import { UsageError } from '../io.js';
import { renderSummary, renderTestReport, totals } from '../output/test-report.js';
import type { TestDeps } from '../test/run-test.js';
import { runTest } from '../test/run-test.js';
import { findTestFiles, loadTestFile } from '../test/load-test.js';
import type { TestReport } from '../test/rows.js';
import type { ExitSink } from './index.js';

interface TestFlags {
  fileName: string;
  detailedResults: boolean;
  failOnly: boolean;
  removeColor: boolean;
  requireTests: boolean;
}

export function registerTest(program: Command, io: CliIo, exit: ExitSink, deps: () => TestDeps): void {
  program
    .command('test')
    .description('run kyverno-test.yaml test suites (Kyverno CLI format) below the given folders')
    .argument('<dir...>', 'folders (or test files) to search for test files')
    .option('-f, --file-name <name>', 'name of the test files', 'kyverno-test.yaml')
    .option('--detailed-results', 'show the message of every result', false)
    .option('--fail-only', 'show only failed results', false)
    .option('--remove-color', 'accepted for compatibility; output has no colour', false)
    .option('--require-tests', 'fail when no test file is found', false)
    .action(async (dirs: string[], flags: TestFlags) => {
      exit(await runTests(dirs, flags, io, deps()));
    });
}

export async function runTests(dirs: string[], flags: TestFlags, io: CliIo, deps: TestDeps): Promise<number> {
  let files: string[];
  try {
    files = await findTestFiles(
      dirs.map((d) => resolve(io.cwd, d)),
      flags.fileName,
    );
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  if (files.length === 0) {
    io.out('No test yamls available\n');
    return flags.requireTests ? 1 : 0;
  }
  const reports: TestReport[] = [];
  for (const file of files) {
    let tests;
    try {
      tests = await loadTestFile(file);
    } catch (e) {
      const report: TestReport = {
        name: file,
        file,
        rows: [],
        errors: [e instanceof Error ? e.message : String(e)],
      };
      reports.push(report);
      io.out(renderTestReport(report, { detailed: flags.detailedResults, failOnly: flags.failOnly }));
      continue;
    }
    for (const t of tests) {
      const report = await runTest(t, deps);
      reports.push(report);
      io.out(renderTestReport(report, { detailed: flags.detailedResults, failOnly: flags.failOnly }));
    }
  }
  const t = totals(reports);
  io.out(renderSummary(t, flags.failOnly));
  return t.failed > 0 || t.errors > 0 ? 1 : 0;
}
