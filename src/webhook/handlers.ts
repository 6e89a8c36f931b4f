// What each webhook path does. /validate runs the validate rules of the policies that can match the
// request's kind (Enforce denies, Audit warns), records allowed results for reports, then hands the
// request to the generate controller (which only queues keys): generate never blocks admission.
// /mutate answers the mutate rules' combined JSONPatch.
import type { AdmissionRequest, AdmissionResponse, RequestUser } from '../api/admission.js';
import type { JsonValue } from '../api/json.js';
import type { KyvernoPolicy } from '../api/policy.js';
import type { EvalEnv } from '../engine/env.js';
import type { PolicySource, PolicyValidation } from '../pipeline/admission.js';
import { admissionMutate, admissionValidate } from '../pipeline/admission.js';
import type { AccessPort } from '../pipeline/generate-permissions.js';
import { checkGeneratePermissions } from '../pipeline/generate-permissions.js';
import type { ScopeOracle } from '../policy/builtin-scopes.js';
import { validatePolicy } from '../policy/validate.js';
import { mutateDecision, validateDecision } from './decisions.js';
import { allow, deny } from './review.js';
import type { WebhookRoutes } from './server.js';

export interface GenerateSink {
  /** Resolves once what must survive a crash is persisted; never rejects (generate never fails admission). */
  handleAdmission(req: AdmissionRequest, user: RequestUser): void | Promise<void>;
}

/** Takes the validate results of admitted (not dry-run) requests, for policy reports. */
export interface AdmissionResultSink {
  recordAdmission(req: AdmissionRequest, results: PolicyValidation[]): void;
}

export interface HandlerDeps {
  generate?: GenerateSink;
  /** Validate and mutate rules run only when policies and env are given. */
  policies?: PolicySource;
  env?: EvalEnv;
  namespaceLabels?: (namespace: string) => Record<string, string> | undefined;
  reports?: AdmissionResultSink;
  scopeOf?: ScopeOracle;
  /** Roles and cluster roles bound to the requester ("ns:name"), for rules that match on them. */
  rolesOf?: (req: AdmissionRequest) => Promise<{ roles: string[]; clusterRoles: string[] }>;
  /** Where Sprout asks whether it may manage a generate policy's targets (its own cluster client). */
  access?: AccessPort;
}

const NO_ROLES = { roles: [], clusterRoles: [] };

export function admissionRoutes(deps: HandlerDeps): WebhookRoutes {
  const engine = deps.policies && deps.env ? { policies: deps.policies, env: deps.env, namespaceLabels: deps.namespaceLabels } : undefined;
  const userOf = async (req: AdmissionRequest): Promise<RequestUser> => ({
    userInfo: req.userInfo,
    ...(deps.rolesOf ? await deps.rolesOf(req) : NO_ROLES),
  });
  return {
    '/validate': async (req) => {
      let response = allow(req.uid);
      let user: RequestUser | undefined;
      if (engine && req.operation !== 'CONNECT') {
        user = await userOf(req);
        const results = await admissionValidate(req, user, engine);
        response = validateDecision(req, results);
        if (response.allowed && !req.dryRun && results.length > 0) deps.reports?.recordAdmission(req, results);
      }
      if (deps.generate && !req.dryRun && response.allowed) {
        await deps.generate.handleAdmission(req, user ?? (await userOf(req)));
      }
      return response;
    },
    '/mutate': async (req) => {
      if (!engine || req.operation === 'DELETE' || req.operation === 'CONNECT') return allow(req.uid);
      const mutation = await admissionMutate(req, await userOf(req), engine);
      return mutateDecision(req, mutation);
    },
    '/policy-validate': (req) => validatePolicyAdmission(req, deps),
  };
}

/**
 * /policy-validate: the checks of validatePolicyRequest, then (for a valid policy with generate
 * rules) whether Sprout may manage what it generates, as Kyverno checks with SubjectAccessReviews.
 */
export async function validatePolicyAdmission(
  req: AdmissionRequest,
  deps: Pick<HandlerDeps, 'scopeOf' | 'access'>,
): Promise<AdmissionResponse> {
  const { response, policy } = checkPolicyRequest(req, deps.scopeOf);
  if (!response.allowed || !policy || !deps.access) return response;
  const name = policy.metadata.name;
  try {
    const problems = await checkGeneratePermissions(policy, deps.access);
    if (problems.length === 0) return response;
    const message = `policy ${name} cannot be applied: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`;
    return { ...response, ...deny(req.uid, message) };
  } catch (e) {
    // Kyverno refuses too when it cannot ask: admitting would defer the failure to every trigger.
    return { ...response, ...deny(req.uid, `policy ${name}: could not check Sprout's permissions: ${e instanceof Error ? e.message : String(e)}`) };
  }
}

/** Rejects an invalid ClusterPolicy/Policy at `kubectl apply`, with the same messages as the CLI. */
export function validatePolicyRequest(req: AdmissionRequest, scopeOf?: ScopeOracle): AdmissionResponse {
  return checkPolicyRequest(req, scopeOf).response;
}

function checkPolicyRequest(
  req: AdmissionRequest,
  scopeOf?: ScopeOracle,
): { response: AdmissionResponse; policy?: KyvernoPolicy } {
  if (req.operation === 'DELETE' || !req.object) return { response: allow(req.uid) };
  const obj = req.object;
  const name = `${obj.kind}/${obj.metadata.name ?? ''}`;
  const { policy, problems } = validatePolicy(obj as unknown as JsonValue, name, scopeOf ? { scopeOf } : {});
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems
    .filter((p) => p.severity === 'warning')
    .map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`);
  if (errors.length === 0) return { response: allow(req.uid, warnings.length > 0 ? { warnings } : {}), policy };
  const message = `policy ${obj.metadata.name ?? ''} is invalid: ${errors.map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`).join('; ')}`;
  return { response: { ...deny(req.uid, message), ...(warnings.length > 0 ? { warnings } : {}) } };
}
