// The webhook benchmark's workloads, 20 ClusterPolicies each:
//   validate: a Pod CREATE against 20 Pod-Security-style validate policies (Enforce), read from
//             ../shared/corpus/cli/validate-mutate/pod-security and cycled as bench/validate does;
//             the Pod passes the restricted profile, so every rule runs to its end.
//   generate: a Namespace CREATE against 20 of bench/engine's generate policies (the ones that match
//             Namespace: data, clone, cloneList, foreach, context); /validate finds no
//             validate rule and hands the request to the generate sink (which only counts: the
//             controller only queues keys at admission).
import { resolve } from 'node:path';
import type { AdmissionRequest } from '../../src/api/admission.js';
import type { KubeObject } from '../../src/api/kube.js';
import type { KyvernoPolicy } from '../../src/api/policy.js';
import { loadPolicyFiles } from '../../src/policy/load.js';
import { corpusDir } from '../../test/support/paths.js';
import { benchmarkPolicies } from '../engine/policies.js';

export type Scenario = 'validate' | 'generate';
export const POLICY_COUNT = 20;

async function validatePolicies(): Promise<KyvernoPolicy[]> {
  const dir = resolve(corpusDir, 'cli/validate-mutate/pod-security');
  const loaded = await loadPolicyFiles([dir]);
  const base = loaded.policies.map((l) => l.policy).filter((p) => p.spec.rules.some((r) => r.validate));
  if (base.length === 0) throw new Error(`no validate policies under ${dir}`);
  return Array.from({ length: POLICY_COUNT }, (_, i) => {
    const p = structuredClone(base[i % base.length] as KyvernoPolicy);
    p.metadata = { name: `${p.metadata.name}-${i}` };
    p.spec.validationFailureAction = 'Enforce';
    for (const rule of p.spec.rules) {
      const ps = rule.validate?.['podSecurity'];
      if (ps && typeof ps === 'object' && !Array.isArray(ps))
        ps['level'] = Math.floor(i / base.length) % 2 === 0 ? 'baseline' : 'restricted';
    }
    return p;
  });
}

export async function policiesFor(scenario: Scenario): Promise<KyvernoPolicy[]> {
  if (scenario === 'validate') return validatePolicies();
  // Only the Namespace policies of the mix: its ConfigMap/Deployment policies would also fire on the
  // generated ConfigMaps in the create phase and turn it into a cascade benchmark.
  const namespaced = benchmarkPolicies(POLICY_COUNT * 2).filter((p) =>
    p.spec.rules.every((r) => JSON.stringify(r.match).includes('"Namespace"')),
  );
  return namespaced.slice(0, POLICY_COUNT);
}

/** A Pod that passes the restricted profile. */
export function benchPod(name: string, namespace: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: 'web', team: 'blue' } },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      initContainers: [
        {
          name: 'init',
          image: 'registry.example.com/init:1.2',
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
      containers: ['app', 'sidecar'].map((c) => ({
        name: c,
        image: `registry.example.com/${c}:2.0`,
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
}

export function benchNamespace(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { team: 'blue', env: 'prod' }, annotations: { 'example.com/environments': 'dev,prod' } },
  };
}

/** The AdmissionReview body POSTed to /validate. */
export function admissionReview(scenario: Scenario): string {
  const request: AdmissionRequest =
    scenario === 'validate'
      ? {
          uid: '0b6f6d1c-2d7e-4c0a-9a51-3c1d2f0e9a11',
          kind: { group: '', version: 'v1', kind: 'Pod' },
          resource: { group: '', version: 'v1', resource: 'pods' },
          name: 'web',
          namespace: 'shop',
          operation: 'CREATE',
          userInfo: { username: 'system:serviceaccount:shop:deployer', groups: ['system:serviceaccounts'] },
          object: benchPod('web', 'shop'),
        }
      : {
          uid: '0b6f6d1c-2d7e-4c0a-9a51-3c1d2f0e9a12',
          kind: { group: '', version: 'v1', kind: 'Namespace' },
          resource: { group: '', version: 'v1', resource: 'namespaces' },
          name: 'payments',
          operation: 'CREATE',
          userInfo: { username: 'alice', groups: ['system:authenticated'] },
          object: benchNamespace('payments'),
        };
  return JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request });
}
