import { type Kysely, type Migration } from 'kysely';

/**
 * Idempotency keys: one row per (API key, Idempotency-Key), claimed by the first
 * request and holding its response once sent. In the database, not in memory, so that a
 * key survives a restart and is in flight for every instance sharing the store (DESIGN.md
 * section 3). The primary key makes the claim atomic: of two inserts of one key, on any
 * instances, exactly one succeeds.
 */
export const idempotencyKeys: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('idempotency_keys')
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('claimed_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('content_type', 'text')
      .addColumn('body', 'text')
      .addPrimaryKeyConstraint('idempotency_keys_pkey', ['scope', 'idempotency_key'])
      .execute();
    // For the sweep of expired keys.
    await db.schema.createIndex('idempotency_keys_by_expiry').on('idempotency_keys').column('expires_at').execute();
  },
};
