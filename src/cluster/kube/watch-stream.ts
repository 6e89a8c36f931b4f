// Delivers one open watch response as WatchEvents: in order, one at a time, stopping after an
// ERROR event, on abort, or when the connection drops. `done` always resolves, so the informer
// learns that it has to resume from its last resourceVersion.
import type { IncomingMessage } from 'node:http';
import type { WatchEvent, WatchHandle } from '../client.js';
import { LineSplitter, parseWatchLine } from './watch-lines.js';

export interface StreamWatchOptions {
  response: IncomingMessage;
  kind: { apiVersion: string; kind: string };
  onEvent: (event: WatchEvent) => void;
  signal: AbortSignal;
  /**
   * Told about a line that is not a watch event, or an `onEvent` that threw; either ends the
   * watch (like client-go's decoder), so the informer resumes or relists.
   */
  onError?: (error: unknown) => void;
}

export function streamWatch(options: StreamWatchOptions): WatchHandle {
  const { response, kind, onEvent, signal } = options;
  const splitter = new LineSplitter();
  let finished = false;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  const finish = (): void => {
    if (finished) return;
    finished = true;
    signal.removeEventListener('abort', finish);
    response.removeListener('data', onData);
    if (!response.complete) response.destroy();
    resolveDone();
  };

  const deliver = (line: string): void => {
    if (finished) return;
    try {
      const event = parseWatchLine(line, kind);
      if (event === undefined) return;
      onEvent(event);
      if (event.type === 'ERROR') finish();
    } catch (e) {
      options.onError?.(e);
      finish();
    }
  };

  function onData(chunk: Buffer): void {
    for (const line of splitter.push(chunk)) {
      if (finished || signal.aborted) return finish();
      deliver(line);
    }
  }

  if (signal.aborted) {
    finish();
    return { done };
  }
  signal.addEventListener('abort', finish, { once: true });
  response.on('data', onData);
  response.on('end', () => {
    const rest = splitter.end();
    if (rest !== undefined && !signal.aborted) deliver(rest);
    finish();
  });
  response.on('error', finish);
  response.on('aborted', finish);
  response.on('close', finish);
  return { done };
}
