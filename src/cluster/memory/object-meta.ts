// Server-side metadata rules: name validation, timestamps, generateName, generation bumps.
import type { KubeObject } from '../../api/kube.js';
import type { FieldError } from '../errors.js';
import { jsonEqual } from '../json-util.js';

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function formatTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * How the API server checks names: DNS labels for namespaces, path segments for RBAC objects (so
 * `system:*` and `kyverno:*` roles exist), DNS subdomains for everything else.
 */
export type NameRule = 'dnsLabel' | 'pathSegment' | 'subdomain';

export function nameRuleFor(group: string, resource: string): NameRule {
  if (group === '' && resource === 'namespaces') return 'dnsLabel';
  if (group === 'rbac.authorization.k8s.io') return 'pathSegment';
  return 'subdomain';
}

export function validateName(name: string, rule: NameRule | boolean): FieldError[] {
  if (rule === 'pathSegment') {
    if (name === '.' || name === '..') return [{ field: 'metadata.name', type: 'FieldValueInvalid', detail: `Invalid value: "${name}": may not be '${name}'` }];
    const bad = ['/', '%'].find((c) => name.includes(c));
    return bad ? [{ field: 'metadata.name', type: 'FieldValueInvalid', detail: `Invalid value: "${name}": may not contain '${bad}'` }] : [];
  }
  if (rule === true || rule === 'dnsLabel') {
    if (name.length > 63)
      return [
        {
          field: 'metadata.name',
          type: 'FieldValueInvalid',
          detail: `Invalid value: "${name}": must be no more than 63 characters`,
        },
      ];
    if (!LABEL.test(name)) {
      return [
        {
          field: 'metadata.name',
          type: 'FieldValueInvalid',
          detail: `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
        },
      ];
    }
    return [];
  }
  if (name.length > 253)
    return [
      {
        field: 'metadata.name',
        type: 'FieldValueInvalid',
        detail: `Invalid value: "${name}": must be no more than 253 characters`,
      },
    ];
  if (!SUBDOMAIN.test(name)) {
    return [
      {
        field: 'metadata.name',
        type: 'FieldValueInvalid',
        detail: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      },
    ];
  }
  return [];
}

/** The alphabet apimachinery's rand.String uses (no vowels, no look-alikes). */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function generatedName(prefix: string, random: () => number): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += SUFFIX_ALPHABET[Math.floor(random() * SUFFIX_ALPHABET.length)] ?? 'x';
  return prefix.slice(0, 58) + suffix;
}

/** Everything but metadata (and status, when status is a subresource): what generation tracks. */
export function specChanged(before: KubeObject, after: KubeObject, statusIsSubresource: boolean): boolean {
  const strip = (o: KubeObject): Record<string, unknown> => {
    const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = o;
    if (statusIsSubresource) delete rest.status;
    return rest;
  };
  return !jsonEqual(strip(before), strip(after));
}

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function qualifiedNameErrors(field: string, key: string): FieldError[] {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  const bad = (why: string): FieldError[] => [
    { field, type: 'FieldValueInvalid', detail: `Invalid value: "${key}": ${why}` },
  ];
  if (prefix !== undefined && (prefix === '' || prefix.length > 253 || !SUBDOMAIN.test(prefix))) {
    return bad(
      "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  }
  if (name.length > 63) return bad('name part must be no more than 63 characters');
  if (!NAME_PART.test(name)) {
    return bad(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
  }
  return [];
}

/** metadata.labels and annotation keys as ValidateObjectMeta checks them. */
export function validateLabelsAndAnnotations(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  for (const [key, value] of Object.entries(obj.metadata.labels ?? {})) {
    errs.push(...qualifiedNameErrors('metadata.labels', key));
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      errs.push({
        field: 'metadata.labels',
        type: 'FieldValueInvalid',
        detail: `Invalid value: "${String(value)}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      });
    }
  }
  for (const key of Object.keys(obj.metadata.annotations ?? {}))
    errs.push(...qualifiedNameErrors('metadata.annotations', key.toLowerCase()));
  return errs;
}

/**
 * What the real API server does to built-in objects on every write: a Secret's `stringData` is
 * folded into `data` (base64) and dropped, and its `type` defaults to Opaque; a binding's User and
 * Group subjects get the RBAC apiGroup.
 */
export function applyServerDefaults(res: { group: string; resource: string }, obj: KubeObject): void {
  if (res.group === 'rbac.authorization.k8s.io' && BINDINGS.has(res.resource)) defaultSubjects(obj);
  if (res.group === '' && res.resource === 'secrets') defaultSecret(obj);
}

const BINDINGS = new Set(['rolebindings', 'clusterrolebindings']);

function defaultSubjects(obj: KubeObject): void {
  const subjects = (obj as { subjects?: unknown }).subjects;
  if (!Array.isArray(subjects)) return;
  for (const s of subjects as unknown[]) {
    if (typeof s !== 'object' || s === null) continue;
    const subject = s as { kind?: unknown; apiGroup?: unknown };
    if (subject.apiGroup !== undefined && subject.apiGroup !== '') continue;
    if (subject.kind === 'User' || subject.kind === 'Group') subject.apiGroup = 'rbac.authorization.k8s.io';
  }
}

function defaultSecret(obj: KubeObject): void {
  const o = obj as KubeObject & { data?: Record<string, string>; stringData?: Record<string, string>; type?: string };
  if (o.stringData && typeof o.stringData === 'object') {
    const data = { ...(o.data ?? {}) };
    for (const [k, v] of Object.entries(o.stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    o.data = data;
    delete o.stringData;
  }
  if (typeof o.type !== 'string' || o.type === '') o.type = 'Opaque';
}
