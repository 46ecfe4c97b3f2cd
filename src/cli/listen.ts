/**
 * `esim-sandbox listen --forward-to <url>`: the reseller's webhook events, read from the live
 * stream (`webhook.event`, no public URL needed), each POSTed to a local URL signed like a
 * real delivery (docs/webhooks.md) with the CLI's own persistent secret, one line per event
 * with the local answer's status.
 */
import type { StreamEvent } from '../client/index.js';
import { signatureHeader } from '../domain/webhook-delivery.js';
import { WEBHOOK_USER_AGENT } from '../service/webhook-dispatcher.js';
import type { CommandContext } from './context.js';
import { listenSecret } from './listen-secret.js';
import { followStream } from './stream-loop.js';
import { UsageError } from './usage.js';

/** A `webhook.event` of the stream: `payload` is the exact JSON body a delivery sends. */
interface WebhookEvent {
  id: string;
  type: string;
  createdAt: string;
  payload: unknown;
}

/** How long the local receiver may take to answer, in ms (as a real delivery allows). */
const FORWARD_TIMEOUT_MS = 10_000;

export async function listen(context: CommandContext): Promise<number> {
  const target = context.values['forward-to'];
  let url: URL;
  try {
    url = new URL(String(target));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new UsageError(`--forward-to must be an http or https URL, got "${String(target)}"`, 'listen');
  }
  const { secret, file } = listenSecret(context.io.env);
  let forwarded = 0;
  return followStream(
    context,
    ['webhook.event'],
    () => {
      if (context.json) context.print(JSON.stringify({ ready: true, forwardTo: url.href, secret }));
      else {
        // The secret first: a script waiting for "Ready." has it by then.
        context.print(`Signing secret: ${secret} (kept in ${file}; the same on every run)`);
        context.print(`Ready. Forwarding webhook events to ${url.href}`);
      }
    },
    async (event: StreamEvent) => {
      if (event.type !== 'webhook.event') return;
      const webhook = event.data as WebhookEvent;
      forwarded += 1;
      const body = JSON.stringify(webhook.payload);
      const started = Date.now();
      let status: number | null = null;
      let error: string | null = null;
      try {
        const response = await fetch(url, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json',
            'user-agent': WEBHOOK_USER_AGENT,
            'sandbox-signature': signatureHeader(secret, Math.floor(Date.now() / 1000), body),
            'sandbox-event-id': webhook.id,
            'sandbox-event-type': webhook.type,
            'sandbox-delivery-id': `listen-${event.id ?? forwarded}`,
            'sandbox-delivery-attempt': '1',
          },
          signal: AbortSignal.any([context.io.signal, AbortSignal.timeout(FORWARD_TIMEOUT_MS)]),
        });
        status = response.status;
        await response.body?.cancel();
      } catch (cause) {
        if (context.io.signal.aborted) return;
        error = cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
      }
      const durationMs = Date.now() - started;
      if (context.json)
        context.print(
          JSON.stringify({
            eventId: webhook.id,
            type: webhook.type,
            createdAt: webhook.createdAt,
            status,
            error,
            durationMs,
          }),
        );
      else
        context.print(
          `${webhook.createdAt}  ${webhook.type}  ${webhook.id}  -> ${status !== null ? `[${status}]` : `failed: ${error}`} ${durationMs} ms`,
        );
    },
  );
}
