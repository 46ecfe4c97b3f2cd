/**
 * A Server-Sent Events reader for the tests, over fetch: opens `GET /v1/sandbox/stream` and
 * collects every event (`id`, `event`, `data` parsed) and every comment line as they arrive.
 * Hand-written on purpose: it checks the wire format itself (the client under src/client
 * uses a parser library).
 */

/** One event as it came on the wire. */
export interface SseEvent {
  id: string | null;
  event: string;
  data: any;
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** The body of a refused stream (a problem), parsed. */
  refusal?: any;
  events: SseEvent[];
  comments: string[];
  /** Resolves when the server ends the stream (or close() aborts it). */
  ended: Promise<void>;
  /** Resolves with the events once `predicate` holds; rejects after `timeoutMs` with what came. */
  waitFor(predicate: (events: SseEvent[]) => boolean, timeoutMs?: number): Promise<SseEvent[]>;
  close(): void;
}

/** Opens the stream with `key`; `query` as in the URL (`types=request`), `lastEventId` to resume. */
export async function openSse(
  baseUrl: string,
  key: string,
  options: { query?: string; lastEventId?: string } = {},
): Promise<SseStream> {
  const abort = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${key}`, accept: 'text/event-stream' };
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  const response = await fetch(`${baseUrl}/v1/sandbox/stream${options.query ? `?${options.query}` : ''}`, {
    headers,
    signal: abort.signal,
  });
  const stream: SseStream = {
    status: response.status,
    headers: response.headers,
    events: [],
    comments: [],
    ended: Promise.resolve(),
    async waitFor(predicate, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(stream.events)) {
        if (Date.now() > deadline)
          throw new Error(
            `the expected events did not arrive within ${timeoutMs} ms; got ${JSON.stringify(stream.events.map((e) => e.event))}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return stream.events;
    },
    close: () => abort.abort(),
  };
  if (response.status !== 200) {
    stream.refusal = JSON.parse(await response.text());
    return stream;
  }
  stream.ended = (async () => {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: { id: string | null; event: string; data: string[] } = { id: null, event: 'message', data: [] };
          let isEvent = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) stream.comments.push(line.slice(1).trim());
            else {
              isEvent = true;
              const colon = line.indexOf(':');
              const field = line.slice(0, colon);
              const text = line.slice(colon + 1).replace(/^ /, '');
              if (field === 'id') event.id = text;
              else if (field === 'event') event.event = text;
              else if (field === 'data') event.data.push(text);
            }
          }
          if (isEvent)
            stream.events.push({ id: event.id, event: event.event, data: JSON.parse(event.data.join('\n')) });
        }
      }
    } catch {
      // Aborted by close(), or the connection was cut.
    }
  })();
  return stream;
}
