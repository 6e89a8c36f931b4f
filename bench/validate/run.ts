// Evaluations per second of one Pod CREATE against 17 Pod-Security-style validate policies, through the
// webhook's hot path minus HTTP: PolicyIndex candidates, evaluateValidate per policy (autogen, match,
// patterns / podSecurity), then the admission decision. One process, one core.
// Usage: npm run bench:validate [-- iterations]  (or: npx tsc -p tsconfig.json && node dist/bench/validate/run.js)
//
// The policies are read from ../shared/corpus/cli/validate-mutate/pod-security at run time. That folder
// holds 5 policies (4 pattern-based controls and one whole-profile `podSecurity` rule); they are cycled,
// renamed, up to 17 — the size of Kyverno's pod-security library — with the podSecurity policy
// alternating between the baseline and restricted levels, so every evaluation does the work of 17.
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import type { AdmissionRequest } from '../../src/api/admission.js';
import type { KubeObject } from '../../src/api/kube.js';
import type { KyvernoPolicy } from '../../src/api/policy.js';
import type { EvalEnv } from '../../src/engine/env.js';
import { emptyLookup } from '../../src/engine/env.js';
import { PolicyIndex } from '../../src/engine/policy-index.js';
import { admissionValidate } from '../../src/pipeline/admission.js';
import { loadPolicyFiles } from '../../src/policy/load.js';
import { validateDecision } from '../../src/webhook/decisions.js';
import { corpusDir } from '../../test/support/paths.js';
import { percentile } from '../local/report.js';
import { timeCalls } from '../local/timing.js';

const POLICY_COUNT = 17;
const WARMUP = 2_000;
const iterations = Number(process.argv[2] ?? 20_000);

async function loadPolicies(): Promise<KyvernoPolicy[]> {
  const dir = resolve(corpusDir, 'cli/validate-mutate/pod-security');
  const loaded = await loadPolicyFiles([dir]);
  const base = loaded.policies.map((l) => l.policy).filter((p) => p.spec.rules.some((r) => r.validate));
  if (base.length === 0) throw new Error(`no validate policies under ${dir}`);
  return Array.from({ length: POLICY_COUNT }, (_, i) => {
    const p = structuredClone(base[i % base.length] as KyvernoPolicy);
    p.metadata.name = `${p.metadata.name}-${i}`;
    p.spec.validationFailureAction = 'Enforce';
    for (const rule of p.spec.rules) {
      const ps = rule.validate?.['podSecurity'];
      if (ps && typeof ps === 'object' && !Array.isArray(ps))
        ps['level'] = Math.floor(i / base.length) % 2 === 0 ? 'baseline' : 'restricted';
    }
    return p;
  });
}

// A Pod that passes the restricted profile: every rule runs to the end instead of stopping early.
const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web', team: 'blue' } },
  spec: {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    initContainers: [
      {
        name: 'init',
        image: 'registry.example.com/init:1.2',
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      },
    ],
    containers: ['app', 'sidecar'].map((name) => ({
      name,
      image: `registry.example.com/${name}:2.0`,
      ports: [{ containerPort: 8080 }],
      securityContext: {
        allowPrivilegeEscalation: false,
        privileged: false,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
      },
      resources: { limits: { cpu: '500m', memory: '256Mi' } },
    })),
    volumes: [{ name: 'data', emptyDir: {} }],
  },
};

// A webhook decodes a new request for every admission: every evaluation gets its own request object
// (warm-up included), so no cache keyed on a request or its resource can carry over between them.
const requestOf = (i: number): AdmissionRequest => ({
  uid: `uid-${i}`,
  kind: { group: '', version: 'v1', kind: 'Pod' },
  resource: { group: '', version: 'v1', resource: 'pods' },
  name: 'web',
  namespace: 'shop',
  operation: 'CREATE',
  userInfo: { username: 'system:serviceaccount:shop:deployer', groups: ['system:serviceaccounts'] },
  object: structuredClone(pod),
});
const requests: AdmissionRequest[] = Array.from({ length: WARMUP + iterations + 1 }, (_, i) => requestOf(i));
const user = { userInfo: {}, roles: [], clusterRoles: [] };
const env: EvalEnv = { now: () => 1_700_000_000_000, random: () => 0.5, lookup: emptyLookup };

async function main(): Promise<void> {
  const policies = await loadPolicies();
  const index = new PolicyIndex(policies);
  const deps = { policies: index, env };
  let next = 0;
  let rules = 0;
  const evaluateOnce = async (): Promise<boolean> => {
    const req = requests[next++] as AdmissionRequest;
    const results = await admissionValidate(
      { ...req, userInfo: { ...req.userInfo } },
      { ...user, userInfo: req.userInfo },
      deps,
    );
    rules = results.reduce((n, r) => n + r.rules.length, 0);
    return validateDecision(req, results).allowed;
  };
  if (!(await evaluateOnce())) throw new Error('the benchmark Pod should pass every policy');
  const { samples, elapsedMs, perSecond } = await timeCalls(evaluateOnce, iterations, WARMUP);
  const us = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`;
  process.stdout.write(
    [
      `policies: ${policies.length} (${index.candidates({ group: '', version: 'v1', kind: 'Pod' }).length} candidates for Pod), rules evaluated per request: ${rules}`,
      `iterations: ${iterations} (after ${WARMUP} warm-up), total ${elapsedMs.toFixed(0)} ms`,
      `evaluations/s: ${perSecond.toFixed(0)}`,
      `per evaluation: p50 ${us(percentile(samples, 50))}, p99 ${us(percentile(samples, 99))}`,
      `node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'}`,
    ].join('\n') + '\n',
  );
}

await main();
