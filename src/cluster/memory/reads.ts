// list and watch over the memory store: selectors, pagination, watch start and resume.
import type { KubeObject } from '../../api/kube.js';
import type { ListOptions, ObjectList, WatchEvent, WatchHandle, WatchOptions } from '../client.js';
import { badRequest, resourceExpired } from '../errors.js';
import { cloneJson } from '../json-util.js';
import type { FieldRequirement, LabelRequirement } from '../selectors.js';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorParseError,
} from '../selectors.js';
import type { ServedResource } from './builtin-resources.js';
import type { Core } from './core.js';
import { tableOf } from './core.js';

/** A copy of a stored object as the requested version presents it. */
export function render(obj: KubeObject, res: ServedResource): KubeObject {
  const out = cloneJson(obj);
  out.apiVersion = res.group === '' ? res.version : `${res.group}/${res.version}`;
  return out;
}

/**
 * render() for watch events. Every write fans out to every matching watcher, so this copy is the
 * hottest one in an in-process controller; a for-in copy allocates only the copy itself (no
 * entries arrays). Still a full copy: watchers may keep or change what they receive.
 */
export function renderForWatch(obj: KubeObject, res: ServedResource): KubeObject {
  const out = copyPlainJson(obj);
  out.apiVersion = res.group === '' ? res.version : `${res.group}/${res.version}`;
  return out;
}

function copyPlainJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) items[i] = copyPlainJson(value[i] as unknown);
    return items as T;
  }
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k in src) {
    if (!Object.prototype.hasOwnProperty.call(src, k)) continue;
    const v = src[k];
    if (v !== undefined) out[k] = copyPlainJson(v);
  }
  return out as T;
}

interface Filter {
  namespace: string | undefined;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
}

function compileFilter(
  res: ServedResource,
  opts: { namespace?: string; labelSelector?: string; fieldSelector?: string },
): Filter {
  try {
    const fields = parseFieldSelector(opts.fieldSelector);
    const allowed = ['metadata.name', 'metadata.namespace', ...res.extraFieldSelectors];
    for (const f of fields)
      if (!allowed.includes(f.field)) throw badRequest(`field label not supported: ${f.field}`);
    return {
      namespace:
        res.namespaced && opts.namespace !== undefined && opts.namespace !== '' ? opts.namespace : undefined,
      labels: parseLabelSelector(opts.labelSelector),
      fields,
    };
  } catch (e) {
    if (e instanceof SelectorParseError) throw badRequest(e.message);
    throw e;
  }
}

function fieldValue(obj: KubeObject, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  return typeof cur === 'string' || typeof cur === 'number' || typeof cur === 'boolean' ? String(cur) : '';
}

function matcher(res: ServedResource, f: Filter): (obj: KubeObject) => boolean {
  return (obj) => {
    if (f.namespace !== undefined && obj.metadata.namespace !== f.namespace) return false;
    if (!matchesLabels(f.labels, obj.metadata.labels)) return false;
    if (f.fields.length === 0) return true;
    const values: Record<string, string> = {};
    for (const r of f.fields) values[r.field] = fieldValue(obj, r.field);
    values['metadata.namespace'] = res.namespaced ? (obj.metadata.namespace ?? '') : '';
    return matchesFields(f.fields, values);
  };
}

interface ContinueToken {
  rv: number;
  start: string;
}

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<ContinueToken>;
    if (typeof parsed.rv === 'number' && typeof parsed.start === 'string')
      return { rv: parsed.rv, start: parsed.start };
  } catch {
    // fall through to the error below
  }
  throw badRequest('continue key is not valid: illegal base64 data at input byte 0');
}

export function listObjects(core: Core, res: ServedResource, opts: ListOptions): ObjectList {
  const f = compileFilter(res, opts);
  const matches = matcher(res, f);
  const token =
    opts.continue !== undefined && opts.continue !== '' ? decodeContinue(opts.continue) : undefined;
  if (token !== undefined && token.rv < core.hub.oldestAvailable) {
    throw resourceExpired(
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
    );
  }
  const limit = opts.limit !== undefined && opts.limit > 0 ? opts.limit : Infinity;
  const items: KubeObject[] = [];
  let lastKey = '';
  let more = false;
  for (const [key, obj] of core.store.ordered(tableOf(res), f.namespace)) {
    if (token !== undefined && key <= token.start) continue;
    if (!matches(obj)) continue;
    if (items.length >= limit) {
      more = true;
      break;
    }
    items.push(render(obj, res));
    lastKey = key;
  }
  const rv = token?.rv ?? core.currentRv;
  const out: ObjectList = { items, resourceVersion: String(rv) };
  if (more) out.continue = Buffer.from(JSON.stringify({ rv, start: lastKey }), 'utf8').toString('base64url');
  return out;
}

function parseRv(rv: string | undefined): number | undefined {
  if (rv === undefined || rv === '' || rv === '0') return undefined;
  if (!/^\d+$/.test(rv)) throw badRequest(`resourceVersion: Invalid value: "${rv}": must be a valid integer`);
  return Number(rv);
}

export function startWatch(
  core: Core,
  res: ServedResource,
  opts: WatchOptions,
  onEvent: (event: WatchEvent) => void,
  signal: AbortSignal,
): WatchHandle {
  const matches = matcher(res, compileFilter(res, opts));
  const since = parseRv(opts.resourceVersion);
  const apiVersion = res.group === '' ? res.version : `${res.group}/${res.version}`;
  const spec = {
    table: tableOf(res),
    allowBookmarks: opts.allowBookmarks === true,
    matches,
    render: (obj: KubeObject) => renderForWatch(obj, res),
    bookmark: (rv: number): KubeObject => ({
      apiVersion,
      kind: res.kind,
      metadata: { resourceVersion: String(rv) },
    }),
    onEvent,
  };
  const initial: WatchEvent[] = [];
  if (since === undefined) {
    const f = compileFilter(res, opts);
    for (const [, obj] of core.store.ordered(tableOf(res), f.namespace)) {
      if (matches(obj)) initial.push({ type: 'ADDED', object: renderForWatch(obj, res) });
    }
  }
  const started = core.hub.start(spec, initial, since ?? core.currentRv);
  if (started === undefined) {
    // The real server answers 200 and sends the 410 as the stream's only event.
    const expired = resourceExpired(
      `too old resource version: ${since ?? 0} (${core.hub.oldestAvailable + 1})`,
    );
    const gone = core.hub.start(
      { ...spec, table: '' },
      [{ type: 'ERROR', object: expired.status }],
      undefined,
    );
    return { done: gone?.done ?? Promise.resolve() };
  }
  if (signal.aborted) started.close();
  else signal.addEventListener('abort', () => started.close(), { once: true });
  return { done: started.done };
}
