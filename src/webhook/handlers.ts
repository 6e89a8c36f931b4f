// What each webhook path does. Generate never blocks admission: the validate path hands the request
// to the generate controller (which only queues keys) and answers at once.
import type { AdmissionRequest, AdmissionResponse, RequestUser } from '../api/admission.js';
import type { JsonValue } from '../api/json.js';
import type { ScopeOracle } from '../policy/builtin-scopes.js';
import { validatePolicy } from '../policy/validate.js';
import { allow, deny } from './review.js';
import type { WebhookRoutes } from './server.js';

export interface GenerateSink {
  handleAdmission(req: AdmissionRequest, user: RequestUser): void;
}

export interface HandlerDeps {
  generate?: GenerateSink;
  scopeOf?: ScopeOracle;
  /** Roles and cluster roles bound to the requester ("ns:name"), for rules that match on them. */
  rolesOf?: (req: AdmissionRequest) => Promise<{ roles: string[]; clusterRoles: string[] }>;
}

export function admissionRoutes(deps: HandlerDeps): WebhookRoutes {
  return {
    '/validate': async (req) => {
      if (deps.generate && !req.dryRun) {
        const roles = deps.rolesOf ? await deps.rolesOf(req) : { roles: [], clusterRoles: [] };
        deps.generate.handleAdmission(req, { userInfo: req.userInfo, ...roles });
      }
      return allow(req.uid);
    },
    '/mutate': (req) => Promise.resolve(allow(req.uid)),
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
