// What each webhook path does. /validate runs the validate rules of the policies that can match the
// request's kind (Enforce denies, Audit warns), records allowed results for reports, then hands the
// request to the generate controller (which only queues keys): generate never blocks admission.
// /mutate answers the mutate rules' combined JSONPatch.
import type { AdmissionRequest, AdmissionResponse, RequestUser } from '../api/admission.js';
import type { JsonValue } from '../api/json.js';
import type { EvalEnv } from '../engine/env.js';
import type { PolicySource, PolicyValidation } from '../pipeline/admission.js';
import { admissionMutate, admissionValidate } from '../pipeline/admission.js';
import type { ScopeOracle } from '../policy/builtin-scopes.js';
import { validatePolicy } from '../policy/validate.js';
import { mutateDecision, validateDecision } from './decisions.js';
import { allow, deny } from './review.js';
import type { WebhookRoutes } from './server.js';

export interface GenerateSink {
  handleAdmission(req: AdmissionRequest, user: RequestUser): void;
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
        deps.generate.handleAdmission(req, user ?? (await userOf(req)));
      }
      return response;
    },
    '/mutate': async (req) => {
      if (!engine || req.operation === 'DELETE' || req.operation === 'CONNECT') return allow(req.uid);
      const mutation = await admissionMutate(req, await userOf(req), engine);
      return mutateDecision(req, mutation);
    },
    '/policy-validate': (req) => Promise.resolve(validatePolicyRequest(req, deps.scopeOf)),
  };
}

/** Rejects an invalid ClusterPolicy/Policy at `kubectl apply`, with the same messages as the CLI. */
export function validatePolicyRequest(req: AdmissionRequest, scopeOf?: ScopeOracle): AdmissionResponse {
  if (req.operation === 'DELETE' || !req.object) return allow(req.uid);
  const obj = req.object;
  const name = `${obj.kind}/${obj.metadata.name ?? ''}`;
  const { problems } = validatePolicy(obj as unknown as JsonValue, name, scopeOf ? { scopeOf } : {});
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems
    .filter((p) => p.severity === 'warning')
    .map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`);
  if (errors.length === 0) return allow(req.uid, warnings.length > 0 ? { warnings } : {});
  const message = `policy ${obj.metadata.name ?? ''} is invalid: ${errors.map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`).join('; ')}`;
  return { ...deny(req.uid, message), ...(warnings.length > 0 ? { warnings } : {}) };
}
