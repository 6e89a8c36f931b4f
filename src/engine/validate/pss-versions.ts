// `podSecurity.version`: "latest" (the default) runs the newest version of every check; "v1.<minor>"
// runs the checks that existed at that Kubernetes minor, every version of each up to it, as Kyverno
// drives the pod-security-admission library. So restricted at v1.21 has no capabilities check (1.22)
// and no runAsUser check (1.23), and at v1.18 no seccompProfile field checks (1.19), annotations only.
import { baselineControls, restrictedControls } from './pss-checks.js';
import type { Check, PodView, PssLevel, Violation } from './pss-view.js';
import { containers } from './pss-view.js';

/** 'latest', or the minor of a pinned v1.<minor>. */
export type PssVersion = 'latest' | number;

const PINNED = /^v1\.(0|[1-9][0-9]*)$/;

/** undefined for a version the library rejects (it accepts "latest" and "v1.<minor>"). */
export function parsePssVersion(version: string | undefined): PssVersion | undefined {
  if (version === undefined || version === '' || version === 'latest') return 'latest';
  const m = PINNED.exec(version);
  return m === null ? undefined : Number(m[1]);
}

const latestBaseline = baselineControls.map((c) => c.latest);
const latestRestricted = [...latestBaseline, ...restrictedControls.map((c) => c.latest)];

const pinnedChecks = new Map<string, readonly Check[]>();

function checksFor(level: PssLevel, version: PssVersion): readonly Check[] {
  if (version === 'latest') return level === 'restricted' ? latestRestricted : latestBaseline;
  const key = `${level}:${version}`;
  let checks = pinnedChecks.get(key);
  if (checks === undefined) {
    const controls = level === 'restricted' ? [...baselineControls, ...restrictedControls] : baselineControls;
    checks = controls.flatMap((c) => c.pinned(version));
    // Minors come from policies: a handful in practice, but never let them grow without bound.
    if (pinnedChecks.size > 256) pinnedChecks.clear();
    pinnedChecks.set(key, checks);
  }
  return checks;
}

export function podSecurityViolations(
  pod: PodView,
  level: PssLevel,
  version: PssVersion = 'latest',
): Violation[] {
  const cs = containers(pod.spec);
  const out: Violation[] = [];
  for (const check of checksFor(level, version)) check(pod, cs, out);
  return out;
}
