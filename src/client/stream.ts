/**
 * Reads the sandbox's live stream (`GET /v1/sandbox/stream`, text/event-stream) with `fetch`,
 * so that it works in Node.js and in browsers alike and can send the Authorization header
 * (the browser's EventSource cannot). The event framing is the WHATWG HTML "server-sent
 * events" format, parsed by eventsource-parser.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { SandboxApiError } from './errors.js';

/** One event of the stream: `id` (opaque, for Last-Event-ID), `type` (`request`, `webhook.event`...), `data` parsed. */
export interface StreamEvent<T = unknown> {
  id: string | null;
  type: string;
  data: T;
}

/** What `openStream` needs: where, who, which events; `signal` ends the stream. */
export interface StreamOptions {
  baseUrl: string;
  apiKey: string;
  /** Event types to receive (`types=a,b`); all when omitted. */
  types?: string[];
  /** Only events of this eSIM. */
  iccid?: string;
  /** Resume after this event id (the Last-Event-ID header). */
  lastEventId?: string;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

/**
 * Opens the stream and yields its events as they arrive, until the server closes it or
 * `signal` aborts (then it simply ends). Heartbeat comments are skipped.
 * @throws SandboxApiError when the server refuses the stream (401, 429 for a sixth stream...).
 * @throws TypeError (from fetch) when the server cannot be reached.
 */
export async function* openStream<T = unknown>(options: StreamOptions): AsyncGenerator<StreamEvent<T>> {
  const url = new URL('/v1/sandbox/stream', options.baseUrl);
  if (options.types?.length) url.searchParams.set('types', options.types.join(','));
  if (options.iccid) url.searchParams.set('iccid', options.iccid);
  const headers: Record<string, string> = { authorization: `Bearer ${options.apiKey}`, accept: 'text/event-stream' };
  if (options.lastEventId) headers['last-event-id'] = options.lastEventId;
  const doFetch = options.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await doFetch(url, { headers, ...(options.signal ? { signal: options.signal } : {}) });
  } catch (error) {
    if (options.signal?.aborted) return;
    throw error;
  }
  if (!response.ok || !response.body) {
    const text = await response.text();
    throw new SandboxApiError(response.status, parseJson(text));
  }
  const queue: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => queue.push(message) });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (options.signal?.aborted) return;
        throw error;
      }
      if (chunk.done) return;
      parser.feed(chunk.value);
      while (queue.length > 0) {
        const message = queue.shift()!;
        yield { id: message.id ?? null, type: message.event ?? 'message', data: parseJson(message.data) as T };
      }
    }
  } finally {
    // Cancelling the reader cancels the whole pipe, and so closes the connection.
    await reader.cancel().catch(() => undefined);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
