// Runs one kyverno-test.yaml Test: evaluates its policies against its resources offline and checks
// every expected result the way `kyverno test` does.
import { resolve } from 'node:path';
import type { TestResultSpec, ValuesSpec } from '../../api/cli-test.js';
import type { Operation, RequestUser } from '../../api/admission.js';
import type { JsonValue } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { KyvernoPolicy } from '../../api/policy.js';
import { policyKey } from '../../api/policy.js';
import type { ContextValues } from '../../engine/values.js';
import type { OfflineDeps, OfflineRuleResult } from '../../pipeline/offline.js';
import { evaluateResourceOffline } from '../../pipeline/offline.js';
import type { ScopeOracle } from '../resources.js';
import { isKubeObject, loadResourceFiles } from '../resources.js';
import { compareResources } from './compare.js';
import type { LoadedTest } from './load-test.js';
import { loadUserInfoFile, loadValuesFile } from './load-test.js';
import type { ResultRow, TestReport } from './rows.js';

export interface LoadedPolicies {
  policies: KyvernoPolicy[];
  /** Policies that were named but rejected, with why. */
  invalid: { name: string; reason: string }[];
  errors: string[];
}

export interface TestDeps extends OfflineDeps {
  scopeOf: ScopeOracle;
  loadPolicies(paths: string[]): Promise<LoadedPolicies>;
}

export async function runTest(test: LoadedTest, deps: TestDeps): Promise<TestReport> {
  const { spec, dir } = test;
  const report: TestReport = { name: spec.name, file: test.file, rows: [], errors: [] };
  const at = (p: string): string => resolve(dir, p);
  let values: ValuesSpec = spec.values ?? {};
  let user: RequestUser | undefined;
  let loaded: LoadedPolicies;
  let resources: KubeObject[];
  let sourceFiles: Map<string, KubeObject[]>;
  try {
    if (spec.variables) values = await loadValuesFile(at(spec.variables));
    if (spec.userinfo) {
      const u = await loadUserInfoFile(at(spec.userinfo));
      user = { userInfo: u.userInfo ?? {}, roles: u.roles ?? [], clusterRoles: u.clusterRoles ?? [] };
    }
    loaded = await deps.loadPolicies(spec.policies.map(at));
    resources = await loadResourceFiles(spec.resources, dir, deps.scopeOf);
    sourceFiles = await loadCloneSourceFiles(spec.results, dir, deps.scopeOf);
  } catch (e) {
    report.errors.push(e instanceof Error ? e.message : String(e));
    return report;
  }
  report.errors.push(...loaded.errors);
  const cache = new Map<string, Promise<Map<string, OfflineRuleResult[]>>>();
  const evaluate = async (
    policy: KyvernoPolicy,
    resource: KubeObject,
    operation: Operation,
  ): Promise<OfflineRuleResult[]> => {
    const key = `${resources.indexOf(resource)}|${operation}`;
    let p = cache.get(key);
    if (p === undefined) {
      p = evaluateResourceOffline(
        {
          policies: loaded.policies,
          resource,
          operation,
          user,
          namespaceLabels: namespaceLabels(values, resource),
          valuesFor: (pol) => contextValues(values, pol.metadata.name, resource),
          cloneSources: (pol, rule) => cloneSourcesFor(spec.results, pol, rule, dir, sourceFiles),
        },
        deps,
      );
      cache.set(key, p);
    }
    return (await p).get(policyKey(policy)) ?? [];
  };
  const op = values.globalValues?.['request.operation'];
  const defaultOperation = (typeof op === 'string' ? op.toUpperCase() : 'CREATE') as Operation;
  for (const expected of spec.results) {
    const policy = loaded.policies.find(
      (p) => policyKey(p) === expected.policy || p.metadata.name === expected.policy,
    );
    const names = expected.resources ?? [];
    for (const name of names) {
      const row = (result: ResultRow['result'], reason: string, message = '', resource = name): void => {
        report.rows.push({
          id: report.rows.length + 1,
          policy: expected.policy,
          rule: expected.rule ?? '',
          resource,
          result,
          reason,
          message,
          skipped: reason === 'Excluded',
        });
      };
      if (!policy) {
        const invalid = loaded.invalid.find((i) => i.name === expected.policy);
        if (invalid) row('Skip', 'Invalid Policy', invalid.reason);
        else row('Fail', 'Not found', `policy ${expected.policy} not found in ${spec.policies.join(', ')}`);
        continue;
      }
      const resource = findResource(resources, name, expected.kind);
      if (!resource) {
        row('Fail', 'Not found', `resource ${name} not found`);
        continue;
      }
      const label = `${resource.apiVersion}/${resource.kind}/${resource.metadata.namespace ?? ''}/${resource.metadata.name ?? ''}`;
      const results = await evaluate(
        policy,
        resource,
        expected.operation ?? operationFor(values, resource, defaultOperation),
      );
      const forRule = results.filter(
        (r) => expected.rule === undefined || ruleMatches(r.rule, expected.rule),
      );
      if (forRule.length === 0) {
        row('Pass', 'Excluded', 'the rule does not apply to this resource', label);
        continue;
      }
      for (const r of forRule) await checkRule(r, expected, dir, deps.scopeOf, label, row);
    }
  }
  return report;
}

async function checkRule(
  r: OfflineRuleResult,
  expected: TestResultSpec,
  dir: string,
  scopeOf: ScopeOracle,
  label: string,
  row: (result: ResultRow['result'], reason: string, message?: string, resource?: string) => void,
): Promise<void> {
  if (expected.patchedResources && r.patched) {
    const verdict = await checkPatched(r.patched, expected.patchedResources, dir, scopeOf);
    // Kyverno drops the row when the file has no document for the resource.
    if (verdict === 'missing') return;
    if (verdict !== 'equal') {
      row('Fail', verdict.reason, verdict.message, label);
      return;
    }
  }
  const files =
    expected.generatedResources ?? (expected.generatedResource ? [expected.generatedResource] : []);
  if (files.length > 0 && r.generated.length > 0) {
    let candidates: KubeObject[];
    try {
      candidates = await loadResourceFiles(files, dir, scopeOf);
    } catch (e) {
      row('Fail', 'Resource error', e instanceof Error ? e.message : String(e), label);
      return;
    }
    for (const actual of r.generated) {
      const genLabel = `${actual.apiVersion}/${actual.kind}/${actual.metadata.namespace ?? ''}/${actual.metadata.name ?? ''}`;
      const want = candidates.filter((c) => sameObject(c, actual));
      if (want.length === 0) {
        row(
          'Fail',
          'Resource error',
          `generated ${genLabel} has no counterpart in ${files.join(', ')}`,
          genLabel,
        );
        return;
      }
      const diffs = want.map((w) =>
        compareResources(w as unknown as JsonValue, actual as unknown as JsonValue, true),
      );
      const match = diffs.find((d) => d.equal);
      if (!match) {
        row('Fail', 'Resource diff', diffs[0]?.diff ?? '', genLabel);
        return;
      }
    }
  }
  if (r.status === expected.result) row('Pass', 'Ok', r.message, label);
  else row('Fail', `Want ${expected.result}, got ${r.status}`, r.message, label);
}

async function checkPatched(
  actual: KubeObject,
  file: string,
  dir: string,
  scopeOf: ScopeOracle,
): Promise<'equal' | 'missing' | { reason: string; message: string }> {
  let candidates: KubeObject[];
  try {
    candidates = await loadResourceFiles([file], dir, scopeOf);
  } catch (e) {
    return { reason: 'Resource error', message: e instanceof Error ? e.message : String(e) };
  }
  const want = candidates.find((c) => sameObject(c, actual));
  if (want === undefined) return 'missing';
  const cmp = compareResources(want as unknown as JsonValue, actual as unknown as JsonValue, false);
  if (cmp.equal) return 'equal';
  return {
    reason: 'Resource diff',
    message: `Patched resource didn't match the patched resource in the test result\n${cmp.diff}`,
  };
}

/** `request.operation` from the values: the resource's own entry first, then the global one. */
function operationFor(values: ValuesSpec, resource: KubeObject, fallback: Operation): Operation {
  for (const p of values.policies ?? []) {
    const op = p.resources?.find((r) => r.name === resource.metadata.name)?.values?.['request.operation'];
    if (typeof op === 'string') return op.toUpperCase() as Operation;
  }
  return fallback;
}

function sameObject(a: KubeObject, b: KubeObject): boolean {
  return (
    a.apiVersion === b.apiVersion &&
    a.kind === b.kind &&
    (a.metadata.namespace ?? '') === (b.metadata.namespace ?? '') &&
    a.metadata.name === b.metadata.name
  );
}

function ruleMatches(actual: string, wanted: string): boolean {
  return actual === wanted || actual === `autogen-${wanted}` || actual === `autogen-cronjob-${wanted}`;
}

function findResource(
  resources: KubeObject[],
  name: string,
  kind: string | undefined,
): KubeObject | undefined {
  const slash = name.indexOf('/');
  const ns = slash >= 0 ? name.slice(0, slash) : undefined;
  const n = slash >= 0 ? name.slice(slash + 1) : name;
  const hits = resources.filter(
    (r) => r.metadata.name === n && (ns === undefined || r.metadata.namespace === ns),
  );
  return hits.find((r) => kind === undefined || r.kind === kind) ?? hits[0];
}

function contextValues(values: ValuesSpec, policyName: string, resource: KubeObject): ContextValues {
  const p = values.policies?.find((x) => x.name === policyName);
  const out: ContextValues = { global: values.globalValues ?? {}, rules: {} };
  const res = p?.resources?.find((r) => r.name === resource.metadata.name);
  if (res?.values) out.resource = res.values;
  for (const r of p?.rules ?? []) {
    out.rules![r.name] = { values: r.values ?? {}, foreachValues: r.foreachValues ?? {} };
  }
  return out;
}

function namespaceLabels(values: ValuesSpec, resource: KubeObject): Record<string, string> | undefined {
  const ns = resource.kind === 'Namespace' ? resource.metadata.name : resource.metadata.namespace;
  const fromSelector = values.namespaceSelector?.find((n) => n.name === ns)?.labels;
  if (fromSelector) return fromSelector;
  const fromObjects = values.namespaces?.find(
    (n) => isKubeObject(n) && (n as unknown as KubeObject).metadata.name === ns,
  );
  return fromObjects ? ((fromObjects as unknown as KubeObject).metadata.labels ?? {}) : undefined;
}

/** The clone sources of (policy, rule): from the first result row naming them that gives a file. */
function cloneSourcesFor(
  results: TestResultSpec[],
  policy: KyvernoPolicy,
  rule: string,
  dir: string,
  files: Map<string, KubeObject[]>,
): KubeObject[] {
  const row = results.find(
    (r) =>
      (r.policy === policyKey(policy) || r.policy === policy.metadata.name) &&
      r.rule !== undefined &&
      ruleMatches(rule, r.rule) &&
      r.cloneSourceResource,
  );
  return row?.cloneSourceResource ? (files.get(resolve(dir, row.cloneSourceResource)) ?? []) : [];
}

async function loadCloneSourceFiles(
  results: TestResultSpec[],
  dir: string,
  scopeOf: ScopeOracle,
): Promise<Map<string, KubeObject[]>> {
  const files = new Map<string, KubeObject[]>();
  for (const r of results) {
    if (!r.cloneSourceResource) continue;
    const path = resolve(dir, r.cloneSourceResource);
    if (!files.has(path)) files.set(path, await loadResourceFiles([path], dir, scopeOf));
  }
  return files;
}
