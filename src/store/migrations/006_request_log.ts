import { type Kysely, type Migration } from 'kysely';

/**
 * The request log and what the live stream follows.
 *
 * - `request_log`: one row per recorded /v1 request. Its id comes from the `request_log`
 *   counter, reserved in the transaction of each batch of inserts: the counter row's lock
 *   orders batches of every instance, so ids increase in commit order and a reader following
 *   the table by id (the stream) never misses a row committed late. Read by (reseller, id).
 * - `request_log_iccids`: the ICCIDs each entry named or produced (all 1,000 of a large
 *   order), for the `iccid` filter; deleted with their entry.
 * - `webhook_events`: every webhook event generated for a reseller, whether or not an
 *   endpoint takes it (the stream's `webhook.event`), numbered by the reseller's outbox
 *   sequence (`webhook:<reseller>`; a delivery of the event has the same `seq`).
 * - `webhook_attempts.reseller_id` and `.seq`: a per-reseller attempt sequence
 *   (`webhook-attempt:<reseller>` counter), in commit order, for the stream's
 *   `webhook.attempt`; null for attempts made before this migration.
 */
export const requestLog: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('request_log')
      .addColumn('id', 'bigint', (c) => c.primaryKey())
      .addColumn('reseller_id', 'text', (c) => c.notNull().references('resellers.id'))
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('sandbox_time', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('query', 'text', (c) => c.notNull())
      .addColumn('operation_id', 'text')
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('duration_us', 'bigint', (c) => c.notNull())
      .addColumn('idempotency_key', 'text')
      .addColumn('idempotent_replayed', 'integer', (c) => c.notNull())
      .addColumn('fault', 'text')
      .addColumn('problem_code', 'text')
      .addColumn('request_headers', 'text', (c) => c.notNull())
      .addColumn('request_body', 'text')
      .addColumn('request_body_json', 'integer', (c) => c.notNull())
      .addColumn('request_truncated', 'integer', (c) => c.notNull())
      .addColumn('response_headers', 'text', (c) => c.notNull())
      .addColumn('response_body', 'text')
      .addColumn('response_body_json', 'integer', (c) => c.notNull())
      .addColumn('response_truncated', 'integer', (c) => c.notNull())
      .addColumn('iccids', 'text', (c) => c.notNull())
      .addColumn('transaction_id', 'text')
      .execute();
    await db.schema
      .createIndex('request_log_by_reseller')
      .on('request_log')
      .columns(['reseller_id', 'id'])
      .unique()
      .execute();
    // The days bound's trim and the `since` filter.
    await db.schema
      .createIndex('request_log_by_received')
      .on('request_log')
      .columns(['reseller_id', 'received_at'])
      .execute();
    await db.schema
      .createTable('request_log_iccids')
      .addColumn('entry_id', 'bigint', (c) => c.notNull().references('request_log.id').onDelete('cascade'))
      .addColumn('reseller_id', 'text', (c) => c.notNull())
      .addColumn('iccid', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('request_log_iccids_pk', ['entry_id', 'iccid'])
      .execute();
    await db.schema
      .createIndex('request_log_iccids_by_iccid')
      .on('request_log_iccids')
      .columns(['reseller_id', 'iccid', 'entry_id'])
      .execute();

    await db.schema
      .createTable('webhook_events')
      .addColumn('reseller_id', 'text', (c) => c.notNull().references('resellers.id'))
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('iccid', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('webhook_events_pk', ['reseller_id', 'seq'])
      .execute();

    await db.schema.alterTable('webhook_attempts').addColumn('reseller_id', 'text').execute();
    await db.schema.alterTable('webhook_attempts').addColumn('seq', 'bigint').execute();
    await db.schema
      .createIndex('webhook_attempts_by_reseller')
      .on('webhook_attempts')
      .columns(['reseller_id', 'seq'])
      .execute();
  },
};
