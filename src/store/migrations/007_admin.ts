import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The admin API's tables and columns (docs/admin.md):
 *
 * - `api_keys` gains an `id` (the handle an admin revokes a key by: the hash is never
 *   shown), a `hint` (the key's last 4 characters, for keys the sandbox generated; null for
 *   `SANDBOX_API_KEYS` keys, which the operator chose) and `revoked_at`. Keys already stored
 *   get a random id here. Indexed by reseller for the counts and for a reseller's deletion.
 * - `resellers` gains `origin` (`configured`: SANDBOX_API_KEYS or the demo key; `admin`;
 *   `sandbox`) and `expires_at` (sandboxes only), indexed for the sweep of expired sandboxes.
 * - `deleted_resellers`: one tombstone per deleted reseller (its id, name, when and why).
 *   ICCIDs come from one global counter that deletion never touches, so none of a deleted
 *   reseller's ICCIDs is issued again; the tombstone says who held them.
 */
export const admin: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('api_keys').addColumn('id', 'text').execute();
    await db.schema.alterTable('api_keys').addColumn('hint', 'text').execute();
    await db.schema.alterTable('api_keys').addColumn('revoked_at', 'text').execute();
    const { rows } = await sql<{ key_hash: string }>`select key_hash from api_keys`.execute(db);
    for (const row of rows)
      await sql`update api_keys set id = ${newKeyId()} where key_hash = ${row.key_hash}`.execute(db);
    await db.schema.createIndex('api_keys_by_id').on('api_keys').column('id').unique().execute();
    await db.schema.createIndex('api_keys_by_reseller').on('api_keys').column('reseller_id').execute();

    await db.schema
      .alterTable('resellers')
      .addColumn('origin', 'text', (c) => c.notNull().defaultTo('configured'))
      .execute();
    await db.schema.alterTable('resellers').addColumn('expires_at', 'text').execute();
    await db.schema.createIndex('resellers_by_expiry').on('resellers').column('expires_at').execute();

    await db.schema
      .createTable('deleted_resellers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('deleted_at', 'text', (c) => c.notNull())
      .addColumn('cause', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('deleted_resellers_by_name').on('deleted_resellers').column('name').execute();
  },
};

// A copy of newKeyId (src/service/api-keys.ts): a shipped migration must not change when the code it once used does.
function newKeyId(): string {
  return `key_${randomBytes(12).toString('base64url')}`;
}
