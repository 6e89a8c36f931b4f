// Sprout's server side, composed: the admission webhook, its webhook configurations, and the generate
// and report controllers (the leader only, when leader election is on). By default one process runs
// all of it; `components` splits the webhook and the controller into processes of their own
// (docs/adr/0007). `sprout serve` runs it against a real cluster, `sprout local` against the embedded
// API server.
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import type { ClusterClient } from '../cluster/client.js';
import { createCertificateAuthority, issueCertificate } from '../cluster/http/index.js';
import { GenerateController } from '../controller/generate-controller.js';
import { ReportController } from '../controller/reports/report-controller.js';
import { LeaderElector } from '../controller/runtime/leader.js';
import { clusterLookup } from '../pipeline/cluster-lookup.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { Metrics } from '../platform/metrics.js';
import { builtinScopeOf } from '../policy/builtin-scopes.js';
import { AdmissionView } from '../controller/admission-view.js';
import { AdmissionRecords } from '../controller/generate/admission-records.js';
import { POLICY_VALIDATING, RESOURCE_MUTATING, RESOURCE_VALIDATING } from '../webhook/configurations.js';
import type { WebhookTarget } from '../webhook/configurations.js';
import { admissionRoutes } from '../webhook/handlers.js';
import { WebhookServer } from '../webhook/server.js';
import type { RuntimeComponents } from './components.js';
import { ALL_COMPONENTS } from './components.js';
import { ObservedPolicyStore } from './observed-policy-store.js';
import { configurationsTrust, TlsRotator } from './tls-rotator.js';
import { WebhookConfigurator } from './webhook-configurator.js';

export interface RuntimeOptions {
  cluster: ClusterClient;
  clock: Clock;
  logger: Logger;
  /** Sprout's own namespace: leases, events, excluded from webhooks. */
  namespace: string;
  webhook: {
    host: string;
    port: number;
    /** How the API server reaches the webhook: a URL (outside a cluster) or the Service in front of Sprout. */
    endpoint: (port: number) => WebhookTarget['endpoint'];
    /** Names the serving certificate is valid for. */
    hosts: string[];
  };
  workers?: number;
  resyncPeriodMs?: number;
  leaderElection?: boolean;
  /** Leader election timing (defaults: 15 s lease, 10 s renew deadline, 2 s retry). */
  lease?: { durationMs: number; renewDeadlineMs: number; retryPeriodMs: number };
  /**
   * Called once when this process led and then lost the Lease, or its leader work failed, while it
   * was not stopping. The controllers' caches and queues serve one term, so `sprout serve` exits and
   * lets Kubernetes restart the pod, as client-go based controllers (Kyverno's among them) do.
   */
  onLeadershipLost?: (reason: string) => void;
  /** Tells replicas apart in the Lease; defaults to host name and pid. */
  identity?: string;
  /** Serving certificate and the CA that signed it; generated in memory when absent. */
  tls?: { keyPem: string; certPem: string; caPem: string };
  /**
   * The Secret `tls` came from: polled so a changed certificate is served without a restart, and in
   * self-managed mode renewed before it expires (by the leader). Without it `tls` is served until exit.
   */
  tlsSecret?: { name: string; selfManaged: boolean; reloadIntervalMs?: number; checkIntervalMs?: number };
  /** Annotations put on the webhook configurations (cert-manager's inject-ca-from). */
  webhookAnnotations?: Record<string, string>;
  /** What this process runs; default both (one process does everything). */
  components?: RuntimeComponents;
}

export interface Runtime {
  controller: GenerateController;
  reports: ReportController;
  /** What this process runs. */
  components: RuntimeComponents;
  webhookPort: number;
  metrics: Metrics;
  /** Resolves once the webhook serves and what this process must wait for (caches, configurations) is ready. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export async function startRuntime(o: RuntimeOptions): Promise<Runtime> {
  const components = o.components ?? ALL_COMPONENTS;
  if (!components.webhook && !components.controller) throw new Error('startRuntime: at least one of the webhook and controller components must run');
  const metrics = new Metrics();
  const log = o.logger;
  // When the controller may not run in this process (a follower, or a webhook-only replica) admission
  // reads the policies from a store of its own, which also drives the webhook configurations.
  const admissionPolicies = components.webhook && (o.leaderElection === true || !components.controller) ? new ObservedPolicyStore() : undefined;
  // Whoever answers admission knows the requester's roles, namespace labels and (see above) policies.
  const view = components.webhook ? new AdmissionView({ cluster: o.cluster, clock: o.clock, logger: log, policies: admissionPolicies }) : undefined;
  // Built even where it never runs: the webhook hands admissions to it, which writes the durable
  // admission records (ADR 5) that the running controller, wherever it is, generates from.
  const controller = new GenerateController({
    records: new AdmissionRecords(o.cluster, o.namespace, log.child({ component: 'admission-records' })),
    admissionPolicies,
    cluster: o.cluster,
    clock: o.clock,
    logger: log,
    metrics,
    workers: o.workers,
    resyncPeriodMs: o.resyncPeriodMs,
  });
  const reports = new ReportController({
    cluster: o.cluster,
    clock: o.clock,
    logger: log,
    policies: controller.policies,
    onPolicyChange: (listener) => controller.onPolicyChange(listener),
    policiesSynced: () => controller.hasSynced(),
    resyncPeriodMs: o.resyncPeriodMs,
  });
  const env = { now: () => o.clock.now(), random: () => Math.random(), lookup: clusterLookup(o.cluster) };
  const tls = o.tls ?? generatedTls(o.webhook.hosts);
  // Without leader election the controller always runs here, and readiness waits for its caches.
  const waitsForController = components.controller && o.leaderElection !== true;
  const server = new WebhookServer({
    host: o.webhook.host,
    port: o.webhook.port,
    tls: { key: tls.keyPem, cert: tls.certPem },
    // A controller-only process keeps the server for probes and /metrics; nothing routes admission to it.
    routes: view
      ? admissionRoutes({
          generate: controller,
          scopeOf: builtinScopeOf,
          policies: admissionPolicies ?? controller.policies,
          env,
          namespaceLabels: (ns) => view.namespaceLabels(ns),
          rolesOf: (req) => Promise.resolve(view.rolesOf(req.userInfo)),
          access: o.cluster,
          reports,
        })
      : {},
    logger: log,
    metrics,
    ready: () => (view === undefined || view.hasSynced()) && (!waitsForController || controller.hasSynced()),
    failurePolicy: (path) => (path === '/policy-validate' ? 'Fail' : 'Ignore'),
  });
  const { port } = await server.listen();
  // Only webhook replicas own the configurations: they point at the webhook's Service and carry its CA.
  const configurator = components.webhook
    ? new WebhookConfigurator({
        cluster: o.cluster,
        logger: log,
        policies: () => (admissionPolicies ?? controller.policies).all(),
        target: { endpoint: o.webhook.endpoint(port), caPem: tls.caPem, namespace: o.namespace, annotations: o.webhookAnnotations },
      })
    : undefined;
  // From the admission store once its first list is complete (a partial list would drop rules that
  // other replicas already published); otherwise from the controller, which runs here.
  let policiesLoaded = false;
  if (configurator && admissionPolicies) {
    admissionPolicies.onChange(() => {
      if (policiesLoaded) configurator.request();
    });
  } else if (configurator) {
    // Not before the controller has listed the policies: configurations written from an empty
    // cache would drop every rule that is already published (a rolling update would admit unchecked).
    controller.onPolicyChange(() => {
      if (controller.hasSynced()) configurator.request();
    });
  }

  let leading = false;
  const rotator = o.tlsSecret
    ? new TlsRotator({
        cluster: o.cluster,
        clock: o.clock,
        logger: log,
        namespace: o.namespace,
        name: o.tlsSecret.name,
        selfManaged: o.tlsSecret.selfManaged,
        hosts: o.webhook.hosts,
        initial: tls,
        reloadIntervalMs: o.tlsSecret.reloadIntervalMs,
        checkIntervalMs: o.tlsSecret.checkIntervalMs,
        // Renewal belongs to the controller's leader; webhook-only replicas just reload.
        isRenewer: () => components.controller && (o.leaderElection !== true || leading),
        caTrusted: (caPem) =>
          configurationsTrust(o.cluster, [
            { kind: 'ValidatingWebhookConfiguration', name: RESOURCE_VALIDATING },
            { kind: 'MutatingWebhookConfiguration', name: RESOURCE_MUTATING },
            { kind: 'ValidatingWebhookConfiguration', name: POLICY_VALIDATING },
          ], caPem),
        apply: async (bundle) => {
          // Trust first, then serve: the API server must accept the new certificate before it is shown.
          if (configurator && bundle.caPem !== configurator.target.caPem) {
            configurator.setTarget({ ...configurator.target, caPem: bundle.caPem });
            configurator.request();
            await configurator.settled();
          }
          server.setTls({ key: bundle.keyPem, cert: bundle.certPem });
        },
      })
    : undefined;

  const abort = new AbortController();
  // Every informer and worker listens on this one signal.
  setMaxListeners(0, abort.signal);
  let lostReported = false;
  const leadershipLost = (reason: string): void => {
    if (abort.signal.aborted || lostReported) return;
    lostReported = true;
    log.error({ reason }, 'leadership ended while running; this process must restart to lead again');
    o.onLeadershipLost?.(reason);
  };
  const running = !components.controller
    ? Promise.resolve()
    : o.leaderElection
      ? new LeaderElector({
          client: o.cluster,
          namespace: o.namespace,
          name: 'sprout-controller',
          identity: o.identity ?? `${hostname()}-${process.pid}`,
          clock: o.clock,
          logger: log,
          ...(o.lease ? { leaseDurationMs: o.lease.durationMs, renewDeadlineMs: o.lease.renewDeadlineMs, retryPeriodMs: o.lease.retryPeriodMs } : {}),
        }).run(abort.signal, {
          onStartedLeading: async (signal) => {
            leading = true;
            signal.addEventListener('abort', () => (leading = false), { once: true });
            try {
              await Promise.all([controller.run(signal), reports.run(signal)]);
            } catch (e) {
              leadershipLost(`leader work failed: ${e instanceof Error ? e.message : String(e)}`);
              throw e;
            }
            if (!signal.aborted) leadershipLost('leader work ended while still leading');
          },
          onStoppedLeading: () => leadershipLost('lost the Lease'),
        })
      : Promise.all([controller.run(abort.signal), reports.run(abort.signal)]);
  const rotating = rotator?.run(abort.signal);
  const viewWatch = view?.run(abort.signal);
  const until = async (done: () => boolean): Promise<void> => {
    while (!done() && !abort.signal.aborted) await o.clock.sleep(20, abort.signal);
  };
  const ready = (async () => {
    await until(() => view === undefined || view.hasSynced());
    if (configurator && admissionPolicies && !abort.signal.aborted) {
      policiesLoaded = true;
      configurator.request();
    }
    await until(() => !waitsForController || controller.hasSynced());
    if (configurator && !admissionPolicies && !abort.signal.aborted) configurator.request();
    await configurator?.settled();
  })();
  return {
    controller,
    reports,
    components,
    webhookPort: port,
    metrics,
    ready,
    stop: async () => {
      await server.close();
      abort.abort();
      await running;
      await rotating;
      await viewWatch;
    },
  };
}

function generatedTls(hosts: string[]): { keyPem: string; certPem: string; caPem: string } {
  const ca = createCertificateAuthority({ commonName: 'sprout-webhook-ca' });
  const serving = issueCertificate(ca, { commonName: hosts[0] ?? 'sprout-webhook', hosts });
  return { keyPem: serving.keyPem, certPem: serving.certPem, caPem: ca.certPem };
}
