/**
 * Table types for Kysely. Portable column types only (text, integer), so that the same
 * migrations and queries run on SQLite and PostgreSQL; JSON is kept as text and booleans
 * as 0/1 integers, and every instant is an ISO 8601 UTC string, which sorts as it reads.
 */
import type { Generated } from 'kysely';

export interface ResellerTable {
  id: string;
  name: string;
  created_at: string;
  /** How it came to be: `configured` (SANDBOX_API_KEYS or the demo key), `admin`, `sandbox`. */
  origin: Generated<ResellerOrigin>;
  /** Sandboxes only: real time (ISO 8601 UTC) from which its keys are refused and the sweep deletes it. */
  expires_at: string | null;
}

/** Where a reseller comes from (resellers.origin). */
export type ResellerOrigin = 'configured' | 'admin' | 'sandbox';

export interface ApiKeyTable {
  /** Hex SHA-256 of the bearer token: the plain key is never stored. */
  key_hash: string;
  reseller_id: string;
  created_at: string;
  /** The key's public handle (`key_...`, random, not derived from the key): what an admin revokes it by. */
  id: string;
  /** The last 4 characters of a key the sandbox generated, for display; null for SANDBOX_API_KEYS keys. */
  hint: string | null;
  /** Real time (ISO 8601 UTC) of the revocation; null while the key works. */
  revoked_at: string | null;
}

/** A deleted reseller's tombstone: who held its (never reissued) ICCIDs, and when and why it went. */
export interface DeletedResellerTable {
  id: string;
  name: string;
  created_at: string;
  deleted_at: string;
  /** `deleted` (DELETE /admin/v1/resellers/{name}) or `expired` (a sandbox's time to live). */
  cause: string;
}

export interface CatalogPlanTable {
  plan_code: string;
  provider_code: string;
  home_country: string;
  /** The DataPlan as JSON. */
  body: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface CounterTable {
  name: string;
  value: number;
}

export interface OrderTable {
  transaction_id: string;
  reseller_id: string;
  plan_code: string;
  quantity: number;
  /** The reseller's sandbox time of the order (ISO 8601 UTC). */
  created_at: string;
  /** The X-Request-Id of the request that placed it; null for orders placed before it was kept. */
  request_id: string | null;
  /**
   * The ICCID sequence number of the order's first eSIM: unique, and increasing in commit
   * order (the ICCID counter's row lock serializes orders), so the orders listing's keyset.
   */
  seq: number;
}

export interface EsimTable {
  iccid: string;
  reseller_id: string;
  transaction_id: string;
  plan_code: string;
  home_country: string;
  /** JSON array of ISO 3166-1 alpha-2 codes. */
  roaming_countries: string;
  contract_status: string;
  profile_provision_status: string;
  profile_install_status: string;
  is_service_restricted: number;
  smdp_address: string;
  activation_code: string;
  activation_deadline: string | null;
  downloaded_at: string | null;
  activated_on: string | null;
  terminated_on: string | null;
  expires_on: string | null;
  initial_insertion_device: string | null;
  initial_insertion_at: string | null;
  initial_connection_device: string | null;
  /** JSON array of {day, usage}, sorted by day. */
  data_usage: string;
  /** Sum of data_usage in KB (at most 2^53 - 1). */
  total_data_usage: number;
  last_updated_at: string;
  created_at: string;
  /** Position of the eSIM in its order (0-based), to list an order's ICCIDs in order. */
  order_position: number;
}

/** A reseller's sandbox clock; no row means offset 0 (never moved, or reset). */
export interface SandboxClockTable {
  reseller_id: string;
  /** Seconds the reseller's clock is ahead of real time (>= 0, at most 100 years). */
  offset_seconds: number;
  /** Real time (ISO 8601 UTC) of the last advance: bookkeeping only. */
  updated_at: string;
}

/**
 * An idempotency key: claimed by its first request (`in_flight`), holding that
 * request's response once it is sent (`done`). Primary key (scope, idempotency_key).
 */
export interface IdempotencyKeyTable {
  /** Hex SHA-256 of the API key the requests came with: keys are per API key. */
  scope: string;
  /** The `Idempotency-Key` header value (1-255 printable ASCII characters). */
  idempotency_key: string;
  /** Hex SHA-256 of the request's method, concrete path and canonical body. */
  fingerprint: string;
  state: 'in_flight' | 'done';
  /** Random id of the claim: only the request holding it may store or release the key. */
  owner: string;
  /** Real time (ISO 8601 UTC) of the claim, for the lease of an abandoned claim. */
  claimed_at: string;
  /** Real time (ISO 8601 UTC) after which the key is free again: first request + 24 h. */
  expires_at: string;
  /** The stored response (state done): HTTP status, Content-Type, body as sent. */
  status_code: number | null;
  content_type: string | null;
  body: string | null;
}

/** A reseller's webhook endpoint (at most one). */
export interface WebhookEndpointTable {
  reseller_id: string;
  url: string;
  /** JSON array of event types. */
  events: string;
  secret: string;
  created_at: string;
  updated_at: string;
}

/** The outbox: one delivery of one event, written in the transaction of the change. */
export interface WebhookDeliveryTable {
  id: string;
  /** Per-reseller sequence (from the `webhook:<reseller>` counter): the order of the events. */
  seq: number;
  reseller_id: string;
  event_id: string;
  event_type: string;
  iccid: string | null;
  /** Events with one key are delivered in `seq` order (an eSIM's ICCID, an order's transactionId); null for redeliveries. */
  ordering_key: string | null;
  /** Also waits for the pending deliveries of this key (an eSIM's events wait for its order's order.completed). */
  after_key: string | null;
  /** The exact JSON body sent. */
  payload: string;
  /** pending, succeeded, failed, cancelled. */
  state: string;
  attempt_count: number;
  /** Real time (ISO 8601 UTC) the next attempt is due; null unless pending. */
  next_attempt_at: string | null;
  /** Real time until which one process holds the delivery for an attempt. */
  lease_until: string | null;
  redelivery_of: string | null;
  created_at: string;
}

/** One attempt of a delivery. */
export interface WebhookAttemptTable {
  delivery_id: string;
  attempt: number;
  url: string;
  started_at: string;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  /** The delivery's reseller; null for attempts recorded before the request log's migration. */
  reseller_id: string | null;
  /** Per-reseller attempt sequence, in commit order (the stream follows it); null as reseller_id. */
  seq: number | null;
}

/**
 * One change of an eSIM (its creation included), written in the transaction of the change.
 * Append-only. `iccid` is no foreign key: a reset that deletes eSIMs deletes their history.
 */
export interface EsimHistoryTable {
  /**
   * Increasing (SQLite INTEGER PRIMARY KEY AUTOINCREMENT, PostgreSQL identity), never
   * reused; within one reseller in commit order (see EsimHistoryRepository.write).
   */
  id: Generated<number>;
  reseller_id: string;
  iccid: string;
  /** Sandbox time the change took effect (ISO 8601 UTC): the eSIM's lastUpdatedAt after it. */
  at: string;
  /** Real time of the write (ISO 8601 UTC). */
  recorded_at: string;
  /** The cause as JSON: `{type, ...}` (src/contract/history.ts). */
  cause: string;
  /** X-Request-Id of the request that made the change; null for real time's clock sweep. */
  request_id: string | null;
  /** JSON array of `{field, from, to}`. */
  changes: string;
  /** JSON array of the ids of the webhook deliveries the change queued. */
  webhook_delivery_ids: string;
}

/**
 * One recorded /v1 request (src/store/request-log.ts). Instants are ISO 8601 UTC; bodies are
 * text: JSON as sent (`*_body_json` 1) or the first 16 KiB of anything else (`*_truncated` 1
 * when cut). Secrets are redacted before a row is built.
 */
export interface RequestLogTable {
  /** From the `request_log` counter, in commit order across instances. */
  id: number;
  reseller_id: string;
  request_id: string;
  received_at: string;
  sandbox_time: string;
  method: string;
  path: string;
  /** JSON object of the query parameters. */
  query: string;
  operation_id: string | null;
  status: number;
  /** Microseconds from receipt to the response sent (or cut short). */
  duration_us: number;
  idempotency_key: string | null;
  idempotent_replayed: number;
  fault: string | null;
  problem_code: string | null;
  /** JSON object, Authorization reduced to `Bearer …` + the key's last 4 characters. */
  request_headers: string;
  request_body: string | null;
  request_body_json: number;
  request_truncated: number;
  response_headers: string;
  response_body: string | null;
  response_body_json: number;
  response_truncated: number;
  /** JSON array of the ICCIDs the request named or produced. */
  iccids: string;
  transaction_id: string | null;
}

/** The ICCIDs of each request log entry, for the `iccid` filter. */
export interface RequestLogIccidTable {
  entry_id: number;
  reseller_id: string;
  iccid: string;
}

/** Every webhook event generated for a reseller, delivered or not (no endpoint, or one that does not take its type). */
export interface WebhookEventTable {
  reseller_id: string;
  /** The reseller's outbox sequence: a delivery of this event has the same seq. */
  seq: number;
  /** The event id (the body's `id`). */
  id: string;
  type: string;
  iccid: string | null;
  /** Sandbox time of the event (the body's createdAt). */
  created_at: string;
  /** Real time it was recorded. */
  recorded_at: string;
  /** The exact JSON body a delivery sends. */
  payload: string;
}

/** The whole database, as Kysely sees it. */
/** One open live stream's lease (migration 008): the API key's SHA-256 and when the lease ends (real time). */
export interface StreamLeaseTable {
  id: string;
  key_hash: string;
  expires_at: string;
}

export interface Database {
  resellers: ResellerTable;
  api_keys: ApiKeyTable;
  catalog_plans: CatalogPlanTable;
  meta: MetaTable;
  counters: CounterTable;
  orders: OrderTable;
  esims: EsimTable;
  sandbox_clocks: SandboxClockTable;
  idempotency_keys: IdempotencyKeyTable;
  webhook_endpoints: WebhookEndpointTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
  esim_history: EsimHistoryTable;
  request_log: RequestLogTable;
  request_log_iccids: RequestLogIccidTable;
  webhook_events: WebhookEventTable;
  deleted_resellers: DeletedResellerTable;
  stream_leases: StreamLeaseTable;
}
