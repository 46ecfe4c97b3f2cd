/**
 * The live stream (GET /v1/sandbox/stream) kept open for a page: the typed client's
 * `openStream` (src/client/stream.ts: fetch, because EventSource cannot send the
 * Authorization header and the key must never go in a URL) in a loop that reconnects 2 s
 * after a drop or a refusal, resuming with `Last-Event-ID` so that no event is missed.
 */
import { openStream as clientStream, SandboxApiError } from '../../src/client/index';
import { ApiError } from './api';
import { apiKey } from './session';

/** One event of the stream, its data parsed. */
export interface StreamEvent {
  id: string | null;
  type: string;
  data: unknown;
}

/** What the stream reports: each event, and its state for the page to show. */
export interface StreamHandlers {
  onEvent: (event: StreamEvent) => void;
  onState: (state: 'connecting' | 'live' | 'retrying', error?: ApiError) => void;
}

const RETRY_MS = 2000;

function asApiError(error: unknown): ApiError {
  if (error instanceof SandboxApiError) {
    return new ApiError(error.status, error.code, error.problem?.title ?? 'Stream refused', error.detail);
  }
  return new ApiError(0, 'NETWORK', 'Stream lost', `the live stream was cut (${String(error)})`);
}

/** Opens the stream with the signed-in key and keeps it open until `signal` aborts. */
export async function openStream(
  query: { types: string[]; iccid?: string },
  handlers: StreamHandlers,
  signal: AbortSignal,
): Promise<void> {
  let lastEventId: string | undefined;
  while (!signal.aborted) {
    // The client yields events, not the moment the server accepted the stream: it counts as
    // live from the request on, and a refusal turns it to retrying with the problem.
    handlers.onState('live');
    try {
      for await (const event of clientStream({
        baseUrl: location.origin,
        apiKey: apiKey() ?? '',
        types: query.types,
        ...(query.iccid ? { iccid: query.iccid } : {}),
        ...(lastEventId ? { lastEventId } : {}),
        signal,
      })) {
        if (event.id) lastEventId = event.id;
        handlers.onEvent(event);
      }
      // The stream ended (the server restarted, a proxy closed it): reconnect.
      if (!signal.aborted) handlers.onState('retrying');
    } catch (error) {
      if (signal.aborted) return;
      handlers.onState('retrying', asApiError(error));
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}
