// Which parts of Sprout's server side one process runs. Admission and background work share a
// process by default; split, they run as separate Deployments so controller work never queues in
// front of an admission call on the same event loop (docs/adr/0007).

export interface RuntimeComponents {
  /** Answers admission, owns the webhook configurations, reloads (never renews) the TLS Secret. */
  webhook: boolean;
  /** Campaigns for the Lease; the leader runs the generate and report controllers and renews the TLS Secret. */
  controller: boolean;
}

export const COMPONENT_NAMES = ['webhook', 'controller'] as const;
export type ComponentName = (typeof COMPONENT_NAMES)[number];

export const ALL_COMPONENTS: Readonly<RuntimeComponents> = Object.freeze({ webhook: true, controller: true });

export const DEFAULT_COMPONENTS_LIST = COMPONENT_NAMES.join(',');

/**
 * Reads a comma-separated list such as "webhook,controller". Returns the components, or why the
 * list is unusable (unknown or missing names), so the CLI can name its flag in the message.
 */
export function parseComponents(list: string): { components: RuntimeComponents } | { error: string } {
  const names = list.split(',').map((n) => n.trim());
  if (names.some((n) => n === '')) return { error: `"${list}" has an empty entry; use one or more of ${COMPONENT_NAMES.join(', ')}, comma-separated` };
  const unknown = names.filter((n) => !(COMPONENT_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) return { error: `unknown component${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; use one or more of ${COMPONENT_NAMES.join(', ')}` };
  return { components: { webhook: names.includes('webhook'), controller: names.includes('controller') } };
}

/** The list form of `c`, in canonical order (for logs). */
export function componentsList(c: RuntimeComponents): string {
  return COMPONENT_NAMES.filter((n) => c[n]).join(',');
}
