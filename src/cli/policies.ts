// Loads policies for the CLI and turns validation problems into the CLI's wording:
// every error names the file, the JSON path and the reason.
import type { PolicyProblem } from '../policy/problems.js';
import { loadPolicyFiles } from '../policy/load.js';
import type { LoadedPolicies } from './test/run-test.js';

export function formatProblem(p: PolicyProblem): string {
  const where =
    p.document !== undefined && p.document > 0 ? `${p.file} (document ${p.document + 1})` : p.file;
  return `${where}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

export async function loadPoliciesForCli(paths: string[]): Promise<LoadedPolicies> {
  const result = await loadPolicyFiles(paths);
  const errors = result.errors.filter((e) => e.severity === 'error');
  const invalid = new Map<string, string[]>();
  const unnamed: string[] = [];
  for (const e of errors) {
    if (e.policy) invalid.set(e.policy, [...(invalid.get(e.policy) ?? []), formatProblem(e)]);
    else unnamed.push(formatProblem(e));
  }
  return {
    policies: result.policies.map((p) => p.policy),
    invalid: [...invalid.entries()].map(([name, reasons]) => ({ name, reason: reasons.join('; ') })),
    errors: unnamed,
  };
}
