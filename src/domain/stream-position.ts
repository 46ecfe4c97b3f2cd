/**
 * The live stream's position: how far a client has read each source the stream follows, as
 * the SSE `id:` of every event (HTML Living Standard, Server-sent events): the request log's
 * id, the eSIM history's id, the reseller's webhook attempt and webhook event sequences. A
 * client that reconnects sends the last one back as `Last-Event-ID` and gets what came after
 * it in every source, as far as retention keeps it. Opaque to clients: `r.h.a.e` in decimal.
 */
import type { FieldViolation } from './errors.js';

/** The last position read in each source (0: before the first). */
export interface StreamPosition {
  /** request_log id. */
  request: number;
  /** esim_history id. */
  history: number;
  /** webhook_attempts seq of the reseller. */
  attempt: number;
  /** webhook_events seq of the reseller. */
  event: number;
}

const POSITION = /^(\d{1,16})\.(\d{1,16})\.(\d{1,16})\.(\d{1,16})$/;

/** The SSE id of a position. */
export function encodePosition(p: StreamPosition): string {
  return `${p.request}.${p.history}.${p.attempt}.${p.event}`;
}

/**
 * A `Last-Event-ID` value back to its position.
 * @returns the position, or the violation at `header.last-event-id` when it is not one of the stream's ids.
 */
export function decodePosition(
  value: string,
): { ok: true; position: StreamPosition } | { ok: false; violation: FieldViolation } {
  const match = POSITION.exec(value.trim());
  const numbers = match ? match.slice(1).map(Number) : [];
  if (!match || !numbers.every(Number.isSafeInteger))
    return {
      ok: false,
      violation: {
        path: 'header.last-event-id',
        message: 'must be the id of an event of this stream (four numbers separated by dots), as the stream sent it',
      },
    };
  const [request, history, attempt, event] = numbers as [number, number, number, number];
  return { ok: true, position: { request, history, attempt, event } };
}
