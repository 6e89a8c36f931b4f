// The webhook under test, in its own process so autocannon (in the parent) does not share its event
// loop: a WebhookServer with admissionRoutes over the controller's PolicyStore holding 20 policies.
// Prints `READY {"port":…,"caPem":…}` once it listens. Usage: node dist/bench/webhook/server.js validate|generate
import type { AdmissionRequest, RequestUser } from '../../src/api/admission.js';
import type { KubeObject } from '../../src/api/kube.js';
import { createCertificateAuthority, issueCertificate } from '../../src/cluster/http/index.js';
import { PolicyStore } from '../../src/controller/policy-store.js';
import { emptyLookup } from '../../src/engine/env.js';
import { createLogger } from '../../src/platform/logger.js';
import { Metrics } from '../../src/platform/metrics.js';
import { builtinScopeOf } from '../../src/policy/builtin-scopes.js';
import { admissionRoutes } from '../../src/webhook/handlers.js';
import type { GenerateSink } from '../../src/webhook/handlers.js';
import { WebhookServer } from '../../src/webhook/server.js';
import type { Scenario } from './fixtures.js';
import { policiesFor } from './fixtures.js';

/** Counts what admission hands to generate (the real controller only queues keys here). */
class CountingSink implements GenerateSink {
  handed = 0;
  handleAdmission(_req: AdmissionRequest, _user: RequestUser): void {
    this.handed++;
  }
}

const scenario = (process.argv[2] ?? 'validate') as Scenario;
const store = new PolicyStore();
for (const policy of await policiesFor(scenario)) {
  const change = store.upsert(policy as unknown as KubeObject);
  if (!change?.after) throw new Error(`policy ${policy.metadata.name} rejected: ${JSON.stringify(change?.problems)}`);
}
const ca = createCertificateAuthority({ commonName: 'bench-webhook-ca' });
const serving = issueCertificate(ca, { commonName: '127.0.0.1', hosts: ['127.0.0.1', 'localhost'] });
const server = new WebhookServer({
  host: '127.0.0.1',
  port: 0,
  tls: { key: serving.keyPem, cert: serving.certPem },
  routes: admissionRoutes({
    generate: new CountingSink(),
    policies: store,
    env: { now: () => Date.now(), random: () => Math.random(), lookup: emptyLookup },
    scopeOf: builtinScopeOf,
  }),
  logger: createLogger({ level: 'warn' }),
  metrics: new Metrics(),
  ready: () => true,
  failurePolicy: () => 'Ignore',
});
const { port } = await server.listen();
process.stdout.write(`READY ${JSON.stringify({ port, caPem: ca.certPem, policies: store.all().length })}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
// run.ts asks for this process's CPU time around a measurement (IPC, when started by run.ts).
process.on('message', () => process.send?.(process.cpuUsage()));
