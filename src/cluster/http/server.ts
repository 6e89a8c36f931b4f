// `startLocalServer`: the embedded Kubernetes API server. HTTPS on 127.0.0.1 with a CA and serving
// certificate made at start, a kubeconfig written for it, a MemoryCluster behind it, and webhook
// admission over HTTPS.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryCluster } from '../memory/index.js';
import type { MemoryClusterOptions } from '../memory/index.js';
import { AdmissionChain } from './admission/chain.js';
import type { ServiceResolver } from './admission/types.js';
import { createCertificateAuthority, issueCertificate } from './certs.js';
import { writeKubeconfig } from './kubeconfig.js';
import type { ServerState } from './rest-context.js';
import { route } from './routes.js';

export interface LocalServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where to write the kubeconfig; default a file in a fresh temporary folder (removed on close). */
  kubeconfigPath?: string;
  /** Serve this cluster instead of a new MemoryCluster. */
  cluster?: MemoryCluster;
  clusterOptions?: MemoryClusterOptions;
  /** How webhook `clientConfig.service` references reach their servers (there is no cluster network). */
  serviceResolver?: ServiceResolver;
  /** The bearer token written to the kubeconfig (any token is accepted). Default: random. */
  token?: string;
  /** Name of the kubeconfig cluster and context. Default "sprout-local". */
  contextName?: string;
  /** How often watchers that allow bookmarks get one. Default 60 s. */
  bookmarkIntervalMs?: number;
  clock?: () => Date;
}

export interface LocalServer {
  /** https://127.0.0.1:PORT */
  url: string;
  port: number;
  kubeconfigPath: string;
  /** The CA that signed the serving certificate (PEM). */
  caPem: string;
  token: string;
  cluster: MemoryCluster;
  close(): Promise<void>;
}

export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const host = options.host ?? '127.0.0.1';
  const ca = createCertificateAuthority({ commonName: 'sprout-local-ca' });
  const serving = issueCertificate(ca, { commonName: 'sprout-local', hosts: [host, 'localhost', '127.0.0.1', '::1', 'kubernetes', 'kubernetes.default.svc'] });
  const cluster = options.cluster ?? new MemoryCluster(options.clusterOptions);
  const state: ServerState = {
    cluster,
    admission: new AdmissionChain(cluster, { serviceResolver: options.serviceResolver }),
    clock: options.clock ?? (() => new Date()),
    openWatches: new Set(),
  };
  const server = createServer({ key: serving.keyPem, cert: serving.certPem }, (req, res) => {
    route(state, req, res).catch(() => {
      if (!res.writableEnded) res.destroy();
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let tempDir: string | undefined;
  let kubeconfigPath = options.kubeconfigPath;
  if (kubeconfigPath === undefined) {
    tempDir = await mkdtemp(join(tmpdir(), 'sprout-local-'));
    kubeconfigPath = join(tempDir, 'kubeconfig');
  }
  const token = options.token ?? randomBytes(24).toString('base64url');
  await writeKubeconfig(kubeconfigPath, { server: url, caBase64: ca.certBase64, token, name: options.contextName ?? 'sprout-local' });
  const bookmarks = setInterval(() => cluster.bookmark(), options.bookmarkIntervalMs ?? 60_000);
  bookmarks.unref();
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      clearInterval(bookmarks);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      cluster.closeWatches();
      // Let ended watches finish their chunked responses before the sockets go.
      const grace = new Promise<void>((resolve) => setTimeout(resolve, 1000).unref());
      await Promise.race([Promise.allSettled([...state.openWatches]), grace]);
      server.closeAllConnections();
      await closed;
      if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
    })();
    return closing;
  };
  return { url, port, kubeconfigPath, caPem: ca.certPem, token, cluster, close };
}
