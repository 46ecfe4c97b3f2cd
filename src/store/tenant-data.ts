/**
 * The registry of tenant tables: every table holding a reseller's own data, with how a row
 * belongs to its reseller. A reset (`POST /v1/sandbox/reset`) and a reseller's deletion
 * delete through it, so a new table of reseller data is one entry here, and both empty it.
 *
 * Rows are deleted in the order listed: a table before the tables its foreign keys name
 * (attempts before their deliveries, eSIMs before their orders), and the rows found through
 * `api_keys` while those keys still exist.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';

/** What a reset deleted, by kind: the counts `POST /v1/sandbox/reset` answers. */
export interface DeletedCounts {
  orders: number;
  esims: number;
  history: number;
  requests: number;
  idempotencyKeys: number;
  webhookEndpoints: number;
  webhookDeliveries: number;
  clocks: number;
}

/** The kinds a reset counts, in the order of its answer. */
export const DELETED_KINDS = [
  'orders',
  'esims',
  'history',
  'requests',
  'idempotencyKeys',
  'webhookEndpoints',
  'webhookDeliveries',
  'clocks',
] as const satisfies readonly (keyof DeletedCounts)[];

/** One table of reseller data. */
export interface TenantTable {
  table: keyof Database;
  /**
   * The column that names the reseller (`reseller_id`), or, with `via`, the column that
   * names a row of `via.table` whose `reseller_id` is the reseller's.
   */
  column: string;
  via?: { table: keyof Database; key: string };
  /** Which count of the reset's answer the deleted rows add to; null: deleted, not counted. */
  countAs: keyof DeletedCounts | null;
}

/** Every table of reseller data, in deletion order. */
export const TENANT_TABLES: readonly TenantTable[] = [
  { table: 'webhook_attempts', column: 'delivery_id', via: { table: 'webhook_deliveries', key: 'id' }, countAs: null },
  { table: 'webhook_deliveries', column: 'reseller_id', countAs: 'webhookDeliveries' },
  { table: 'webhook_endpoints', column: 'reseller_id', countAs: 'webhookEndpoints' },
  { table: 'esim_history', column: 'reseller_id', countAs: 'history' },
  { table: 'esims', column: 'reseller_id', countAs: 'esims' },
  { table: 'orders', column: 'reseller_id', countAs: 'orders' },
  // Idempotency keys are scoped by API key (the hash of the key they came with).
  {
    table: 'idempotency_keys',
    column: 'scope',
    via: { table: 'api_keys', key: 'key_hash' },
    countAs: 'idempotencyKeys',
  },
  { table: 'sandbox_clocks', column: 'reseller_id', countAs: 'clocks' },
  // The request log: its ICCID index first (it names the entries), then the entries.
  { table: 'request_log_iccids', column: 'reseller_id', countAs: null },
  { table: 'request_log', column: 'reseller_id', countAs: 'requests' },
  // Every webhook event generated for the reseller, what the live stream's webhook.event follows.
  { table: 'webhook_events', column: 'reseller_id', countAs: null },
];

/**
 * Deletes every row of the reseller's data, table by table, inside the caller's
 * transaction (so that all of it goes, or none). Other resellers' rows and shared tables
 * (the catalogue, the ICCID counter) are untouched.
 * @returns the number of rows deleted, by kind (0 for a kind with no table).
 */
export async function deleteTenantData(
  trx: Transaction<Database>,
  resellerId: string,
  tables: readonly TenantTable[] = TENANT_TABLES,
): Promise<DeletedCounts> {
  const counts = Object.fromEntries(DELETED_KINDS.map((kind) => [kind, 0])) as unknown as DeletedCounts;
  for (const entry of tables) {
    const owned = entry.via
      ? sql`${sql.ref(entry.column)} in (select ${sql.ref(entry.via.key)} from ${sql.table(entry.via.table)} where reseller_id = ${resellerId})`
      : sql`${sql.ref(entry.column)} = ${resellerId}`;
    const result = await sql`delete from ${sql.table(entry.table)} where ${owned}`.execute(trx);
    if (entry.countAs) counts[entry.countAs] += Number(result.numAffectedRows ?? 0n);
  }
  return counts;
}
