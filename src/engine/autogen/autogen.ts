// Kyverno's autogen: rules written for Pods also run on the pod controllers, as `autogen-<rule>`
// (Deployment, DaemonSet, Job, StatefulSet, ReplicaSet, ReplicationController: the pod is at
// spec.template) and `autogen-cronjob-<rule>` (CronJob: spec.jobTemplate.spec.template).
// The annotation pod-policies.kyverno.io/autogen-controllers picks the controllers ("none" = off).
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type {
  KyvernoPolicy,
  MatchResources,
  ResourceDescription,
  ResourceFilter,
  Rule,
} from '../../api/policy.js';

export const AUTOGEN_ANNOTATION = 'pod-policies.kyverno.io/autogen-controllers';
const CRONJOB = 'CronJob';
const podControllers = [
  'DaemonSet',
  'Deployment',
  'Job',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
  CRONJOB,
];
const autogenKinds = new Set(['Pod', ...podControllers]);

/** "Pod", "v1/Pod", "*\/Pod" all name the kind Pod. */
function kindName(k: string): string {
  const parts = k.split('/');
  return (parts[parts.length - 1] ?? k).split('.')[0] ?? k;
}

function containsKind(kinds: readonly string[] | undefined, kind: string): boolean {
  return (kinds ?? []).some((k) => kindName(k) === kind);
}

function descriptions(m: MatchResources | undefined): (ResourceDescription | undefined)[] {
  if (m === undefined) return [];
  return [m.resources, ...(m.any ?? []).map((f) => f.resources), ...(m.all ?? []).map((f) => f.resources)];
}

function kindsOf(m: MatchResources | undefined): string[] {
  return descriptions(m).flatMap((d) => d?.kinds ?? []);
}

/** Whether the policy's rules allow autogen at all, as Kyverno's CanAutoGen decides. */
export function canAutogen(policy: KyvernoPolicy): boolean {
  let needed = false;
  for (const rule of policy.spec.rules) {
    if (rule.generate) return false;
    const mutate = rule.mutate;
    if (mutate) {
      if (typeof mutate['patchesJson6902'] === 'string' && mutate['patchesJson6902'] !== '') return false;
      const fes = Array.isArray(mutate['foreach']) ? mutate['foreach'] : [];
      if (
        fes.some(
          (f) => isJsonObject(f) && typeof f['patchesJson6902'] === 'string' && f['patchesJson6902'] !== '',
        )
      )
        return false;
    }
    for (const d of [...descriptions(rule.match), ...descriptions(rule.exclude)]) {
      if (d === undefined) continue;
      const kinds = d.kinds ?? [];
      if (
        d.name ||
        (d.names?.length ?? 0) > 0 ||
        d.selector ||
        d.annotations ||
        (kinds.length > 1 && containsKind(kinds, 'Pod'))
      ) {
        return false;
      }
      needed = needed || kinds.some((k) => autogenKinds.has(kindName(k)));
    }
  }
  return needed;
}

/** The controllers the policy generates rules for, from the annotation or the defaults. */
export function autogenControllers(policy: KyvernoPolicy): string[] {
  if (!canAutogen(policy)) return [];
  const annotation = policy.metadata.annotations?.[AUTOGEN_ANNOTATION];
  if (annotation === undefined) return [...podControllers];
  if (annotation === 'none') return [];
  if (annotation === 'all') return [...podControllers];
  return annotation
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The policy's rules followed by its autogen rules (existing `autogen-` rules are replaced). */
export function computeRules(policy: KyvernoPolicy): Rule[] {
  const controllers = autogenControllers(policy);
  if (controllers.length === 0) return policy.spec.rules;
  const generated: Rule[] = [];
  const nonCron = controllers.filter((c) => c !== CRONJOB && podControllers.includes(c)).sort();
  for (const rule of policy.spec.rules) {
    const forControllers = nonCron.length > 0 ? controllerRule(rule, nonCron) : undefined;
    if (forControllers) generated.push(replaceReferences(forControllers, 'Pod'));
    if (controllers.includes(CRONJOB)) {
      const asJob = controllerRule(rule, ['Job']);
      const cron =
        asJob &&
        wrapRule(asJob, autogenName('autogen-cronjob', rule.name), 'jobTemplate', [CRONJOB], () => true);
      if (cron) generated.push(replaceReferences(cron, 'CronJob'));
    }
  }
  if (generated.length === 0) return policy.spec.rules;
  return [...policy.spec.rules.filter((r) => !r.name.startsWith('autogen-')), ...generated];
}

function autogenName(prefix: string, name: string): string {
  return `${prefix}-${name}`.slice(0, 63);
}

function controllerRule(rule: Rule, controllers: string[]): Rule | undefined {
  if (rule.name.startsWith('autogen-')) return undefined;
  const excludeKinds = kindsOf(rule.exclude);
  if (
    !containsKind(kindsOf(rule.match), 'Pod') ||
    (excludeKinds.length > 0 && !containsKind(excludeKinds, 'Pod'))
  )
    return undefined;
  return wrapRule(rule, autogenName('autogen', rule.name), 'template', controllers, (f) =>
    containsKind(f.resources?.kinds, 'Pod'),
  );
}

function retargetFilters(
  filters: ResourceFilter[],
  kinds: string[],
  applies: (f: ResourceFilter) => boolean,
): ResourceFilter[] {
  return filters.map((f) => (applies(f) ? { ...f, resources: { ...f.resources, kinds } } : f));
}

function retarget(
  m: MatchResources,
  kinds: string[],
  applies: (f: ResourceFilter) => boolean,
  isExclude: boolean,
): MatchResources {
  if ((m.any?.length ?? 0) > 0) return { ...m, any: retargetFilters(m.any ?? [], kinds, applies) };
  if ((m.all?.length ?? 0) > 0) return { ...m, all: retargetFilters(m.all ?? [], kinds, applies) };
  if (isExclude && (m.resources?.kinds?.length ?? 0) === 0) return m;
  return { ...m, resources: { ...m.resources, kinds } };
}

const wrap = (tplKey: string, v: JsonValue): JsonObject => ({ spec: { [tplKey]: v } });

/** Kyverno's generateRule: new kinds, and the pod-level parts moved under the template key. */
function wrapRule(
  rule: Rule,
  name: string,
  tplKey: string,
  kinds: string[],
  applies: (f: ResourceFilter) => boolean,
): Rule | undefined {
  const out: Rule = structuredClone(rule);
  out.name = name;
  out.match = retarget(out.match, kinds, applies, false);
  if (out.exclude) out.exclude = retarget(out.exclude, kinds, applies, true);
  delete out.generate;
  const m = out.mutate;
  if (m) {
    if (m['patchStrategicMerge'] !== undefined) {
      out.mutate = { patchStrategicMerge: wrap(tplKey, m['patchStrategicMerge']) };
      return out;
    }
    if (Array.isArray(m['foreach']) && m['foreach'].length > 0) {
      out.mutate = {
        foreach: m['foreach'].map((f) => {
          const fe = isJsonObject(f) ? f : {};
          const entry: JsonObject = { list: fe['list'] ?? '' };
          if (fe['context'] !== undefined) entry['context'] = fe['context'];
          if (fe['preconditions'] !== undefined) entry['preconditions'] = fe['preconditions'];
          entry['patchStrategicMerge'] = wrap(tplKey, fe['patchStrategicMerge'] ?? null);
          return entry;
        }),
      };
      return out;
    }
  }
  const v = out.validate;
  if (v) {
    const keep: JsonObject = {};
    for (const k of ['message', 'failureAction', 'failureActionOverrides', 'allowExistingViolations']) {
      if (v[k] !== undefined) keep[k] = v[k] ?? null;
    }
    if (v['pattern'] !== undefined) out.validate = { ...keep, pattern: wrap(tplKey, v['pattern']) };
    else if (v['deny'] !== undefined) out.validate = { ...keep, deny: v['deny'] };
    else if (v['podSecurity'] !== undefined) out.validate = { ...keep, podSecurity: v['podSecurity'] };
    else if (Array.isArray(v['anyPattern']))
      out.validate = { ...keep, anyPattern: v['anyPattern'].map((p) => wrap(tplKey, p)) };
    else if (Array.isArray(v['foreach']) && v['foreach'].length > 0)
      out.validate = { ...keep, foreach: v['foreach'] };
    else if (v['cel'] !== undefined) out.validate = { ...v };
    else return undefined;
    return out;
  }
  if (out.verifyImages !== undefined) return out;
  return undefined;
}

/** Where the pod sits in each kind of controller rule: the paths Kyverno rewrites references to. */
const templatePaths: Record<'Pod' | 'CronJob', string> = {
  Pod: 'spec.template',
  CronJob: 'spec.jobTemplate.spec.template',
};

/**
 * The rewrites of a controller rule's text, in Kyverno's order. JMESPath variables read
 * `request.object`; CEL expressions (validate.cel rules) bind `object` and `oldObject` directly, so for
 * those the bare names are rewritten, which also covers `request.object...` written in CEL.
 */
function replacements(kind: 'Pod' | 'CronJob', cel: boolean): [string, string][] {
  const template = templatePaths[kind];
  const roots = cel ? ['object', 'oldObject'] : ['request.object', 'request.oldObject'];
  return [
    ...roots.map((r): [string, string] => [`${r}.spec`, `${r}.${template}.spec`]),
    ...roots.map((r): [string, string] => [`${r}.metadata`, `${r}.${template}.metadata`]),
  ];
}

/** Variables that point into the pod now point into the template, as Kyverno rewrites the rule's JSON. */
function replaceReferences(rule: Rule, kind: 'Pod' | 'CronJob'): Rule {
  let json = JSON.stringify(rule);
  for (const [from, to] of replacements(kind, rule.validate?.['cel'] != null))
    json = json.split(from).join(to);
  return JSON.parse(json) as Rule;
}
