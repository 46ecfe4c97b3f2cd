/**
 * The reseller's webhook endpoint under `/v1/sandbox/webhook` and its delivery log
 * (DESIGN.md section 3: PUT answers 201 when it creates, 200 when it replaces).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NoQuery } from '../../contract/common.js';
import {
  DeliveryIdParams,
  DeliveryPage,
  DeliveryQuery,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookRegistration,
} from '../../contract/webhooks.js';
import { webhookUrlViolations } from '../../domain/webhook-delivery.js';
import type { WebhookService } from '../../service/webhooks.js';
import { refuseBody } from '../no-body.js';
import { limitPerMinute } from '../rate-limit.js';
import { responses } from '../responses.js';
import { STANDARD_LIMIT_PER_MINUTE, rateLimitText } from '../../contract/rate-limits.js';

const SIGNING =
  'Each delivery is a POST of `{id, type, createdAt, data}` (JSON) with `Sandbox-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 ' +
  'of "<t>.<raw body>" keyed with the secret>`, plus `Sandbox-Event-Id`, `Sandbox-Event-Type`, `Sandbox-Delivery-Id` and ' +
  '`Sandbox-Delivery-Attempt`. A delivery succeeds on any 2xx within 10 s; otherwise it is retried with exponential backoff and ' +
  "jitter, up to 8 attempts in all. One eSIM's events arrive in the order they happened, after its order's order.completed.";

export const webhookRoutes: FastifyPluginAsyncTypebox<{ webhooks: WebhookService }> = async (app, { webhooks }) => {
  app.put(
    '/sandbox/webhook',
    {
      config: {
        ...limitPerMinute(STANDARD_LIMIT_PER_MINUTE),
        bodyRules: (body) =>
          typeof (body as { url?: unknown })?.url === 'string'
            ? webhookUrlViolations((body as { url: string }).url)
            : [],
      },
      schema: {
        operationId: 'putWebhook',
        tags: ['Sandbox'],
        summary: 'Register or replace the webhook endpoint (sandbox only)',
        description:
          'Registers the URL that receives order.completed, esim.status_changed (any change of contract status, profile provision or ' +
          'install status, or isServiceRestricted: emergency control, lifecycle events and the sandbox clock alike) and ' +
          'esim.usage_updated events, or ' +
          'replaces it. Answers 201 with the new signing secret when the endpoint is new, 200 when it replaces one (the secret is ' +
          `kept). One endpoint per reseller. ${SIGNING} ${rateLimitText(STANDARD_LIMIT_PER_MINUTE)}`,
        querystring: NoQuery,
        body: WebhookRegistration,
        response: responses({
          status: 201,
          description: 'The endpoint, newly registered, with its new signing secret',
          schema: WebhookEndpoint,
          alternatives: [{ status: 200, description: 'The endpoint, replaced; the signing secret is unchanged' }],
          problems: ['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
        }),
      },
    },
    async (request, reply) => {
      const { endpoint, created } = await webhooks.register(request.reseller.id, request.body);
      return reply.code(created ? 201 : 200).send(endpoint);
    },
  );

  app.get(
    '/sandbox/webhook',
    {
      config: limitPerMinute(STANDARD_LIMIT_PER_MINUTE),
      schema: {
        operationId: 'getWebhook',
        tags: ['Sandbox'],
        summary: 'Read the webhook endpoint (sandbox only)',
        description:
          'The registered endpoint with its signing secret; 404 WEBHOOK_NOT_FOUND when none is. ' +
          rateLimitText(STANDARD_LIMIT_PER_MINUTE),
        querystring: NoQuery,
        response: responses({
          status: 200,
          description: 'The endpoint',
          schema: WebhookEndpoint,
          problems: ['WEBHOOK_NOT_FOUND'],
        }),
      },
    },
    async (request) => webhooks.endpoint(request.reseller.id),
  );

  app.delete(
    '/sandbox/webhook',
    {
      config: limitPerMinute(STANDARD_LIMIT_PER_MINUTE),
      schema: {
        operationId: 'deleteWebhook',
        tags: ['Sandbox'],
        summary: 'Delete the webhook endpoint (sandbox only)',
        description:
          'Stops deliveries: pending ones are cancelled, the delivery log stays. Registering again makes a new signing secret. ' +
          '404 WEBHOOK_NOT_FOUND when none is registered. Takes no body (or an empty JSON object). ' +
          rateLimitText(STANDARD_LIMIT_PER_MINUTE),
        querystring: NoQuery,
        response: responses({
          status: 204,
          description: 'Deleted (no body)',
          problems: ['WEBHOOK_NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
        }),
      },
    },
    async (request, reply) => {
      refuseBody(request.body, 'delete');
      await webhooks.delete(request.reseller.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/sandbox/webhook/deliveries',
    {
      config: limitPerMinute(STANDARD_LIMIT_PER_MINUTE),
      schema: {
        operationId: 'listWebhookDeliveries',
        tags: ['Sandbox'],
        summary: 'List webhook deliveries (sandbox only)',
        description:
          'Every delivery of the reseller, newest first, with each attempt: when it started, how long it took, the status code the ' +
          'receiver answered or why no answer came. Status pending (waiting for an attempt, or for an earlier event of the same ' +
          `eSIM), succeeded, failed (8 attempts without a 2xx) or cancelled (the endpoint was deleted). ${SIGNING} ` +
          rateLimitText(STANDARD_LIMIT_PER_MINUTE),
        querystring: DeliveryQuery,
        response: responses({ status: 200, description: 'A page of deliveries', schema: DeliveryPage }),
      },
    },
    async (request) => webhooks.deliveries(request.reseller.id, request.query.page ?? 1, request.query.limit ?? 20),
  );

  app.post(
    '/sandbox/webhook/deliveries/:deliveryId/redeliver',
    {
      config: limitPerMinute(STANDARD_LIMIT_PER_MINUTE),
      schema: {
        operationId: 'redeliverWebhook',
        tags: ['Sandbox'],
        summary: 'Send a delivery again (sandbox only)',
        description:
          'Queues the same event (same id, same body bytes, a fresh signature) as a new delivery to the endpoint as registered now, ' +
          'due at once and outside the per-eSIM order. Answers 202 with the new delivery; follow it in the delivery list. ' +
          '404 DELIVERY_NOT_FOUND for an unknown delivery, 409 WEBHOOK_NOT_REGISTERED when no endpoint is registered. Takes no ' +
          'body (or an empty JSON object). ' +
          rateLimitText(STANDARD_LIMIT_PER_MINUTE),
        querystring: NoQuery,
        params: DeliveryIdParams,
        response: responses({
          status: 202,
          description: 'The new delivery, queued',
          schema: WebhookDelivery,
          problems: ['DELIVERY_NOT_FOUND', 'WEBHOOK_NOT_REGISTERED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
        }),
      },
    },
    async (request, reply) => {
      refuseBody(request.body, 'redeliver');
      return reply.code(202).send(await webhooks.redeliver(request.reseller.id, request.params.deliveryId));
    },
  );
};
