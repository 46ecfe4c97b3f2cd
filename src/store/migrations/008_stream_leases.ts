import type { Kysely, Migration } from 'kysely';

/**
 * `stream_leases`: one row per open live stream (`GET /v1/sandbox/stream`) of any instance,
 * so that the limit of open streams per API key holds across every instance sharing the
 * database. A lease names the key by its SHA-256 (never the key) and ends at `expires_at`
 * (real time, ISO 8601 UTC) unless its instance renews it: a crashed instance's streams stop
 * counting once their leases run out.
 */
export const streamLeases: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('stream_leases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('key_hash', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('stream_leases_by_key')
      .on('stream_leases')
      .columns(['key_hash', 'expires_at'])
      .execute();
  },
};
