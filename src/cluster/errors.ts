// Typed API errors. Each carries the HTTP code and the Kubernetes `Status` object the API server
// would send, with the same reason and message text, so callers (and kubectl) see no difference
// between the in-memory server and a real one.

export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Forbidden'
  | 'Invalid'
  | 'BadRequest'
  | 'MethodNotAllowed'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'InternalError'
  | 'Unauthorized'
  | 'Timeout'
  | 'ServiceUnavailable'
  | 'RequestEntityTooLarge'
  | 'NotAcceptable'
  | '';

export interface StatusCause {
  type?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never> | { resourceVersion?: string };
  status: 'Failure' | 'Success';
  message: string;
  reason: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** The resource as the server names it in messages: "configmaps", "deployments.apps". */
export interface GroupResource {
  group: string;
  resource: string;
}

export function qualifiedResource(gr: GroupResource): string {
  return gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
}

export class ClusterError extends Error {
  readonly status: Status;
  constructor(status: Status) {
    super(status.message);
    this.name = `${status.reason || 'Unknown'}Error`;
    this.status = status;
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): StatusReason {
    return this.status.reason;
  }
}

function status(code: number, reason: StatusReason, message: string, details?: StatusDetails): Status {
  const s: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  if (details !== undefined) s.details = details;
  return s;
}

function objectDetails(gr: GroupResource, name: string): StatusDetails {
  const d: StatusDetails = { name, kind: gr.resource };
  if (gr.group !== '') d.group = gr.group;
  return d;
}

export class NotFoundError extends ClusterError {}
export class AlreadyExistsError extends ClusterError {}
export class ConflictError extends ClusterError {}
export class GoneError extends ClusterError {}
export class ForbiddenError extends ClusterError {}
export class InvalidError extends ClusterError {}
export class BadRequestError extends ClusterError {}
export class MethodNotAllowedError extends ClusterError {}
export class UnsupportedMediaTypeError extends ClusterError {}
export class TooManyRequestsError extends ClusterError {}
export class ServerError extends ClusterError {}

export function notFound(gr: GroupResource, name: string): NotFoundError {
  const msg = `${qualifiedResource(gr)} "${name}" not found`;
  return new NotFoundError(status(404, 'NotFound', msg, objectDetails(gr, name)));
}

/** A path the server does not serve at all (unknown kind or subresource). */
export function resourceNotFound(): NotFoundError {
  return new NotFoundError(status(404, 'NotFound', 'the server could not find the requested resource', {}));
}

export function alreadyExists(gr: GroupResource, name: string): AlreadyExistsError {
  const msg = `${qualifiedResource(gr)} "${name}" already exists`;
  return new AlreadyExistsError(status(409, 'AlreadyExists', msg, objectDetails(gr, name)));
}

export const OBJECT_MODIFIED =
  'the object has been modified; please apply your changes to the latest version and try again';

export function conflict(gr: GroupResource, name: string, why: string = OBJECT_MODIFIED): ConflictError {
  const msg = `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${why}`;
  return new ConflictError(status(409, 'Conflict', msg, objectDetails(gr, name)));
}

export function gone(message: string): GoneError {
  return new GoneError(status(410, 'Gone', message));
}

/** What a watch or a continue token gets when the history it needs was compacted. */
export function resourceExpired(message: string): GoneError {
  return new GoneError(status(410, 'Expired', message));
}

export function forbidden(gr: GroupResource, name: string, why: string): ForbiddenError {
  const what = name === '' ? qualifiedResource(gr) : `${qualifiedResource(gr)} "${name}"`;
  return new ForbiddenError(
    status(403, 'Forbidden', `${what} is forbidden: ${why}`, objectDetails(gr, name)),
  );
}

export interface FieldError {
  /** "metadata.name" */
  field: string;
  /** The cause type the API server uses: "FieldValueInvalid", "FieldValueRequired", ... */
  type: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueForbidden' | 'FieldValueNotSupported';
  /** The full detail, e.g. `Invalid value: "X": a lowercase RFC 1123 subdomain ...` */
  detail: string;
}

/** `kind` is the qualified kind ("ConfigMap", "Deployment.apps"), as the server prints it. */
export function invalid(
  groupKind: { group: string; kind: string },
  name: string,
  errors: FieldError[],
): InvalidError {
  const gk = groupKind.group === '' ? groupKind.kind : `${groupKind.kind}.${groupKind.group}`;
  const parts = errors.map((e) => `${e.field}: ${e.detail}`);
  const joined = parts.length === 1 ? (parts[0] ?? '') : `[${parts.join(', ')}]`;
  const details: StatusDetails = {
    name,
    kind: groupKind.kind,
    causes: errors.map((e) => ({ type: e.type, message: e.detail, field: e.field })),
  };
  if (groupKind.group !== '') details.group = groupKind.group;
  return new InvalidError(status(422, 'Invalid', `${gk} "${name}" is invalid: ${joined}`, details));
}

export function badRequest(message: string): BadRequestError {
  return new BadRequestError(status(400, 'BadRequest', message));
}

export function methodNotAllowed(action: string, gr: GroupResource): MethodNotAllowedError {
  const msg = `${action} is not supported on resources of kind "${qualifiedResource(gr)}"`;
  return new MethodNotAllowedError(
    status(405, 'MethodNotAllowed', msg, { kind: gr.resource, group: gr.group }),
  );
}

export function unsupportedMediaType(message: string): UnsupportedMediaTypeError {
  return new UnsupportedMediaTypeError(status(415, 'UnsupportedMediaType', message));
}

export function tooManyRequests(message: string, retryAfterSeconds: number): TooManyRequestsError {
  return new TooManyRequestsError(status(429, 'TooManyRequests', message, { retryAfterSeconds }));
}

export function internalError(cause: string): ServerError {
  return new ServerError(
    status(500, 'InternalError', `Internal error occurred: ${cause}`, { causes: [{ message: cause }] }),
  );
}

/** Rebuilds the typed error from a Status received over the wire (used by the kube adapter). */
export function errorFromStatus(s: Status): ClusterError {
  switch (s.code) {
    case 404:
      return new NotFoundError(s);
    case 409:
      return s.reason === 'AlreadyExists' ? new AlreadyExistsError(s) : new ConflictError(s);
    case 410:
      return new GoneError(s);
    case 403:
      return new ForbiddenError(s);
    case 422:
      return new InvalidError(s);
    case 400:
      return new BadRequestError(s);
    case 405:
      return new MethodNotAllowedError(s);
    case 415:
      return new UnsupportedMediaTypeError(s);
    case 429:
      return new TooManyRequestsError(s);
    default:
      return s.code >= 500 ? new ServerError(s) : new ClusterError(s);
  }
}

function hasCode(e: unknown, code: number): boolean {
  return e instanceof ClusterError && e.status.code === code;
}

export const isNotFound = (e: unknown): boolean => hasCode(e, 404);
export const isAlreadyExists = (e: unknown): boolean =>
  hasCode(e, 409) && (e as ClusterError).status.reason === 'AlreadyExists';
export const isConflict = (e: unknown): boolean =>
  hasCode(e, 409) && (e as ClusterError).status.reason !== 'AlreadyExists';
export const isGone = (e: unknown): boolean => hasCode(e, 410);
export const isForbidden = (e: unknown): boolean => hasCode(e, 403);
export const isInvalid = (e: unknown): boolean => hasCode(e, 422);
export const isBadRequest = (e: unknown): boolean => hasCode(e, 400);
export const isMethodNotAllowed = (e: unknown): boolean => hasCode(e, 405);
export const isUnsupportedMediaType = (e: unknown): boolean => hasCode(e, 415);
export const isTooManyRequests = (e: unknown): boolean => hasCode(e, 429);
export const isServerError = (e: unknown): boolean => e instanceof ClusterError && e.status.code >= 500;
