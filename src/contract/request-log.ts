/**
 * The request log (`GET /v1/sandbox/requests`, `GET /v1/sandbox/requests/{id}`) and the live
 * stream's events (`GET /v1/sandbox/stream`): what a reseller's integration sent and what the
 * sandbox answered, per request, and what changed as it happened. Each schema here feeds
 * validation, serialization, the TypeScript types and the OpenAPI document.
 */
import { Type, type Static } from 'typebox';
import { EXAMPLE_ICCIDS, EXAMPLE_TRANSACTION_ID } from './common.js';
import { EsimHistoryEntry } from './history.js';
import { PageCursor, PageLimit, PageOf } from './pagination.js';
import { WEBHOOK_EVENT_TYPES } from './webhooks.js';

const EXAMPLE_REQUEST_ID = '3f1c2b7e-8a4d-4b0e-9a51-0c6f0f3d2a10';
const EXAMPLE_INSTANT = '2026-01-22T10:30:00.123Z';

const nullable = <T>(schema: Record<string, unknown>) =>
  Type.Unsafe<T | null>({ ...schema, type: [schema.type as string, 'null'] });

const Body = (side: 'request' | 'response') =>
  Type.Unknown({
    description:
      side === 'request'
        ? 'The request body: its JSON value when it is JSON of at most 16 KiB; otherwise its first 16 KiB as text (`truncated.request` true when cut); null when the request had none (or it could not be read, as for a body Fastify refused).'
        : 'The response body the sandbox committed to send (for a dropped or truncated response too): its JSON value when JSON of at most 16 KiB, otherwise its first 16 KiB as text (`truncated.response` true when cut); null for none. A webhook signing secret reads "[redacted]".',
    examples: [side === 'request' ? { planCode: 'KD0001', quantity: 1 } : { transactionId: EXAMPLE_TRANSACTION_ID }],
  });

const Headers = (side: 'request' | 'response') =>
  Type.Record(Type.String(), Type.String(), {
    description:
      side === 'request'
        ? 'The request headers, names in lower case (repeated ones joined with ", "). Authorization is kept as `Bearer …` and the last 4 characters of the key, never the key.'
        : 'The response headers as set by the sandbox, names in lower case.',
    examples: [
      side === 'request'
        ? { authorization: 'Bearer …y-01', 'content-type': 'application/json' }
        : { 'content-type': 'application/json; charset=utf-8', 'x-request-id': EXAMPLE_REQUEST_ID },
    ],
  });

/** The fields of an entry the stream's `request` event carries (all but the bodies). */
const entryFields = {
  id: Type.String({
    pattern: '^[1-9][0-9]{0,15}$',
    description:
      "The entry's id (`GET /v1/sandbox/requests/{id}`): a string of digits, numerically increasing in the order entries were stored.",
    examples: ['5120'],
  }),
  requestId: Type.String({
    description: 'The X-Request-Id of the request (yours when valid, else the UUID the sandbox gave it).',
    examples: [EXAMPLE_REQUEST_ID],
  }),
  receivedAt: Type.String({
    format: 'date-time',
    description: 'When the request arrived, in real time (ISO 8601 UTC, milliseconds).',
    examples: [EXAMPLE_INSTANT],
  }),
  sandboxTime: Type.String({
    format: 'date-time',
    description:
      "receivedAt on the reseller's sandbox clock (ISO 8601 UTC, milliseconds), with the clock's offset as it stood when the entry was stored (within a second of the response).",
    examples: ['2026-03-01T10:30:00.123Z'],
  }),
  method: Type.String({ description: 'The HTTP method.', examples: ['POST'] }),
  path: Type.String({ description: 'The path, without the query string.', examples: ['/v1/orders'] }),
  query: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]), {
    description: 'The query parameters as sent (a repeated one as an array).',
    examples: [{ countryCode: 'JP' }],
  }),
  operationId: nullable<string>({
    type: 'string',
    description: 'The OpenAPI operationId of the route; null when the path matched none.',
    examples: ['createOrder'],
  }),
  status: Type.Integer({
    description: 'The HTTP status the sandbox answered (or committed to, for a dropped or truncated response).',
    examples: [201],
  }),
  durationMs: Type.Number({
    minimum: 0,
    description: 'Milliseconds from receipt to the response sent, or cut short by a fault (to the microsecond).',
    examples: [12.345],
  }),
  idempotencyKey: nullable<string>({
    type: 'string',
    description: 'The Idempotency-Key header, or null.',
    examples: ['order-2026-01-22-001'],
  }),
  idempotentReplayed: Type.Boolean({
    description: 'True when the answer was the replay of a stored response (Idempotent-Replayed: true).',
    examples: [false],
  }),
  fault: nullable<string>({
    type: 'string',
    description:
      'The Sandbox-Fault value the sandbox honoured (drop-response, truncate-response, delay=<ms>, error=<status>); null when none was (no header, an invalid one, SANDBOX_FAULTS=off, or a request refused before faults apply).',
    examples: ['drop-response'],
  }),
  problemCode: nullable<string>({
    type: 'string',
    description: 'The `code` of the problem answered (VALIDATION_ERROR, RATE_LIMITED, ...); null for a success.',
    examples: ['VALIDATION_ERROR'],
  }),
  requestHeaders: Headers('request'),
  responseHeaders: Headers('response'),
  truncated: Type.Object(
    {
      request: Type.Boolean({
        description: 'The request body was longer than 16 KiB or not JSON, and cut.',
        examples: [false],
      }),
      response: Type.Boolean({ description: 'The response body was longer than 16 KiB, and cut.', examples: [false] }),
    },
    {
      additionalProperties: false,
      description: 'Whether each body was kept only in part (its first 16 KiB, as text).',
    },
  ),
  iccids: Type.Array(Type.String(), {
    description:
      'Every ICCID the request named (path, body) or the answer produced or showed (all of them for an order of 1,000).',
    examples: [[EXAMPLE_ICCIDS[0]]],
  }),
  transactionId: nullable<string>({
    type: 'string',
    description: 'The order the request created or read, or null.',
    examples: [EXAMPLE_TRANSACTION_ID],
  }),
};

/** One request as the log keeps it. */
export const RequestLogEntry = Type.Object(
  { ...entryFields, requestBody: Body('request'), responseBody: Body('response') },
  { additionalProperties: false, description: 'One request of the reseller and the answer it got.' },
);
export type RequestLogEntry = Static<typeof RequestLogEntry>;

/** An entry without its bodies: the stream's `request` event. */
export const RequestLogSummary = Type.Object(entryFields, {
  additionalProperties: false,
  description: 'A request log entry without requestBody and responseBody (read the entry by id for them).',
});
export type RequestLogSummary = Static<typeof RequestLogSummary>;

/** Response of `GET /v1/sandbox/requests`. */
export const RequestLogPage = PageOf(RequestLogEntry, 'Entries, newest first.');
export type RequestLogPage = Static<typeof RequestLogPage>;

/** Query of `GET /v1/sandbox/requests`: the page and the filters (all must match). */
export const RequestLogQuery = Type.Object(
  {
    limit: PageLimit('entries'),
    cursor: PageCursor,
    method: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z]{1,16}$',
        description: 'Only this HTTP method (any case).',
        examples: ['POST'],
      }),
    ),
    operationId: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_]{1,64}$',
        description: 'Only this operation (its OpenAPI operationId).',
        examples: ['createOrder'],
      }),
    ),
    status: Type.Optional(
      Type.String({
        pattern: '^([1-5][0-9][0-9]|[1-5]xx)$',
        description: 'Only this status (`429`) or class of statuses (`4xx`).',
        examples: ['4xx'],
      }),
    ),
    iccid: Type.Optional(
      Type.String({
        pattern: '^[0-9]{1,22}$',
        description: 'Only requests that named or produced this ICCID.',
        examples: [EXAMPLE_ICCIDS[0]],
      }),
    ),
    transactionId: Type.Optional(
      Type.String({
        maxLength: 64,
        description: 'Only requests that created or read this order.',
        examples: [EXAMPLE_TRANSACTION_ID],
      }),
    ),
    requestId: Type.Optional(
      Type.String({
        maxLength: 128,
        description: 'Only the request with this X-Request-Id.',
        examples: [EXAMPLE_REQUEST_ID],
      }),
    ),
    idempotencyKey: Type.Optional(
      Type.String({
        maxLength: 255,
        description: 'Only requests with this Idempotency-Key.',
        examples: ['order-2026-01-22-001'],
      }),
    ),
    since: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'Only requests received at or after this instant (real time, ISO 8601).',
        examples: ['2026-01-22T10:00:00Z'],
      }),
    ),
  },
  { additionalProperties: false },
);
export type RequestLogQuery = Static<typeof RequestLogQuery>;

/** Path of `GET /v1/sandbox/requests/{id}`. */
export const RequestLogIdParams = Type.Object(
  {
    id: Type.String({
      pattern: '^[1-9][0-9]{0,15}$',
      description: "The entry's id, as the log gives it.",
      examples: ['5120'],
    }),
  },
  { additionalProperties: false },
);

/** The stream's event types. */
export const STREAM_EVENT_TYPES = ['request', 'esim.changed', 'webhook.attempt', 'webhook.event'] as const;
export type StreamEventType = (typeof STREAM_EVENT_TYPES)[number];

/** Query of `GET /v1/sandbox/stream`. */
export const StreamQuery = Type.Object(
  {
    types: Type.Optional(
      Type.String({
        pattern: `^(${STREAM_EVENT_TYPES.map((t) => t.replace('.', '\\.')).join('|')})(,(${STREAM_EVENT_TYPES.map((t) => t.replace('.', '\\.')).join('|')}))*$`,
        description: `Comma-separated event types to receive (default all): ${STREAM_EVENT_TYPES.join(', ')}.`,
        examples: ['request,esim.changed'],
      }),
    ),
    iccid: Type.Optional(
      Type.String({
        pattern: '^[0-9]{1,22}$',
        description:
          'Only events about this eSIM: requests that named or produced it, its changes, attempts and events of its deliveries.',
        examples: [EXAMPLE_ICCIDS[0]],
      }),
    ),
  },
  { additionalProperties: false },
);
export type StreamQuery = Static<typeof StreamQuery>;

/** The stream's `esim.changed` event: a history entry and its eSIM. */
export const EsimChangedEvent = Type.Object(
  {
    iccid: Type.String({ description: 'The eSIM that changed.', examples: [EXAMPLE_ICCIDS[0]] }),
    ...EsimHistoryEntry.properties,
  },
  { additionalProperties: false, description: 'A new entry of an eSIM history, with its ICCID.' },
);
export type EsimChangedEvent = Static<typeof EsimChangedEvent>;

/** The stream's `webhook.attempt` event. */
export const WebhookAttemptEvent = Type.Object(
  {
    deliveryId: Type.String({
      format: 'uuid',
      description: 'The delivery attempted.',
      examples: ['5b0c6a1e-2f7d-4c1a-9e3b-8d4f2a6c7e10'],
    }),
    eventId: Type.String({
      format: 'uuid',
      description: 'The event it delivers.',
      examples: ['9d2f7c1a-3b4e-4f5a-8c6d-7e8f9a0b1c2d'],
    }),
    eventType: Type.Enum(WEBHOOK_EVENT_TYPES, { description: 'The event type.', examples: ['esim.status_changed'] }),
    iccid: nullable<string>({
      type: 'string',
      description: 'The eSIM of the event; null for order.completed.',
      examples: [EXAMPLE_ICCIDS[0]],
    }),
    attempt: Type.Integer({ minimum: 1, description: 'The attempt number (1 to 8).', examples: [1] }),
    statusCode: nullable<number>({
      type: 'integer',
      description: "The receiver's HTTP status; null when none came (timeout, refused connection).",
      examples: [200],
    }),
    durationMs: Type.Integer({ minimum: 0, description: 'How long the attempt took, in ms.', examples: [38] }),
    error: nullable<string>({
      type: 'string',
      description: 'Why it failed without a status, or null.',
      examples: ['connect ECONNREFUSED 127.0.0.1:9'],
    }),
    attemptedAt: Type.String({
      format: 'date-time',
      description: 'When the attempt started (real time).',
      examples: [EXAMPLE_INSTANT],
    }),
  },
  { additionalProperties: false, description: 'One delivery attempt of a webhook event.' },
);
export type WebhookAttemptEvent = Static<typeof WebhookAttemptEvent>;

/** The stream's `webhook.event` event: every event generated, endpoint or not. */
export const WebhookEventEvent = Type.Object(
  {
    id: Type.String({
      format: 'uuid',
      description: "The event id (the body's `id`).",
      examples: ['9d2f7c1a-3b4e-4f5a-8c6d-7e8f9a0b1c2d'],
    }),
    type: Type.Enum(WEBHOOK_EVENT_TYPES, { description: 'The event type.', examples: ['order.completed'] }),
    createdAt: Type.String({
      format: 'date-time',
      description: "When it happened, on the reseller's sandbox clock.",
      examples: [EXAMPLE_INSTANT],
    }),
    payload: Type.Unknown({
      description:
        'Exactly the JSON body a delivery of the event sends (`{id, type, createdAt, data}`), whether or not an endpoint is registered: sign it yourself to forward it.',
      examples: [
        { id: '9d2f7c1a-3b4e-4f5a-8c6d-7e8f9a0b1c2d', type: 'order.completed', createdAt: EXAMPLE_INSTANT, data: {} },
      ],
    }),
  },
  { additionalProperties: false, description: 'A webhook event the sandbox generated for the reseller.' },
);
export type WebhookEventEvent = Static<typeof WebhookEventEvent>;

/** Every stream event, as the OpenAPI document describes the `text/event-stream` body: `{event, id, data}`. */
export const StreamEvent = Type.Union(
  [
    streamEvent('request', RequestLogSummary),
    streamEvent('esim.changed', EsimChangedEvent),
    streamEvent('webhook.attempt', WebhookAttemptEvent),
    streamEvent('webhook.event', WebhookEventEvent),
  ],
  {
    description:
      'One Server-Sent Event: `id: <opaque position>`, `event: <type>`, `data: <one line of JSON>`, then an empty line. A comment line `: heartbeat` comes every 15 s.',
  },
);

function streamEvent<T extends ReturnType<typeof Type.Object>>(type: StreamEventType, data: T) {
  return Type.Object(
    {
      id: Type.String({
        description: 'The position after this event: send it back as Last-Event-ID to resume.',
        examples: ['5120.1042.7.318'],
      }),
      event: Type.Enum([type], { description: 'The event type.', examples: [type] }),
      data,
    },
    { additionalProperties: false, description: `A \`${type}\` event.` },
  );
}
