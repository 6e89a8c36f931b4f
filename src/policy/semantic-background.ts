// Background processing evaluates rules without an admission request, so rules of a policy with
// `background: true` (the default) may not depend on who made the request.
import type { JsonValue } from '../api/json.js';
import type { MatchResources, Rule } from '../api/policy.js';
import type { ProblemList } from './problems.js';
import { child, index } from './problems.js';

const userVariable =
  /[^.](serviceAccountName|serviceAccountNamespace|request\.userInfo|request\.roles|request\.clusterRoles)\b/;
const variableText = /\{\{(?:\{[^{}]*\}|[^{}])*\}\}/g;

export function checkBackgroundRule(rule: Rule, rulePath: string, problems: ProblemList): void {
  checkUserInfo(rule.match, child(rulePath, 'match'), problems);
  checkUserInfo(rule.exclude, child(rulePath, 'exclude'), problems);
  // mutate targets are resolved against existing objects, where Kyverno allows these variables.
  if (rule.mutate?.targets !== undefined) return;
  walkStrings(rule as unknown as JsonValue, rulePath, (s, p) => {
    for (const v of s.match(variableText) ?? []) {
      const hit = userVariable.exec(v);
      if (hit !== null) {
        problems.error(p, `${hit[1]} is only known at admission: set spec.background to false to use ${v}`);
      }
    }
  });
}

function checkUserInfo(m: MatchResources | undefined, path: string, problems: ProblemList): void {
  if (m === undefined) return;
  const filters = [
    { f: m, p: path },
    ...(m.any ?? []).map((f, i) => ({ f, p: index(child(path, 'any'), i) })),
    ...(m.all ?? []).map((f, i) => ({ f, p: index(child(path, 'all'), i) })),
  ];
  for (const { f, p } of filters) {
    for (const key of ['roles', 'clusterRoles', 'subjects'] as const) {
      if (f[key]?.length) {
        problems.error(
          child(p, key),
          `${key} are only known at admission: set spec.background to false to match on them`,
        );
      }
    }
  }
}

function walkStrings(v: JsonValue, p: string, visit: (s: string, p: string) => void): void {
  if (typeof v === 'string') visit(v, p);
  else if (Array.isArray(v)) v.forEach((item, i) => walkStrings(item, index(p, i), visit));
  else if (v !== null && typeof v === 'object') {
    for (const [k, item] of Object.entries(v)) walkStrings(item, child(p, k), visit);
  }
}
