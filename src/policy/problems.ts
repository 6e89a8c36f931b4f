// Problems found while loading or validating a policy: every one names its file and the JSON path
// of the offending field, so a user can fix all of them in one pass.

export type ProblemSeverity = 'error' | 'warning';

export interface PolicyProblem {
  file: string;
  /** JSON path inside the policy document, e.g. `spec.rules[0].generate.clone.name`; '' = whole document. */
  path: string;
  message: string;
  severity: ProblemSeverity;
  /** 0-based position of the YAML document in its file, when the file holds several. */
  document?: number;
  /** The policy the problem belongs to ("name" or "namespace/name"), when known. */
  policy?: string;
}

/** Collects problems for one document; the file is filled in by whoever reports them. */
export class ProblemList {
  readonly items: PolicyProblem[] = [];

  constructor(private readonly file: string) {}

  error(path: string, message: string): void {
    this.items.push({ file: this.file, path, message, severity: 'error' });
  }

  warning(path: string, message: string): void {
    this.items.push({ file: this.file, path, message, severity: 'warning' });
  }

  hasErrors(): boolean {
    return this.items.some((p) => p.severity === 'error');
  }
}

const plainKey = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Appends an object key to a JSON path; keys that are not identifiers are quoted in brackets. */
export function child(path: string, key: string): string {
  if (!plainKey.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

/** True when `path` is `prefix` itself or lies below it. */
export function isUnder(path: string, prefix: string): boolean {
  if (prefix === '') return true;
  if (!path.startsWith(prefix)) return false;
  const next = path.charAt(prefix.length);
  return next === '' || next === '.' || next === '[';
}
