// `sprout serve`: the webhook and the generate controller against a real cluster (in-cluster
// credentials by default), together or, with --components, as separate Deployments (docs/adr/0007).
// Flags fall back to SPROUT_* environment variables.
import type { Command } from 'commander';
import { Option } from 'commander';
import type { ClusterClient } from '../../cluster/client.js';
import { KubeClient } from '../../cluster/kube/index.js';
import { parseDuration } from '../../engine/units/duration.js';
import { untilTerminated } from '../../main/local.js';
import type { RuntimeComponents } from '../../main/components.js';
import { componentsList, DEFAULT_COMPONENTS_LIST, parseComponents } from '../../main/components.js';
import { startRuntime } from '../../main/runtime.js';
import { startupTls } from '../../main/startup-tls.js';
import { systemClock } from '../../platform/clock.js';
import { createLogger } from '../../platform/logger.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../io.js';
import type { ExitSink } from './index.js';

interface ServeFlags {
  kubeconfig?: string;
  context?: string;
  namespace: string;
  webhookHost: string;
  webhookPort: string;
  serviceName: string;
  webhookUrl?: string;
  leaderElect: boolean;
  workers: string;
  resyncPeriod: string;
  logLevel: string;
  qps: string;
  burst: string;
  tlsMode: 'self-managed' | 'cert-manager' | 'secret';
  tlsSecretName?: string;
  injectCaFrom?: string;
  components: string;
}

export interface ServeDeps {
  untilStopped: () => Promise<unknown>;
  /** Tests hand in a client for the embedded server. */
  client?: (flags: ServeFlags) => ClusterClient;
  onStarted?: (info: { webhookPort: number; components: RuntimeComponents }) => void;
}

export function registerServe(program: Command, io: CliIo, exit: ExitSink, deps: ServeDeps = { untilStopped: untilTerminated }): void {
  const env = io.env ?? {};
  const opt = (flags: string, description: string, envName: string, fallback?: string): Option => {
    const o = new Option(flags, `${description} (env ${envName})`);
    const v = env[envName] ?? fallback;
    return v === undefined ? o : o.default(v);
  };
  program
    .command('serve')
    .description('run the admission webhook and the generate controller against a Kubernetes cluster')
    .addOption(opt('--kubeconfig <file>', 'kubeconfig to use; in-cluster credentials when absent', 'SPROUT_KUBECONFIG'))
    .addOption(opt('--context <name>', 'kubeconfig context', 'SPROUT_CONTEXT'))
    .addOption(opt('--namespace <ns>', "Sprout's own namespace", 'SPROUT_NAMESPACE', 'sprout'))
    .addOption(opt('--webhook-host <addr>', 'address the webhook listens on', 'SPROUT_WEBHOOK_HOST', '0.0.0.0'))
    .addOption(opt('--webhook-port <n>', 'webhook HTTPS port (also /healthz, /readyz, /metrics)', 'SPROUT_WEBHOOK_PORT', '9443'))
    .addOption(opt('--service-name <name>', 'the Service in front of the webhook', 'SPROUT_SERVICE_NAME', 'sprout'))
    .addOption(opt('--webhook-url <url>', 'register webhooks by URL instead of the Service (running outside the cluster)', 'SPROUT_WEBHOOK_URL'))
    .option('--no-leader-elect', 'reconcile in every replica instead of electing a leader')
    .addOption(opt('--workers <n>', 'generate workers', 'SPROUT_WORKERS', '4'))
    .addOption(opt('--resync-period <duration>', 'how often every key is reconciled again', 'SPROUT_RESYNC_PERIOD', '1h'))
    .addOption(opt('--log-level <level>', 'fatal, error, warn, info, debug', 'SPROUT_LOG_LEVEL', 'info'))
    .addOption(opt('--qps <n>', 'client-side request rate limit', 'SPROUT_QPS', '50'))
    .addOption(opt('--burst <n>', 'client-side burst', 'SPROUT_BURST', '100'))
    .addOption(opt('--tls-mode <mode>', 'self-managed, cert-manager or secret', 'SPROUT_TLS_MODE', 'self-managed').choices(['self-managed', 'cert-manager', 'secret']))
    .addOption(opt('--tls-secret-name <name>', 'Secret with tls.key, tls.crt and ca.crt', 'SPROUT_TLS_SECRET_NAME'))
    .addOption(opt('--inject-ca-from <ns/name>', "cert-manager Certificate whose CA is injected into the webhooks", 'SPROUT_INJECT_CA_FROM'))
    .addOption(
      opt(
        '--components <list>',
        'what this process runs: webhook (admission, webhook configurations), controller (leader election, generate, reports, certificate renewal), or both',
        'SPROUT_COMPONENTS',
        DEFAULT_COMPONENTS_LIST,
      ),
    )
    .action(async (flags: ServeFlags) => {
      exit(await serveCommand(flags, io, deps));
    });
}

function positiveInt(name: string, v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n <= 0) throw new UsageError(`--${name}: "${v}" is not a positive whole number`);
  return n;
}

export async function serveCommand(flags: ServeFlags, io: CliIo, deps: ServeDeps): Promise<number> {
  const port = Number(flags.webhookPort);
  if (!/^\d+$/.test(flags.webhookPort) || port > 65535) throw new UsageError(`--webhook-port: "${flags.webhookPort}" is not a port number`);
  let resyncPeriodMs: number;
  try {
    resyncPeriodMs = Number(parseDuration(flags.resyncPeriod) / 1_000_000n);
  } catch {
    throw new UsageError(`--resync-period: "${flags.resyncPeriod}" is not a duration like 30m or 1h`);
  }
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace'].includes(flags.logLevel)) throw new UsageError(`--log-level: "${flags.logLevel}" is not one of fatal, error, warn, info, debug`);
  const parsed = parseComponents(flags.components);
  if ('error' in parsed) throw new UsageError(`--components: ${parsed.error}`);
  const { components } = parsed;
  const options = { qps: positiveInt('qps', flags.qps), burst: positiveInt('burst', flags.burst) };
  const client = deps.client
    ? deps.client(flags)
    : flags.kubeconfig !== undefined || io.env?.['KUBERNETES_SERVICE_HOST'] === undefined
      ? KubeClient.fromKubeconfig(flags.kubeconfig, { ...options, context: flags.context })
      : KubeClient.inCluster(options);
  const log = createLogger({ level: flags.logLevel as 'info' });
  const service = `${flags.serviceName}.${flags.namespace}.svc`;
  const hosts = [service, `${service}.cluster.local`, flags.serviceName, 'localhost', '127.0.0.1'];
  const secretName = flags.tlsSecretName ?? `${flags.serviceName}-tls`;
  // Only a process running the controller renews a due certificate; a webhook-only one reloads it.
  const tls = await startupTls({ cluster: client, namespace: flags.namespace, name: secretName, mode: flags.tlsMode, hosts, now: Date.now(), renews: components.controller });
  const webhookUrl = flags.webhookUrl;
  let leadershipLost: (reason: string) => void = () => undefined;
  const lost = new Promise<string>((resolve) => (leadershipLost = resolve));
  const runtime = await startRuntime({
    cluster: client,
    clock: systemClock,
    logger: log,
    namespace: flags.namespace,
    webhook: {
      host: flags.webhookHost,
      port,
      endpoint: () => (webhookUrl ? { url: webhookUrl } : { service: { namespace: flags.namespace, name: flags.serviceName, port: 443 } }),
      hosts,
    },
    tls,
    // Renewed before expiry (self-managed) and served anew when the Secret changes (any mode).
    tlsSecret: { name: secretName, selfManaged: flags.tlsMode === 'self-managed' },
    webhookAnnotations: flags.tlsMode === 'cert-manager' && flags.injectCaFrom ? { 'cert-manager.io/inject-ca-from': flags.injectCaFrom } : undefined,
    workers: positiveInt('workers', flags.workers),
    resyncPeriodMs,
    leaderElection: flags.leaderElect,
    components,
    onLeadershipLost: (reason) => leadershipLost(reason),
  });
  deps.onStarted?.({ webhookPort: runtime.webhookPort, components });
  log.info({ port: runtime.webhookPort, namespace: flags.namespace, leaderElection: flags.leaderElect, components: componentsList(components) }, 'sprout serving');
  // The first part of this line is what scripts wait for (test/e2e, bench/webhook): keep it stable.
  const split = components.webhook && components.controller ? '' : `, components ${componentsList(components)}`;
  io.err(`sprout serve: webhook on ${flags.webhookHost}:${runtime.webhookPort}, namespace ${flags.namespace}${split}\n`);
  const ended = await Promise.race([deps.untilStopped().then(() => undefined), lost]);
  if (ended !== undefined) {
    // Exit non-zero so Kubernetes restarts the pod: a fresh process can campaign and lead again.
    io.err(`sprout serve: ${ended}; exiting so the pod restarts\n`);
    await runtime.stop();
    return 1;
  }
  log.info('shutting down: draining the webhook, releasing the lease');
  await runtime.stop();
  return 0;
}
