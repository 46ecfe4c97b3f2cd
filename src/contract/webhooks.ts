/**
 * The webhook contract: the reseller's one endpoint under `/v1/sandbox/webhook`,
 * the events it can receive, the body of each delivery and the delivery log.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { EXAMPLE_ICCIDS, EXAMPLE_TRANSACTION_ID } from './common.js';
import { CONTRACT_STATUSES, Esim, INSTALL_STATUSES, PROVISION_STATUSES } from './esims.js';

/** The event types, in the order docs/webhooks.md lists them. */
export const WEBHOOK_EVENT_TYPES = ['order.completed', 'esim.status_changed', 'esim.usage_updated'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Longest endpoint URL accepted (the de facto browser limit; a webhook URL is far shorter). */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

const EXAMPLE_URL = 'https://reseller.example/webhooks/esim-sandbox';
const EXAMPLE_SECRET = 'whsec_3q2-7wEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const EXAMPLE_DELIVERY_ID = '0f8e2c5a-7d41-4c3b-9b7e-2a6f1d9c4e85';
const EXAMPLE_EVENT_ID = '6b1f0c3e-2d4a-4e8f-8c9b-5a7d3e1f2b60';

const EventTypeSchema = Type.Enum([...WEBHOOK_EVENT_TYPES], {
  description:
    'order.completed: an order committed (its transactionId and ICCIDs). esim.status_changed: the contract status, profile ' +
    'provision status, profile install status or isServiceRestricted of an eSIM changed, by an API call, a lifecycle event or ' +
    'the sandbox clock. ' +
    'esim.usage_updated: the daily data usage list of an eSIM changed.',
  examples: ['esim.status_changed'],
});

/** Body of `PUT /v1/sandbox/webhook`. */
export const WebhookRegistration = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: MAX_WEBHOOK_URL_LENGTH,
      description:
        'Absolute http or https URL that receives the events as POST requests, without user name, password or fragment. ' +
        'With WEBHOOK_ALLOW_PRIVATE=false its host must not resolve to a loopback, private or link-local address.',
      examples: [EXAMPLE_URL],
    }),
    events: Type.Optional(
      Type.Array(EventTypeSchema, {
        minItems: 1,
        uniqueItems: true,
        description: 'The event types to receive; all of them when omitted.',
        examples: [['order.completed', 'esim.status_changed']],
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [{ url: EXAMPLE_URL, events: ['order.completed', 'esim.status_changed', 'esim.usage_updated'] }],
  },
);
export type WebhookRegistration = Static<typeof WebhookRegistration>;

/** The registered endpoint, as `PUT` and `GET /v1/sandbox/webhook` answer it. */
export const WebhookEndpoint = Type.Object(
  {
    url: Type.String({ description: 'The URL events are POSTed to.', examples: [EXAMPLE_URL] }),
    events: Type.Array(EventTypeSchema, {
      description: 'The event types sent to it.',
      examples: [[...WEBHOOK_EVENT_TYPES]],
    }),
    secret: Type.String({
      description:
        'The signing secret: each delivery carries `Sandbox-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" ' +
        'keyed with this secret (its UTF-8 bytes)>`. Replacing the endpoint keeps it; deleting it and registering again makes a new one.',
      examples: [EXAMPLE_SECRET],
    }),
    createdAt: Type.String({
      format: 'date-time',
      description: 'When the endpoint was registered (UTC, real time).',
      examples: ['2026-11-29T12:00:00.000Z'],
    }),
    updatedAt: Type.String({
      format: 'date-time',
      description: 'When it was last replaced (UTC, real time).',
      examples: ['2026-11-29T12:00:00.000Z'],
    }),
  },
  { additionalProperties: false },
);
export type WebhookEndpoint = Static<typeof WebhookEndpoint>;

/** The status fields an `esim.status_changed` event reports before and after. */
export const EsimStatusSnapshot = Type.Object(
  {
    contractStatus: Type.Enum([...CONTRACT_STATUSES], { description: 'Contract status', examples: ['ACTIVE'] }),
    profileProvisionStatus: Type.Enum([...PROVISION_STATUSES], {
      description: 'Profile provision status',
      examples: ['AVAILABLE'],
    }),
    profileInstallStatus: Type.Enum([...INSTALL_STATUSES], {
      description: 'Profile install status',
      examples: ['READY'],
    }),
    isServiceRestricted: Type.Boolean({
      description: 'Whether the service is restricted (suspended)',
      examples: [false],
    }),
  },
  { additionalProperties: false },
);
export type EsimStatusSnapshot = Static<typeof EsimStatusSnapshot>;

/** One delivery attempt: when, how long, and what the receiver answered. */
export const WebhookAttempt = Type.Object(
  {
    attempt: Type.Integer({
      minimum: 1,
      maximum: 8,
      description: 'Attempt number (1 to 8) of this delivery.',
      examples: [1],
    }),
    url: Type.String({ description: 'The URL it was sent to (the endpoint at that moment).', examples: [EXAMPLE_URL] }),
    startedAt: Type.String({
      format: 'date-time',
      description: 'When the request started (UTC, real time).',
      examples: ['2026-11-29T12:00:00.120Z'],
    }),
    durationMs: Type.Integer({
      minimum: 0,
      description: 'Milliseconds until the response headers came, or the failure.',
      examples: [42],
    }),
    statusCode: Type.Union([Type.Integer({ minimum: 100, maximum: 599 }), Type.Null()], {
      description:
        "The receiver's HTTP status; null when no response came (refused, timeout, DNS, a refused destination).",
      examples: [200],
    }),
    error: Type.Union([Type.String(), Type.Null()], {
      description: 'Why the attempt failed without a status, or null.',
      examples: [null],
    }),
  },
  { additionalProperties: false },
);
export type WebhookAttempt = Static<typeof WebhookAttempt>;

export const DELIVERY_STATES = ['pending', 'succeeded', 'failed', 'cancelled'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** A delivery of one event to the endpoint, with its attempts. */
export const WebhookDelivery = Type.Object(
  {
    id: Type.String({
      format: 'uuid',
      description: 'Delivery id (redeliver with it).',
      examples: [EXAMPLE_DELIVERY_ID],
    }),
    eventId: Type.String({
      format: 'uuid',
      description: 'The event id: the `id` of the body (a redelivery sends the same event).',
      examples: [EXAMPLE_EVENT_ID],
    }),
    eventType: EventTypeSchema,
    iccid: Type.Union([Type.String(), Type.Null()], {
      description: 'The eSIM of an esim.* event, else null.',
      examples: [EXAMPLE_ICCIDS[0]],
    }),
    status: Type.Enum([...DELIVERY_STATES], {
      description:
        'pending: waiting for its next attempt (or for an earlier event of the same eSIM); succeeded: the receiver answered 2xx; ' +
        'failed: 8 attempts without a 2xx; cancelled: the endpoint was deleted first.',
      examples: ['succeeded'],
    }),
    attempts: Type.Array(WebhookAttempt, { description: 'The attempts so far, first first.' }),
    nextAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'When the next attempt is due (UTC, real time), null unless pending.',
      examples: [null],
    }),
    redeliveryOf: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
      description: 'The delivery this one resends, or null.',
      examples: [null],
    }),
    createdAt: Type.String({
      format: 'date-time',
      description: 'When the delivery was queued (UTC, real time).',
      examples: ['2026-11-29T12:00:00.100Z'],
    }),
  },
  { additionalProperties: false },
);
export type WebhookDelivery = Static<typeof WebhookDelivery>;

/** Query of `GET /v1/sandbox/webhook/deliveries`. */
export const DeliveryQuery = Type.Object(
  {
    page: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: Number.MAX_SAFE_INTEGER,
        default: 1,
        description: 'Page number (1-based)',
        examples: [1],
      }),
    ),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 200,
        default: 20,
        description: 'Deliveries per page (1-200)',
        examples: [20],
      }),
    ),
  },
  { additionalProperties: false },
);
export type DeliveryQuery = Static<typeof DeliveryQuery>;

/** A page of deliveries, newest first. */
export const DeliveryPage = Type.Object(
  {
    items: Type.Array(WebhookDelivery, { description: 'Deliveries, newest first' }),
    meta: Type.Object(
      {
        total: Type.Integer({ minimum: 0, description: 'Number of deliveries kept for this reseller.', examples: [3] }),
        page: Type.Integer({ minimum: 1, description: 'This page (1-based).', examples: [1] }),
        limit: Type.Integer({ minimum: 1, maximum: 200, description: 'Items per page.', examples: [20] }),
        totalPages: Type.Integer({ minimum: 0, description: 'ceil(total / limit).', examples: [1] }),
      },
      { additionalProperties: false, description: 'Pagination metadata' },
    ),
  },
  { additionalProperties: false },
);
export type DeliveryPage = Static<typeof DeliveryPage>;

/** Path of `POST /v1/sandbox/webhook/deliveries/{deliveryId}/redeliver`. */
export const DeliveryIdParams = Type.Object(
  {
    deliveryId: Type.String({
      format: 'uuid',
      description: 'A delivery id from the delivery list',
      examples: [EXAMPLE_DELIVERY_ID],
    }),
  },
  { additionalProperties: false },
);

const EXAMPLE_PLAN_CODE = 'KD0001';

/** `data` of an order.completed event: the order as committed. */
export const OrderCompletedData = Type.Object(
  {
    transactionId: Type.String({
      description: "The order's transactionId, as `POST /v1/orders` answered it.",
      examples: [EXAMPLE_TRANSACTION_ID],
    }),
    planCode: Type.String({ description: 'The plan ordered.', examples: [EXAMPLE_PLAN_CODE] }),
    quantity: Type.Integer({
      minimum: 1,
      maximum: 1000,
      description: 'Number of eSIMs ordered (1 to 1000).',
      examples: [2],
    }),
    iccids: Type.Array(Type.String(), {
      description: 'The ICCIDs of the ordered eSIMs, in the order of the order response.',
      examples: [[...EXAMPLE_ICCIDS]],
    }),
  },
  { additionalProperties: false, description: 'The committed order.' },
);
export type OrderCompletedData = Static<typeof OrderCompletedData>;

const ICCID = Type.String({ description: 'The ICCID of the eSIM that changed.', examples: [EXAMPLE_ICCIDS[0]] });

/** `data` of an esim.status_changed event: the status fields before and after, and the eSIM after. */
export const EsimStatusChangedData = Type.Object(
  {
    iccid: ICCID,
    previous: { ...EsimStatusSnapshot, description: 'The four status fields before the change.' },
    current: { ...EsimStatusSnapshot, description: 'The four status fields after the change.' },
    esim: { ...Esim, description: 'The whole eSIM after the change, as `GET /v1/esims/{iccid}` answers it.' },
  },
  { additionalProperties: false, description: 'What changed, and the eSIM after the change.' },
);
export type EsimStatusChangedData = Static<typeof EsimStatusChangedData>;

/** `data` of an esim.usage_updated event: the total before and after (KB), and the eSIM after. */
export const EsimUsageUpdatedData = Type.Object(
  {
    iccid: ICCID,
    previousTotalDataUsage: Type.Integer({
      minimum: 0,
      description: 'totalDataUsage before the change, in kilobytes (KB).',
      examples: [0],
    }),
    totalDataUsage: Type.Integer({
      minimum: 0,
      description: 'totalDataUsage after the change, in kilobytes (KB).',
      examples: [2048],
    }),
    esim: {
      ...Esim,
      description:
        'The whole eSIM after the change (its daily usage list included), as `GET /v1/esims/{iccid}` answers it.',
    },
  },
  { additionalProperties: false, description: 'The new data usage, and the eSIM after the change.' },
);
export type EsimUsageUpdatedData = Static<typeof EsimUsageUpdatedData>;

/** The `data` of each event type. */
export interface WebhookEventData {
  'order.completed': OrderCompletedData;
  'esim.status_changed': EsimStatusChangedData;
  'esim.usage_updated': EsimUsageUpdatedData;
}

/**
 * The body of one delivery (a POST to the endpoint): `{id, type, createdAt, data}` with the
 * `data` of its type. `examples` is optional: the esim.* events would repeat a whole eSIM.
 */
function webhookEvent<Kind extends WebhookEventType, Data extends TSchema>(
  type: Kind,
  data: Data,
  description: string,
  examples?: unknown[],
) {
  return Type.Object(
    {
      id: Type.String({
        format: 'uuid',
        description:
          'The event id: the same on every retry and redelivery of this event (drop duplicates by it); also sent as Sandbox-Event-Id.',
        examples: [EXAMPLE_EVENT_ID],
      }),
      type: Type.Literal(type, { description: 'The event type; also sent as Sandbox-Event-Type.', examples: [type] }),
      createdAt: Type.String({
        format: 'date-time',
        description:
          "When the change happened, on the reseller's sandbox clock (ISO 8601 UTC; an eSIM event's is the eSIM's lastUpdatedAt).",
        examples: ['2026-11-29T12:00:00.000Z'],
      }),
      data,
    },
    { additionalProperties: false, description, ...(examples ? { examples } : {}) },
  );
}

/** Body of an `order.completed` delivery. */
export const OrderCompletedEvent = webhookEvent(
  'order.completed',
  OrderCompletedData,
  'An order committed: sent once per order, before any event of its eSIMs.',
  [
    {
      id: EXAMPLE_EVENT_ID,
      type: 'order.completed',
      createdAt: '2026-11-29T12:00:00.000Z',
      data: {
        transactionId: EXAMPLE_TRANSACTION_ID,
        planCode: EXAMPLE_PLAN_CODE,
        quantity: 2,
        iccids: [...EXAMPLE_ICCIDS],
      },
    },
  ],
);
export type OrderCompletedEvent = Static<typeof OrderCompletedEvent>;

/** Body of an `esim.status_changed` delivery. */
export const EsimStatusChangedEvent = webhookEvent(
  'esim.status_changed',
  EsimStatusChangedData,
  'contractStatus, profileProvisionStatus, profileInstallStatus or isServiceRestricted of an eSIM changed: emergency control, a lifecycle event or the sandbox clock.',
);
export type EsimStatusChangedEvent = Static<typeof EsimStatusChangedEvent>;

/** Body of an `esim.usage_updated` delivery. */
export const EsimUsageUpdatedEvent = webhookEvent(
  'esim.usage_updated',
  EsimUsageUpdatedData,
  'The daily data usage list of an eSIM changed.',
);
export type EsimUsageUpdatedEvent = Static<typeof EsimUsageUpdatedEvent>;

/** The body of any delivery. */
export type WebhookEventBody = OrderCompletedEvent | EsimStatusChangedEvent | EsimUsageUpdatedEvent;

/** The body schema of each event type, for the OpenAPI document. */
export const WEBHOOK_EVENT_BODIES = {
  'order.completed': OrderCompletedEvent,
  'esim.status_changed': EsimStatusChangedEvent,
  'esim.usage_updated': EsimUsageUpdatedEvent,
} as const satisfies Record<WebhookEventType, TSchema>;
