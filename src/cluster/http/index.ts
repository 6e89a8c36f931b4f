// The embedded Kubernetes API server (what `sprout local` runs and kubectl talks to).
export { startLocalServer } from './server.js';
export type { LocalServer, LocalServerOptions } from './server.js';
export { createCertificateAuthority, issueCertificate } from './certs.js';
export type { CertificateAuthority, CertificateOptions, IssuedCertificate } from './certs.js';
export type { ServiceResolver } from './admission/types.js';
export { kubeconfigYaml } from './kubeconfig.js';
