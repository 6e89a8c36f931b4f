// Streaming watch over HTTP: one JSON-encoded watch event per line, chunked, until the client
// goes away, timeoutSeconds passes, the server shuts down, or an ERROR event (410) ends it.
import type { WatchEvent } from '../client.js';
import type { Call } from './rest-context.js';
import { apiVersionOf, query, renderObjects } from './rest-context.js';

const DEFAULT_TIMEOUT_SECONDS = 1800;

export async function handleWatch(call: Call): Promise<void> {
  const streaming = streamWatch(call);
  call.state.openWatches.add(streaming);
  try {
    await streaming;
  } finally {
    call.state.openWatches.delete(streaming);
  }
}

async function streamWatch(call: Call): Promise<void> {
  const { res, req } = call;
  const abort = new AbortController();
  const ensureHeaders = (): void => {
    if (res.headersSent) return;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
  };
  // Events are encoded in order; table rendering is async, so writes are chained.
  let chain: Promise<void> = Promise.resolve();
  let first = true;
  const encode = async (ev: WatchEvent): Promise<unknown> => {
    if (call.representation.kind === 'json' || call.representation.kind === 'yaml' || ev.type === 'ERROR' || ev.type === 'BOOKMARK') return ev;
    const object = await renderObjects(call, [ev.object], {}, first);
    first = false;
    return { type: ev.type, object };
  };
  const onEvent = (ev: WatchEvent): void => {
    chain = chain.then(async () => {
      const out = await encode(ev);
      if (res.destroyed || res.writableEnded) return;
      ensureHeaders();
      res.write(`${JSON.stringify(out)}\n`);
    }).catch(() => abort.abort());
  };
  const info = call.info;
  const handle = await call.state.cluster.watch(
    { apiVersion: apiVersionOf(call.resource), kind: call.resource.kind },
    {
      namespace: info.namespace === '' ? undefined : info.namespace,
      labelSelector: query(call, 'labelSelector'),
      fieldSelector: fieldSelectorFor(call),
      resourceVersion: query(call, 'resourceVersion'),
      allowBookmarks: query(call, 'allowWatchBookmarks') === 'true',
    },
    onEvent,
    abort.signal,
  );
  ensureHeaders();
  const timeout = Number(query(call, 'timeoutSeconds') ?? DEFAULT_TIMEOUT_SECONDS);
  const timer = setTimeout(() => abort.abort(), (Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_SECONDS) * 1000);
  timer.unref();
  const stop = (): void => abort.abort();
  req.on('close', stop);
  res.on('close', stop);
  await handle.done;
  clearTimeout(timer);
  await chain;
  if (!res.writableEnded) res.end();
}

/** A watch on a named path (`/namespaces/x/configmaps/y?watch=1`) watches that one object. */
export function fieldSelectorFor(call: Call): string | undefined {
  const given = query(call, 'fieldSelector');
  if (call.info.name === '') return given;
  const byName = `metadata.name=${call.info.name}`;
  return given === undefined ? byName : `${given},${byName}`;
}
