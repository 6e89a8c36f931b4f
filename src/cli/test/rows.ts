// One line of `sprout test`'s table: did an expectation hold, and why not.
export interface ResultRow {
  id: number;
  policy: string;
  rule: string;
  resource: string;
  /** Whether the expectation held. */
  result: 'Pass' | 'Fail' | 'Skip';
  /** Ok, Excluded, Not found, Want x, got y, Resource diff, Resource error, Invalid Policy. */
  reason: string;
  message: string;
  /** Counted as skipped in the summary (Kyverno counts "Excluded" passes as skips). */
  skipped?: boolean;
}

export interface TestReport {
  name: string;
  file: string;
  rows: ResultRow[];
  /** Problems that stopped the test from loading or running (missing file, invalid YAML...). */
  errors: string[];
}
