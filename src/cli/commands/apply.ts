// `sprout apply POLICY… --resource FILE…`: evaluates policies against resources offline and prints
// rule results, the mutated resources and the resources that generate rules produce.
import type { Command } from 'commander';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { stringify as toYaml } from 'yaml';
import type { Operation, RequestUser } from '../../api/admission.js';
import type { KubeObject } from '../../api/kube.js';
import type { ValuesSpec } from '../../api/cli-test.js';
import type { OfflineRuleResult } from '../../pipeline/offline.js';
import { evaluateResourceOffline } from '../../pipeline/offline.js';
import type { KyvernoPolicy } from '../../api/policy.js';
import { policyKey } from '../../api/policy.js';
import type { ContextValues } from '../../engine/values.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../io.js';
import { renderTable } from '../output/table.js';
import { loadResourceFiles } from '../resources.js';
import { loadUserInfoFile, loadValuesFile } from '../test/load-test.js';
import type { TestDeps } from '../test/run-test.js';
import { listYamlFiles } from '../files.js';
import type { ExitSink } from './index.js';

interface ApplyFlags {
  resource: string[];
  clusterResources?: string[];
  values?: string;
  userinfo?: string;
  operation: string;
  output: 'table' | 'yaml' | 'json';
}

export function registerApply(program: Command, io: CliIo, exit: ExitSink, deps: () => TestDeps): void {
  program
    .command('apply')
    .description('apply policies to resources offline and print rule results and generated resources')
    .argument('<policy...>', 'policy files or folders')
    .requiredOption('-r, --resource <path...>', 'resource files or folders')
    .option(
      '--cluster-resources <path...>',
      'objects that exist in the simulated cluster (clone sources, ConfigMaps)',
    )
    .option('--values <file>', 'a Values file (cli.kyverno.io/v1alpha1) with variable values')
    .option('--userinfo <file>', 'a UserInfo file: the requesting user, roles and cluster roles')
    .option('--operation <op>', 'simulated admission operation', 'CREATE')
    .option('-o, --output <format>', 'table, yaml or json', 'table')
    .action(async (policies: string[], flags: ApplyFlags) => {
      exit(await applyCommand(policies, flags, io, deps()));
    });
}

async function expand(paths: string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const full = resolve(cwd, p);
    try {
      await stat(full);
    } catch {
      throw new UsageError(`${p}: no such file or directory`);
    }
    out.push(...(await listYamlFiles(full)));
  }
  return out;
}

export async function applyCommand(
  policyPaths: string[],
  flags: ApplyFlags,
  io: CliIo,
  deps: TestDeps,
): Promise<number> {
  if (!['table', 'yaml', 'json'].includes(flags.output))
    throw new UsageError(`--output must be table, yaml or json, not ${flags.output}`);
  const operation = flags.operation.toUpperCase() as Operation;
  if (!['CREATE', 'UPDATE', 'DELETE', 'CONNECT'].includes(operation))
    throw new UsageError(`--operation must be CREATE, UPDATE, DELETE or CONNECT`);
  const loaded = await deps.loadPolicies(await expand(policyPaths, io.cwd));
  const problems = [...loaded.errors, ...loaded.invalid.map((i) => i.reason)];
  if (problems.length > 0) throw new UsageError(`invalid policy input:\n  ${problems.join('\n  ')}`);
  const resources = await loadResourceFiles(await expand(flags.resource, io.cwd), io.cwd, deps.scopeOf);
  const clusterObjects = flags.clusterResources
    ? await loadResourceFiles(await expand(flags.clusterResources, io.cwd), io.cwd, deps.scopeOf)
    : [];
  const values: ValuesSpec = flags.values ? await loadValuesFile(resolve(io.cwd, flags.values)) : {};
  let user: RequestUser | undefined;
  if (flags.userinfo) {
    const u = await loadUserInfoFile(resolve(io.cwd, flags.userinfo));
    user = { userInfo: u.userInfo ?? {}, roles: u.roles ?? [], clusterRoles: u.clusterRoles ?? [] };
  }
  const results: (OfflineRuleResult & { resource: KubeObject })[] = [];
  const policyValues = (policy: KyvernoPolicy, resource: KubeObject): ContextValues => {
    const p = values.policies?.find((x) => x.name === policy.metadata.name);
    const rules = Object.fromEntries(
      (p?.rules ?? []).map((r) => [r.name, { values: r.values ?? {}, foreachValues: r.foreachValues ?? {} }]),
    );
    return {
      global: values.globalValues ?? {},
      resource: p?.resources?.find((r) => r.name === resource.metadata.name)?.values ?? {},
      rules,
    };
  };
  for (const resource of resources) {
    // All policies at once: Kyverno's CLI mutates with every policy before it validates.
    const byPolicy = await evaluateResourceOffline(
      {
        policies: loaded.policies,
        resource,
        operation,
        user,
        namespaceLabels: values.namespaceSelector?.find(
          (n) => n.name === (resource.metadata.namespace ?? resource.metadata.name),
        )?.labels,
        valuesFor: (policy) => policyValues(policy, resource),
        cloneSources: () => clusterObjects,
      },
      deps,
    );
    for (const policy of loaded.policies) {
      results.push(...(byPolicy.get(policyKey(policy)) ?? []).map((r) => ({ ...r, resource })));
    }
  }
  io.out(renderApply(results, flags.output, loaded.policies.length, resources.length));
  const failed = results.some((r) => r.status === 'fail' || r.status === 'error');
  return failed ? 1 : 0;
}

function resourceName(o: KubeObject): string {
  return `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

export function renderApply(
  results: (OfflineRuleResult & { resource: KubeObject })[],
  format: 'table' | 'yaml' | 'json',
  policies: number,
  resources: number,
): string {
  const generated = results.flatMap((r) => r.generated);
  if (format === 'json' || format === 'yaml') {
    const doc = {
      results: results.map((r) => ({
        policy: r.policy,
        rule: r.rule,
        resource: resourceName(r.resource),
        status: r.status,
        message: r.message,
      })),
      generated,
      patched: results.filter((r) => r.type === 'mutate' && r.status === 'pass').map((r) => r.patched),
    };
    return format === 'json' ? JSON.stringify(doc, null, 2) + '\n' : toYaml(doc);
  }
  let out = `Applying ${policies} ${policies === 1 ? 'policy' : 'policies'} to ${resources} ${resources === 1 ? 'resource' : 'resources'}...\n\n`;
  const shownPatched = new Set<string>();
  for (const r of results) {
    for (const g of r.generated)
      out += `policy ${r.policy} applied to ${resourceName(r.resource)}:\n${toYaml(g)}---\n`;
    const key = `${r.policy}|${resourceName(r.resource)}`;
    if (r.type === 'mutate' && r.status === 'pass' && r.patched && !shownPatched.has(key)) {
      shownPatched.add(key);
      out += `mutate policy ${r.policy} applied to ${resourceName(r.resource)}:\n${toYaml(r.patched)}---\n`;
    }
  }
  out += renderTable(
    ['POLICY', 'RULE', 'RESOURCE', 'RESULT', 'MESSAGE'],
    results.map((r) => [r.policy, r.rule, resourceName(r.resource), r.status, r.message]),
  );
  const count = (s: string): number => results.filter((r) => r.status === s).length;
  out += `\npass: ${count('pass')}, fail: ${count('fail')}, warn: ${count('warn')}, error: ${count('error')}, skip: ${count('skip')}\n`;
  return out;
}
