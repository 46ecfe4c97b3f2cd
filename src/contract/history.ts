/**
 * An eSIM's history (`GET /v1/sandbox/esims/{iccid}/history`): one entry per change of the
 * eSIM, its creation included, written in the transaction of the change. Each schema here
 * feeds validation, serialization, the TypeScript types and the OpenAPI document.
 */
import { Type, type Static } from 'typebox';
import { EXAMPLE_ICCIDS } from './common.js';
import { LIFECYCLE_EVENTS } from './lifecycle.js';
import { NextCursor, PageCursor, PageLimit, MAX_PAGE_LIMIT } from './pagination.js';

/**
 * The fields of the eSIM status response a history entry tracks, in the response's order.
 * Left out: `iccid` (the history's key, never changes), `qrCode` (derived from smdpAddress
 * and activationCode, both tracked) and `lastUpdatedAt` (every change moves it to the
 * entry's `at`, so it would repeat `at` in every entry).
 */
export const TRACKED_FIELDS = [
  'homeCountry',
  'roamingCountries',
  'contractStatus',
  'profileProvisionStatus',
  'profileInstallStatus',
  'isServiceRestricted',
  'smdpAddress',
  'activationCode',
  'activationDeadline',
  'downloadedAt',
  'activatedOn',
  'terminatedOn',
  'expiresOn',
  'initialInsertionDevice',
  'initialInsertionAt',
  'initialConnectionDevice',
  'dataUsageDailyList',
  'totalDataUsage',
] as const;
export type TrackedField = (typeof TRACKED_FIELDS)[number];

/** The clock's rules, as a `clock_rule` cause names them. */
export const CLOCK_RULE_IDS = ['expiry', 'activation_deadline'] as const;
export type ClockRuleId = (typeof CLOCK_RULE_IDS)[number];

// An enum of one value rather than a const: the document generator turns a const into that
// enum, and the shared-schema references match schemas by their exact text.
const causeType = <T extends string>(type: T, description: string) =>
  Type.Enum([type], { description, examples: [type] });

/** What made a change: one of five kinds, told apart by `type`. */
export const HistoryCause = Type.Union(
  [
    Type.Object(
      { type: causeType('order', 'The order that created the eSIM (POST /v1/orders).') },
      { additionalProperties: false, description: 'The eSIM was created by an order.' },
    ),
    Type.Object(
      {
        type: causeType('emergency_control', 'Emergency control (POST /v1/esims/{iccid}/emergency-control).'),
        action: Type.Enum(['suspend', 'release'], { description: 'The action applied.', examples: ['suspend'] }),
      },
      { additionalProperties: false, description: 'Emergency control suspended or released the eSIM.' },
    ),
    Type.Object(
      {
        type: causeType('lifecycle_event', 'A lifecycle event (POST /v1/sandbox/esims/{iccid}/events).'),
        event: Type.Enum(LIFECYCLE_EVENTS, { description: 'The event applied.', examples: ['connect'] }),
        imei: Type.Optional(
          Type.String({
            pattern: '^[0-9]{15}$',
            description: "The device's IMEI the event carried (install and connect only).",
            examples: ['490154203237518'],
          }),
        ),
      },
      { additionalProperties: false, description: 'A lifecycle event changed the eSIM.' },
    ),
    Type.Object(
      { type: causeType('data_usage', 'A data-usage update (PUT /v1/sandbox/esims/{iccid}/data-usage).') },
      { additionalProperties: false, description: "The eSIM's daily usage list was replaced." },
    ),
    Type.Object(
      {
        type: causeType('clock_rule', "A rule of the reseller's sandbox clock."),
        rule: Type.Enum(CLOCK_RULE_IDS, {
          description:
            'expiry: the day after expiresOn began (00:00 Japan time): TERMINATED, terminatedOn = expiresOn + 1. ' +
            'activation_deadline: activationDeadline passed before any installation: TERMINATED, profile CANCELED.',
          examples: ['expiry'],
        }),
      },
      { additionalProperties: false, description: "The sandbox clock passed one of the eSIM's deadlines." },
    ),
  ],
  {
    description:
      'What made the change: `order`, `emergency_control` (with `action`), `lifecycle_event` (with `event`, and `imei` when the ' +
      'event carries one), `data_usage`, or `clock_rule` (with `rule`).',
    examples: [
      { type: 'order' },
      { type: 'emergency_control', action: 'suspend' },
      { type: 'lifecycle_event', event: 'connect', imei: '490154203237518' },
      { type: 'data_usage' },
      { type: 'clock_rule', rule: 'expiry' },
    ],
  },
);
export type HistoryCause = Static<typeof HistoryCause>;

/** One field of one change. */
export const FieldChange = Type.Object(
  {
    field: Type.Enum(TRACKED_FIELDS, {
      description:
        'The field, named as the eSIM status response names it. Tracked: every field of that response but iccid (the ' +
        "history's key), qrCode (made of smdpAddress and activationCode) and lastUpdatedAt (the entry's `at`).",
      examples: ['contractStatus'],
    }),
    from: Type.Unknown({
      description: 'The value before the change, as the status response showed it (null for the creation).',
      examples: ['ACTIVE'],
    }),
    to: Type.Unknown({ description: 'The value after the change.', examples: ['SUSPENDED'] }),
  },
  { additionalProperties: false, description: 'A field that changed, with its value before and after.' },
);
export type FieldChange = Static<typeof FieldChange>;

/** One entry of an eSIM's history. */
export const EsimHistoryEntry = Type.Object(
  {
    id: Type.Integer({
      minimum: 1,
      description:
        "The entry's id: increases with every entry of the reseller's sandbox, in the order the changes were committed.",
      examples: [1042],
    }),
    at: Type.String({
      format: 'date-time',
      description:
        "When the change took effect on the reseller's sandbox clock (ISO 8601 UTC): the eSIM's lastUpdatedAt after it (for a " +
        'lifecycle event its occurredAt, for a clock rule the instant the rule took effect).',
      examples: ['2026-06-05T00:00:00.000Z'],
    }),
    recordedAt: Type.String({
      format: 'date-time',
      description: 'When the change was stored, in real time (ISO 8601 UTC).',
      examples: ['2026-01-22T10:30:00.123Z'],
    }),
    cause: HistoryCause,
    requestId: Type.Unsafe<string | null>({
      type: ['string', 'null'],
      description:
        "The X-Request-Id of the request that made the change. For a clock rule: the request that found it due (a status or listing read, a history read, a clock advance or any change of the eSIM); null when real time's once-a-minute sweep applied it.",
      examples: ['3f1c2b7e-8a4d-4b0e-9a51-0c6f0f3d2a10'],
    }),
    changes: Type.Array(FieldChange, {
      description:
        'Every tracked field whose value changed, in the order of the status response. The creation lists every field that ' +
        'is not null, from null.',
    }),
    webhookDeliveryIds: Type.Array(Type.String({ format: 'uuid' }), {
      description:
        'The webhook deliveries the change queued (see GET /v1/sandbox/webhook/deliveries); empty when no endpoint takes ' +
        "them. An eSIM's creation lists its order's order.completed delivery.",
      examples: [['5b0c6a1e-2f7d-4c1a-9e3b-8d4f2a6c7e10']],
    }),
  },
  { additionalProperties: false, description: 'One change of an eSIM.' },
);
export type EsimHistoryEntry = Static<typeof EsimHistoryEntry>;

/** Query of `GET /v1/sandbox/esims/{iccid}/history`: most histories fit one page of 100. */
export const HistoryQuery = Type.Object(
  { limit: PageLimit('entries', MAX_PAGE_LIMIT), cursor: PageCursor },
  { additionalProperties: false },
);
export type HistoryQuery = Static<typeof HistoryQuery>;

/** Response of `GET /v1/sandbox/esims/{iccid}/history`: a page of entries, oldest first. */
export const EsimHistoryPage = Type.Object(
  {
    iccid: Type.String({ description: 'The eSIM the history is of.', examples: [EXAMPLE_ICCIDS[0]] }),
    items: Type.Array(EsimHistoryEntry, { description: 'Entries, oldest first.' }),
    nextCursor: NextCursor,
  },
  { additionalProperties: false },
);
export type EsimHistoryPage = Static<typeof EsimHistoryPage>;
