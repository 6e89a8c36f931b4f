export { KubeClient } from './kube-client.js';
export type { KubeClientOptions, KubeconfigOptions } from './kube-client.js';
export { NetworkError } from './http-errors.js';
export type { RateLimitOptions } from './rate-limiter.js';
export type { RetryOptions, Sleep } from './retry.js';
