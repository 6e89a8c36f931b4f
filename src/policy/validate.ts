// validatePolicy: one kyverno.io ClusterPolicy / Policy document in, every problem out (schema and
// semantics at once), and the typed policy when nothing is wrong. Pure: no I/O.
import type { JsonObject, JsonValue } from '../api/json.js';
import { isJsonObject } from '../api/json.js';
import type { KyvernoPolicy } from '../api/policy.js';
import type { ScopeOracle } from './builtin-scopes.js';
import { builtinScopeOf } from './builtin-scopes.js';
import type { PolicyProblem } from './problems.js';
import { isUnder, ProblemList } from './problems.js';
import { checkSchema } from './schema-check.js';
import type { PolicyApiVersion } from './schema-kyverno.js';
import { policySchema } from './schema-kyverno.js';
import { checkPolicySemantics } from './semantic-policy.js';

export interface ValidatePolicyOptions {
  /**
   * Scope of apiVersion/kind, for target and match scope checks; an answer of undefined skips the
   * check. Defaults to the built-in table of Kubernetes and Kyverno kinds.
   */
  scopeOf?: ScopeOracle;
}

export interface PolicyValidation {
  /** Present only when there is no error (warnings allowed). */
  policy?: KyvernoPolicy;
  problems: PolicyProblem[];
}

const versions: readonly string[] = ['kyverno.io/v1', 'kyverno.io/v2beta1'];

/** True for documents that claim to be a Kyverno ClusterPolicy / Policy (whatever their version). */
export function isKyvernoPolicyDocument(doc: JsonValue): doc is JsonObject {
  if (!isJsonObject(doc) || typeof doc.apiVersion !== 'string') return false;
  return (
    doc.apiVersion.split('/')[0] === 'kyverno.io' && (doc.kind === 'ClusterPolicy' || doc.kind === 'Policy')
  );
}

export function policyLabel(doc: JsonValue): string | undefined {
  if (!isJsonObject(doc) || !isJsonObject(doc.metadata) || typeof doc.metadata.name !== 'string')
    return undefined;
  const ns = doc.metadata.namespace;
  return doc.kind === 'Policy'
    ? `${typeof ns === 'string' && ns !== '' ? ns : 'default'}/${doc.metadata.name}`
    : doc.metadata.name;
}

export function validatePolicy(
  doc: JsonValue,
  file: string,
  options: ValidatePolicyOptions = {},
): PolicyValidation {
  const label = policyLabel(doc);
  const finish = (problems: PolicyProblem[], policy?: KyvernoPolicy): PolicyValidation => {
    const labelled = label === undefined ? problems : problems.map((p) => ({ ...p, policy: label }));
    return policy === undefined ? { problems: labelled } : { policy, problems: labelled };
  };
  const schemaProblems = new ProblemList(file);
  if (!isKyvernoPolicyDocument(doc)) {
    schemaProblems.error('', 'not a kyverno.io ClusterPolicy or Policy');
    return finish(schemaProblems.items);
  }
  if (!versions.includes(doc.apiVersion as string)) {
    schemaProblems.error(
      'apiVersion',
      `unsupported apiVersion ${JSON.stringify(doc.apiVersion)}: use ${versions.join(' or ')}`,
    );
    return finish(schemaProblems.items);
  }
  const version = doc.apiVersion as PolicyApiVersion;
  const pruned = checkSchema(policySchema(version), doc, '', schemaProblems);
  if (!isJsonObject(pruned)) return finish(schemaProblems.items);
  const policy = withDefaults(pruned);

  const semantic = new ProblemList(file);
  checkPolicySemantics(policy, semantic, options.scopeOf ?? builtinScopeOf);
  // A field already reported as malformed was pruned: what the semantic pass says about it, or about
  // the object that held it (now missing a part), is noise.
  const broken = schemaProblems.items.map((p) => p.path);
  const extra = semantic.items.filter((p) => !broken.some((b) => isUnder(p.path, b) || isUnder(b, p.path)));
  const problems = [...schemaProblems.items, ...extra];
  return finish(problems, problems.some((p) => p.severity === 'error') ? undefined : policy);
}

// kubectl puts a namespaced object without a namespace into "default"; rules and spec get
// empty containers so consumers need not guard against their absence.
function withDefaults(doc: JsonObject): KyvernoPolicy {
  const policy = doc as unknown as KyvernoPolicy;
  const metadata = { ...(policy.metadata ?? {}) };
  if (policy.kind === 'Policy' && !metadata.namespace) metadata.namespace = 'default';
  const spec = { ...(policy.spec ?? {}) };
  spec.rules = spec.rules ?? [];
  return { ...policy, metadata, spec };
}
