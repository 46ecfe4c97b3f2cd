/**
 * The `webhooks` of the OpenAPI document (OpenAPI 3.1 section 4.8.1): what the sandbox POSTs
 * to the reseller's endpoint, one entry per event type, so that a receiver can be generated
 * and checked from the document as the API client is. The bodies are the contract's TypeBox
 * schemas (the same ones that type the outbox events); the headers are those the dispatcher sends.
 */
import type { TSchema } from 'typebox';
import { WEBHOOK_EVENT_BODIES, WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../contract/webhooks.js';
import { MAX_ATTEMPTS } from '../domain/webhook-delivery.js';
import { WEBHOOK_USER_AGENT } from '../service/webhook-dispatcher.js';

/** Names of the webhook operations (`operationId`), one per event type. */
const OPERATION_IDS: Record<WebhookEventType, string> = {
  'order.completed': 'orderCompletedWebhook',
  'esim.status_changed': 'esimStatusChangedWebhook',
  'esim.usage_updated': 'esimUsageUpdatedWebhook',
};

const SUMMARIES: Record<WebhookEventType, string> = {
  'order.completed': 'An order committed',
  'esim.status_changed': "An eSIM's status changed",
  'esim.usage_updated': "An eSIM's data usage changed",
};

const DELIVERY_RULES =
  'Sent only while an endpoint is registered with this event type in its `events`. Delivery is at least once: ' +
  "deduplicate by the body's `id` (= `Sandbox-Event-Id`). One eSIM's events arrive in the order they happened, after " +
  "its order's order.completed. Verify `Sandbox-Signature` against the raw body before trusting it.";

const header = (name: string, description: string, schema: object) => ({
  name,
  in: 'header',
  required: true,
  description,
  schema,
});

/** The headers of a delivery of `type`, as src/service/webhook-dispatcher.ts sends them. */
function deliveryHeaders(type: WebhookEventType) {
  return [
    header(
      'Sandbox-Signature',
      '`t=<unix seconds>,v1=<hex>`: `t` is the real time of this attempt (a retry is signed again), `<hex>` the ' +
        "HMAC-SHA256 of `<t>.<raw body>` keyed with the endpoint's `secret` (its UTF-8 bytes). Compare in constant time " +
        'and refuse a `t` far from your clock (say 5 minutes), so a captured delivery cannot be replayed.',
      {
        type: 'string',
        pattern: '^t=[0-9]+,v1=[0-9a-f]{64}$',
        examples: ['t=1795953600,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd'],
      },
    ),
    header('Sandbox-Event-Id', "The event id, equal to the body's `id`: the same on every retry and redelivery.", {
      type: 'string',
      format: 'uuid',
      examples: ['6b1f0c3e-2d4a-4e8f-8c9b-5a7d3e1f2b60'],
    }),
    header('Sandbox-Event-Type', "The event type, equal to the body's `type`.", {
      type: 'string',
      const: type,
      examples: [type],
    }),
    header(
      'Sandbox-Delivery-Id',
      'The delivery (the `id` in `GET /v1/sandbox/webhook/deliveries`); a redelivery is a new one.',
      {
        type: 'string',
        format: 'uuid',
        examples: ['0f8e2c5a-7d41-4c3b-9b7e-2a6f1d9c4e85'],
      },
    ),
    header('Sandbox-Delivery-Attempt', `Attempt number of this delivery, 1 to ${MAX_ATTEMPTS}.`, {
      type: 'integer',
      minimum: 1,
      maximum: MAX_ATTEMPTS,
      examples: [1],
    }),
    header('User-Agent', "Identifies the sandbox's webhook sender.", {
      type: 'string',
      const: WEBHOOK_USER_AGENT,
      examples: [WEBHOOK_USER_AGENT],
    }),
  ];
}

/** The `post` operation delivering one event type. */
function deliveryOperation(type: WebhookEventType, body: TSchema & { description?: string }) {
  return {
    operationId: OPERATION_IDS[type],
    summary: SUMMARIES[type],
    description: `${body.description ?? SUMMARIES[type]}\n\n${DELIVERY_RULES}`,
    // No tags: swagger-ui lists a document tag without path operations as an empty group, and
    // shows webhooks in a section of their own anyway. No bearer key: the receiver checks the signature.
    security: [],
    parameters: deliveryHeaders(type),
    requestBody: {
      required: true,
      description: `The ${type} event.`,
      content: { 'application/json': { schema: body } },
    },
    responses: {
      '2XX': { description: 'Delivered: any 2xx status within 10 seconds; the body is ignored.' },
      default: {
        description:
          `Anything else (another status, a timeout, a refused connection) is retried after about 1, 2, 4, 8, 16, 32 and 64 s ` +
          `(WEBHOOK_BACKOFF_MS x 2^(n-1), between half and all of it at random), ${MAX_ATTEMPTS} attempts in all; then the ` +
          'delivery is `failed` (redeliver it with `POST /v1/sandbox/webhook/deliveries/{deliveryId}/redeliver`).',
      },
    },
  };
}

/**
 * The document's `webhooks` object: `{ "<event type>": { post: operation } }`. The bodies are
 * given inline (the TypeBox schemas); the document's post-processing turns them into `$ref`s
 * to their shared components, as for the routes.
 */
export function webhooksObject() {
  return Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => [type, { post: deliveryOperation(type, WEBHOOK_EVENT_BODIES[type]) }]),
  );
}
