/**
 * The admin API's schemas (`/admin/v1`, docs/admin.md): resellers, their API keys and
 * throwaway sandboxes, and the reseller's own reset (`POST /v1/sandbox/reset`). A key
 * appears in clear only in the answer that creates it.
 */
import { Type, type Static } from 'typebox';
import {
  MAX_SANDBOX_PREFIX,
  MAX_SANDBOX_TTL_MINUTES,
  RESELLER_NAME,
  SANDBOX_PREFIX,
  SANDBOX_SUFFIX_LENGTH,
} from '../domain/admin.js';
import { NullableInstant } from './common.js';
import { PageCursor, PageLimit, PageOf } from './pagination.js';

const EXAMPLE_TIME = '2026-01-22T10:30:00.000Z';
const EXAMPLE_KEY_ID = 'key_Qm9vdHN0cmFwS2V5';
const EXAMPLE_KEY = 'sk_sandbox_3q2-7wEXAMPLEq8Jc4v0m1nB5xYzR2kLpW9a';

const Instant = (description: string) => Type.String({ format: 'date-time', description, examples: [EXAMPLE_TIME] });

/** A reseller name (RESELLER_NAME). */
export const ResellerName = Type.String({
  pattern: RESELLER_NAME.source,
  description:
    'The reseller name: 1-64 characters of A-Z, a-z, 0-9, ".", "_" and "-" (case-sensitive). The same rule as the names of `SANDBOX_API_KEYS`.',
  examples: ['acme'],
});

/** Path parameters of `/admin/v1/resellers/{name}`. */
export const ResellerNameParams = Type.Object({ name: ResellerName }, { additionalProperties: false });

/** Path parameters of `/admin/v1/keys/{keyId}`. */
export const KeyIdParams = Type.Object(
  {
    keyId: Type.String({
      pattern: '^key_[A-Za-z0-9_-]{16}$',
      description: 'The id of an API key (`key_` and 16 base64url characters), as its creation answered it.',
      examples: [EXAMPLE_KEY_ID],
    }),
  },
  { additionalProperties: false },
);

/** Body of `POST /admin/v1/resellers`. */
export const CreateResellerRequest = Type.Object({ name: ResellerName }, { additionalProperties: false });
export type CreateResellerRequest = Static<typeof CreateResellerRequest>;

const KeyId = Type.String({
  description: "The key's id: how you revoke it (`DELETE /admin/v1/keys/{keyId}`).",
  examples: [EXAMPLE_KEY_ID],
});

/** A new API key, in clear: the only answer that shows it. */
export const NewApiKey = Type.Object(
  {
    id: KeyId,
    key: Type.String({
      description:
        'The API key, for `Authorization: Bearer <key>` on /v1: shown this once (the sandbox keeps only its SHA-256 hash).',
      examples: [EXAMPLE_KEY],
    }),
    createdAt: Instant('When the key was created (ISO 8601 UTC).'),
  },
  { additionalProperties: false, description: 'The new API key, shown this once.' },
);

/** Answer of `POST /admin/v1/resellers/{name}/keys`. */
export const CreatedKey = Type.Object(
  { resellerName: ResellerName, apiKey: NewApiKey },
  { additionalProperties: false },
);
export type CreatedKey = Static<typeof CreatedKey>;

const Origin = Type.Union([Type.Literal('configured'), Type.Literal('admin'), Type.Literal('sandbox')], {
  description:
    'How the reseller came to be: `configured` (SANDBOX_API_KEYS, or the demo key of a first start), `admin` (POST /admin/v1/resellers) or `sandbox` (POST /admin/v1/sandboxes: deleted at expiresAt).',
  examples: ['admin'],
});

const ExpiresAt = NullableInstant(
  'Sandboxes only: when its keys stop working and it is deleted with all its data (ISO 8601 UTC, real time); null for other resellers.',
  '2026-01-22T11:30:00.000Z',
);

/** Answer of `POST /admin/v1/resellers` and `POST /admin/v1/sandboxes`. */
export const CreatedReseller = Type.Object(
  {
    name: ResellerName,
    origin: Origin,
    createdAt: Instant('When the reseller was created (ISO 8601 UTC).'),
    expiresAt: ExpiresAt,
    apiKey: NewApiKey,
  },
  { additionalProperties: false },
);
export type CreatedReseller = Static<typeof CreatedReseller>;

/** A stored API key, never in clear. */
export const ApiKeyInfo = Type.Object(
  {
    id: KeyId,
    hint: Type.Unsafe<string | null>({
      type: ['string', 'null'],
      description:
        'The last 4 characters of a key the sandbox generated, to tell keys apart; null for a key of SANDBOX_API_KEYS (you chose it).',
      examples: ['9a2Q'],
    }),
    createdAt: Instant('When the key was created (ISO 8601 UTC).'),
    revokedAt: NullableInstant('When the key was revoked (ISO 8601 UTC); null while it works.', EXAMPLE_TIME),
  },
  { additionalProperties: false },
);

/** Answer of `DELETE /admin/v1/keys/{keyId}`. */
export const RevokedKey = Type.Object(
  { ...ApiKeyInfo.properties, resellerName: ResellerName },
  { additionalProperties: false },
);
export type RevokedKey = Static<typeof RevokedKey>;

const Count = (description: string, example: number) => Type.Integer({ minimum: 0, description, examples: [example] });

/** A reseller as listed: what it holds. */
export const ResellerSummary = Type.Object(
  {
    name: ResellerName,
    origin: Origin,
    createdAt: Instant('When the reseller was created (ISO 8601 UTC).'),
    expiresAt: ExpiresAt,
    counts: Type.Object(
      {
        orders: Count('Orders the reseller holds.', 3),
        esims: Count('eSIMs the reseller holds.', 12),
        apiKeys: Count('API keys that work (revoked ones are not counted).', 1),
      },
      { additionalProperties: false, description: 'What the reseller holds.' },
    ),
  },
  { additionalProperties: false },
);
export type ResellerSummary = Static<typeof ResellerSummary>;

/** Answer of `GET /admin/v1/resellers/{name}`: the summary and its keys. */
export const ResellerDetail = Type.Object(
  {
    ...ResellerSummary.properties,
    apiKeys: Type.Array(ApiKeyInfo, { description: 'Its API keys, revoked ones included, oldest first.' }),
  },
  { additionalProperties: false },
);
export type ResellerDetail = Static<typeof ResellerDetail>;

/** Query of `GET /admin/v1/resellers`. */
export const ResellerListQuery = Type.Object(
  { limit: PageLimit('resellers'), cursor: PageCursor },
  { additionalProperties: false },
);
export type ResellerListQuery = Static<typeof ResellerListQuery>;

/** Answer of `GET /admin/v1/resellers`. */
export const ResellerPage = PageOf(ResellerSummary, 'Resellers by name (byte order), expired sandboxes left out.');
export type ResellerPage = Static<typeof ResellerPage>;

const deletedCounts = {
  orders: Count('Orders deleted.', 3),
  esims: Count('eSIMs deleted.', 12),
  history: Count('eSIM history entries deleted.', 40),
  requests: Count('Request log entries deleted.', 120),
  idempotencyKeys: Count('Idempotency keys deleted.', 2),
  webhookEndpoints: Count('Webhook endpoints deleted (0 or 1).', 1),
  webhookDeliveries: Count('Webhook deliveries deleted, with their attempts.', 15),
  clocks: Count('Sandbox clocks put back to real time (0 or 1).', 1),
};

/** Answer of `POST /v1/sandbox/reset`. */
export const ResetResponse = Type.Object(
  {
    deleted: Type.Object(deletedCounts, {
      additionalProperties: false,
      description: "What the reset deleted, by kind: the caller's data only.",
    }),
  },
  { additionalProperties: false },
);
export type ResetResponse = Static<typeof ResetResponse>;

/** Answer of `DELETE /admin/v1/resellers/{name}`. */
export const DeletedResellerResponse = Type.Object(
  {
    name: ResellerName,
    deleted: Type.Object(
      { ...deletedCounts, apiKeys: Count('API keys deleted, revoked ones included.', 1) },
      { additionalProperties: false, description: 'What was deleted with the reseller, by kind.' },
    ),
  },
  { additionalProperties: false },
);
export type DeletedResellerResponse = Static<typeof DeletedResellerResponse>;

/** Body of `POST /admin/v1/sandboxes` (may be empty). */
export const CreateSandboxRequest = Type.Object(
  {
    ttlMinutes: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_SANDBOX_TTL_MINUTES,
        description: `Time to live in minutes: 1 to ${MAX_SANDBOX_TTL_MINUTES} (7 days), default 60. Not with ttlSeconds.`,
        examples: [30],
      }),
    ),
    ttlSeconds: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_SANDBOX_TTL_MINUTES * 60,
        description:
          "Time to live in seconds, for tests of expiry: at least the server's ADMIN_SANDBOX_MIN_TTL_SECONDS (60 unless set lower), at most 604800. Not with ttlMinutes.",
        examples: [120],
      }),
    ),
    namePrefix: Type.Optional(
      Type.String({
        pattern: SANDBOX_PREFIX.source,
        description: `The start of the sandbox's name, which is \`<namePrefix>-<${SANDBOX_SUFFIX_LENGTH} random characters>\`: 1-${MAX_SANDBOX_PREFIX} characters of A-Z, a-z, 0-9, ".", "_" and "-"; default \`sandbox\`.`,
        examples: ['ci-job-4711'],
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreateSandboxRequest = Static<typeof CreateSandboxRequest>;
