/**
 * The sandbox's listings of a reseller's orders and eSIMs (`GET /v1/sandbox/orders`,
 * `GET /v1/sandbox/esims`): inspection reads the production contract does not have, newest
 * first, with cursor pagination (src/contract/pagination.ts).
 */
import { Type, type Static } from 'typebox';
import { EXAMPLE_TRANSACTION_ID } from './common.js';
import { CONTRACT_STATUSES, Esim, INSTALL_STATUSES, PROVISION_STATUSES } from './esims.js';
import { PageCursor, PageLimit, PageOf } from './pagination.js';

/** One order of the reseller, as placed. */
export const OrderSummary = Type.Object(
  {
    transactionId: Type.String({
      format: 'uuid',
      description: "The order's transactionId (GET /v1/orders/{transactionId} lists its ICCIDs).",
      examples: [EXAMPLE_TRANSACTION_ID],
    }),
    planCode: Type.String({ description: 'The plan ordered.', examples: ['KD0001'] }),
    quantity: Type.Integer({ minimum: 1, maximum: 1000, description: 'eSIMs ordered.', examples: [3] }),
    createdAt: Type.String({
      format: 'date-time',
      description: "When the order was placed, on the reseller's sandbox clock (ISO 8601 UTC).",
      examples: ['2026-01-22T10:30:00.000Z'],
    }),
    requestId: Type.Unsafe<string | null>({
      type: ['string', 'null'],
      description:
        'The X-Request-Id of the request that placed the order (null for orders placed before it was recorded).',
      examples: ['3f1c2b7e-8a4d-4b0e-9a51-0c6f0f3d2a10'],
    }),
  },
  { additionalProperties: false, description: 'An order of the reseller.' },
);
export type OrderSummary = Static<typeof OrderSummary>;

/** Query of `GET /v1/sandbox/orders`. */
export const OrderListQuery = Type.Object(
  { limit: PageLimit('orders'), cursor: PageCursor },
  { additionalProperties: false },
);
export type OrderListQuery = Static<typeof OrderListQuery>;

/** Response of `GET /v1/sandbox/orders`. */
export const OrderPage = PageOf(OrderSummary, 'Orders, newest first.');
export type OrderPage = Static<typeof OrderPage>;

/** Query of `GET /v1/sandbox/esims`: the page and the filters (all must match). */
export const EsimListQuery = Type.Object(
  {
    limit: PageLimit('eSIMs'),
    cursor: PageCursor,
    transactionId: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'Only the eSIMs of this order.',
        examples: [EXAMPLE_TRANSACTION_ID],
      }),
    ),
    planCode: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'Only the eSIMs of this plan (1 to 64 characters, as an order takes it).',
        examples: ['KD0001'],
      }),
    ),
    contractStatus: Type.Optional(
      Type.Enum(CONTRACT_STATUSES, { description: 'Only the eSIMs in this contract status.', examples: ['ACTIVE'] }),
    ),
    profileProvisionStatus: Type.Optional(
      Type.Enum(PROVISION_STATUSES, {
        description: 'Only the eSIMs in this profile provision status.',
        examples: ['AVAILABLE'],
      }),
    ),
    profileInstallStatus: Type.Optional(
      Type.Enum(INSTALL_STATUSES, { description: 'Only the eSIMs in this install status.', examples: ['READY'] }),
    ),
  },
  { additionalProperties: false },
);
export type EsimListQuery = Static<typeof EsimListQuery>;
/** The filters of `GET /v1/sandbox/esims`. */
export type EsimFilter = Omit<EsimListQuery, 'limit' | 'cursor'>;

/** Response of `GET /v1/sandbox/esims`. */
export const EsimPage = PageOf(Esim, 'eSIMs, newest first, each as GET /v1/esims/{iccid} shows it.');
export type EsimPage = Static<typeof EsimPage>;
