/**
 * The live stream (GET /v1/sandbox/stream, text/event-stream) read with fetch, because
 * EventSource cannot send an Authorization header and the key must not go in a URL (it
 * would land in logs and history). Parses the SSE wire format (WHATWG HTML, "Server-sent
 * events", section 9.2.6): `id:`, `event:`, `data:` lines, a blank line ending an event,
 * `:` comments (the heartbeat) ignored. Reconnects after a drop with `Last-Event-ID`, so no
 * event is missed, waiting 2 s (or the server's `retry:`).
 */
import { ApiError, authHeaders, v1Url } from './api';

/** One event of the stream. */
export interface StreamEvent {
  id: string | null;
  type: string;
  data: string;
}

/** What the stream reports: each event, and its state for the page to show. */
export interface StreamHandlers {
  onEvent: (event: StreamEvent) => void;
  onState: (state: 'connecting' | 'live' | 'retrying', error?: ApiError) => void;
}

/** Splits a chunked text stream into SSE events; feed it text, it calls `emit` per event. */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private type = '';
  private id: string | null = null;
  /** The last `id:` seen: what a reconnection sends as Last-Event-ID. */
  lastEventId: string | null = null;
  /** The last `retry:` in ms, if the server sent one. */
  retryMs: number | null = null;

  constructor(private readonly emit: (event: StreamEvent) => void) {}

  push(text: string): void {
    this.buffer += text;
    let newline: number;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      const length = this.buffer.startsWith('\r\n', newline) ? 2 : 1;
      this.buffer = this.buffer.slice(newline + length);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) {
        if (this.id !== null) this.lastEventId = this.id;
        this.emit({ id: this.id ?? this.lastEventId, type: this.type || 'message', data: this.data.join('\n') });
      }
      this.data = [];
      this.type = '';
      this.id = null;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.type = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
  }
}

/**
 * Opens the stream with the signed-in key and keeps it open until `signal` aborts.
 * A refused stream (401, 429 for a 6th stream...) is reported with its problem and retried.
 */
export async function openStream(
  query: Record<string, string>,
  handlers: StreamHandlers,
  signal: AbortSignal,
): Promise<void> {
  const parser = new SseParser(handlers.onEvent);
  while (!signal.aborted) {
    handlers.onState('connecting');
    try {
      const headers: Record<string, string> = { Accept: 'text/event-stream', ...authHeaders() };
      if (parser.lastEventId) headers['Last-Event-ID'] = parser.lastEventId;
      const response = await fetch(v1Url('/sandbox/stream', query), {
        headers,
        signal,
        credentials: 'omit',
        cache: 'no-store',
      });
      if (!response.ok || !response.body) {
        const body = (await response.json().catch(() => ({}))) as { code?: string; title?: string; detail?: string };
        handlers.onState(
          'retrying',
          new ApiError(
            response.status,
            body.code ?? `HTTP_${response.status}`,
            body.title ?? response.statusText,
            body.detail ?? `the live stream answered HTTP ${response.status}`,
            [],
            response.headers.get('X-Request-Id'),
          ),
        );
      } else {
        handlers.onState('live');
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.push(value);
        }
        handlers.onState('retrying');
      }
    } catch (error) {
      if (signal.aborted) return;
      handlers.onState(
        'retrying',
        new ApiError(0, 'NETWORK', 'Stream lost', `the live stream was cut (${String(error)})`),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, parser.retryMs ?? 2000));
  }
}
