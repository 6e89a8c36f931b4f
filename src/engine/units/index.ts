// Value units shared by conditions and Kyverno's functions: Kubernetes quantities, Go durations,
// semantic versions and Go's number formatting.
export * from './duration.js';
export * from './go-number.js';
export * from './quantity.js';
export * from './semver.js';
