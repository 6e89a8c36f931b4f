// Semantic versions as Kyverno reads them (github.com/blang/semver/v4): strict "MAJOR.MINOR.PATCH"
// (no "v" prefix, no leading zeros) and blang's range syntax (">=1.0.0 <2.0.0 || 3.x"). Ordering
// comes from the `semver` package, which follows the same SemVer 2.0 precedence rules.
import semver from 'semver';

const strictVersion =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export class SemverError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SemverError';
  }
}

/** True when blang's semver.Parse accepts the string. */
export function isStrictSemver(s: string): boolean {
  return strictVersion.test(s);
}

/** Compares two strict versions: -1, 0 or 1 (build metadata ignored). */
export function compareSemver(a: string, b: string): number {
  if (!isStrictSemver(a)) throw new SemverError(`invalid semantic version ${JSON.stringify(a)}`);
  if (!isStrictSemver(b)) throw new SemverError(`invalid semantic version ${JSON.stringify(b)}`);
  return semver.compare(a, b);
}

type Predicate = (version: string) => boolean;

const operators = ['>=', '<=', '!=', '==', '>', '<', '=', '!'] as const;

/** The half-open interval [low, high) covered by a wildcard version like "1.x" or "1.2.x". */
function wildcardBounds(version: string): { low: string; high: string } | undefined {
  const parts = version.split('.');
  const wildcard = (p: string | undefined): boolean => p === 'x' || p === 'X' || p === '*';
  const [major, minor, patch] = parts;
  if (parts.length === 3 && !wildcard(major) && !wildcard(minor) && wildcard(patch)) {
    const minorNumber = Number(minor);
    return { low: `${major}.${minor}.0`, high: `${major}.${minorNumber + 1}.0` };
  }
  if (
    (parts.length === 2 || (parts.length === 3 && wildcard(patch))) &&
    !wildcard(major) &&
    wildcard(minor)
  ) {
    return { low: `${major}.0.0`, high: `${Number(major) + 1}.0.0` };
  }
  return undefined;
}

function comparator(text: string, range: string): Predicate {
  const op = operators.find((o) => text.startsWith(o)) ?? '';
  const version = text.slice(op.length);
  const bounds = wildcardBounds(version);
  const check = (v: string): void => {
    if (!isStrictSemver(v))
      throw new SemverError(
        `Could not parse Range ${JSON.stringify(range)}: invalid version ${JSON.stringify(version)}`,
      );
  };
  if (bounds !== undefined) {
    check(bounds.low);
    check(bounds.high);
    const inside = (v: string): boolean => semver.gte(v, bounds.low) && semver.lt(v, bounds.high);
    switch (op) {
      case '>':
        return (v) => semver.gte(v, bounds.high);
      case '>=':
        return (v) => semver.gte(v, bounds.low);
      case '<':
        return (v) => semver.lt(v, bounds.low);
      case '<=':
        return (v) => semver.lt(v, bounds.high);
      case '!=':
      case '!':
        return (v) => !inside(v);
      default:
        return inside;
    }
  }
  check(version);
  switch (op) {
    case '>':
      return (v) => semver.gt(v, version);
    case '>=':
      return (v) => semver.gte(v, version);
    case '<':
      return (v) => semver.lt(v, version);
    case '<=':
      return (v) => semver.lte(v, version);
    case '!=':
    case '!':
      return (v) => semver.neq(v, version);
    default:
      return (v) => semver.eq(v, version);
  }
}

/** Splits on spaces except right after an operator character, so "> 1.0.0" stays one comparator. */
function splitComparators(part: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const ch of part) {
    if (ch === ' ') {
      if (current !== '' && !/[<>=!]$/.test(current)) {
        out.push(current);
        current = '';
      }
    } else {
      current += ch;
    }
  }
  if (current !== '') out.push(current);
  return out;
}

/** blang semver.ParseRange: returns a predicate over strict version strings. Throws SemverError. */
export function parseSemverRange(range: string): (version: string) => boolean {
  const alternatives = range.split('||').map((part) => {
    const comparators = splitComparators(part.trim());
    if (comparators.length === 0) throw new SemverError(`Could not parse Range ${JSON.stringify(range)}`);
    return comparators.map((c) => comparator(c, range));
  });
  return (version) => {
    const v = isStrictSemver(version) ? version : '0.0.0';
    return alternatives.some((all) => all.every((p) => p(v)));
  };
}
