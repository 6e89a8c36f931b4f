// The report controller takes admission results only while it runs (on the leader): a follower's
// webhook answers admission too, and what it handed over would otherwise pile up unwritten forever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AdmissionRequest } from '../../api/admission.js';
import type { KubeObject } from '../../api/kube.js';
import { MemoryCluster } from '../../cluster/memory/index.js';
import { emptyLookup } from '../../engine/env.js';
import { admissionValidate } from '../../pipeline/admission.js';
import { systemClock } from '../../platform/clock.js';
import { silentLogger } from '../../platform/logger.js';
import { parseYamlDocuments } from '../../policy/yaml.js';
import { PolicyStore } from '../policy-store.js';
import { ReportController } from './report-controller.js';
import { resourceKey } from './result-store.js';

const REQUIRE_TEAM = `
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: require-team}
spec:
  validationFailureAction: Audit
  rules:
  - name: check-team
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate:
      message: label team is required
      pattern: {metadata: {labels: {team: "?*"}}}
`;

const USER = { userInfo: {}, roles: [], clusterRoles: [] };
const ENV = { now: () => 0, random: () => 0.5, lookup: emptyLookup };

function setup() {
  const cluster = new MemoryCluster();
  const policies = new PolicyStore();
  for (const d of parseYamlDocuments(REQUIRE_TEAM, 'inline.yaml')) policies.upsert(d.value as unknown as KubeObject);
  const reports = new ReportController({ cluster, clock: systemClock, logger: silentLogger(), policies, onPolicyChange: () => undefined, batchMs: 5 });
  /** What the webhook hands the report sink for an allowed Pod CREATE. */
  const admit = async (name: string): Promise<void> => {
    const object: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', uid: `uid-${name}` }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const req: AdmissionRequest = {
      uid: `req-${name}`,
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      operation: 'CREATE',
      namespace: 'shop',
      name,
      userInfo: {},
      object,
    };
    reports.recordAdmission(req, await admissionValidate(req, USER, { policies, env: ENV, namespaceLabels: () => undefined }));
  };
  return { reports, admit };
}

test('a follower (controller not running) keeps nothing from admission', async () => {
  const { reports, admit } = setup();
  for (let i = 0; i < 20; i++) await admit(`p${i}`);
  assert.deepEqual(reports.results.keys(), []);
  assert.equal(reports.pending(), 0);
});

test('while running, admission results are kept; once leadership is lost, no longer', async () => {
  const { reports, admit } = setup();
  const abort = new AbortController();
  const running = reports.run(abort.signal);
  try {
    await admit('before');
    assert.equal(reports.results.reportFor(resourceKey({ apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'before' }))?.results.length, 1);
    abort.abort();
    await admit('after');
    assert.equal(reports.results.reportFor(resourceKey({ apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'after' })), undefined);
  } finally {
    // A failed assertion must not leave the controller running (the test process would never exit).
    abort.abort();
    await running;
  }
});
