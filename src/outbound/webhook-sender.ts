/**
 * Sends one webhook delivery: a POST of the JSON body with the signature headers, over
 * node:http or node:https, with a time limit and the destination guard. Never throws:
 * every failure becomes an attempt without a status code and with the reason.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, refusal, RefusedDestination } from './destinations.js';

/** What the sender needs for one attempt. */
export interface OutgoingWebhook {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** The whole attempt (connect, send, response headers) must take at most this long. */
  timeoutMs: number;
  allowPrivate: boolean;
  /** Aborts the attempt (the sandbox is shutting down): it then ends with `aborted` true. */
  signal?: AbortSignal;
}

/** What one attempt gave. */
export interface SendResult {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** The attempt was cut short by `signal`: the receiver may or may not have the event. */
  aborted: boolean;
}

/** Response bodies are read (to free the connection) up to this size and ignored. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** POSTs the webhook; resolves once the receiver's status is known or the attempt failed. */
export function sendWebhook(webhook: OutgoingWebhook): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (statusCode: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      resolve({
        statusCode,
        error,
        durationMs: elapsed(),
        aborted: webhook.signal?.aborted === true && statusCode === null,
      });
    };
    let url: URL;
    try {
      url = new URL(webhook.url);
    } catch {
      finish(null, 'the endpoint URL is not valid');
      return;
    }
    // An IP literal needs no lookup, so the guard judges it here.
    const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (!webhook.allowPrivate && isIP(literal)) {
      const why = refusal(url.hostname, [{ address: literal, family: isIP(literal) }]);
      if (why !== null) return finish(null, why);
    }
    const client = url.protocol === 'https:' ? https : http;
    const lookup = guardedLookup(webhook.allowPrivate);
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: {
          ...webhook.headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(webhook.body)),
        },
        timeout: webhook.timeoutMs,
        agent: false,
        ...(webhook.signal ? { signal: webhook.signal } : {}),
        ...(lookup ? { lookup } : {}),
      },
      (response) => {
        finish(response.statusCode ?? null, null);
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) response.destroy();
        });
        response.on('error', () => {});
        response.resume();
      },
    );
    const timer = setTimeout(() => {
      request.destroy(new Error(`no response within ${webhook.timeoutMs} ms`));
    }, webhook.timeoutMs);
    request.on('timeout', () => request.destroy(new Error(`no response within ${webhook.timeoutMs} ms`)));
    request.on('error', (error: Error & { code?: string }) => {
      clearTimeout(timer);
      finish(null, error instanceof RefusedDestination ? error.message : describe(error));
    });
    request.on('close', () => clearTimeout(timer));
    request.end(webhook.body);
  });
}

function describe(error: Error & { code?: string }): string {
  if (error.code === 'ECONNREFUSED') return 'connection refused';
  if (error.code === 'ENOTFOUND') return 'the host name does not resolve';
  if (error.code === 'ECONNRESET') return 'the connection was reset';
  return error.code ? `${error.code}: ${error.message}` : error.message;
}
