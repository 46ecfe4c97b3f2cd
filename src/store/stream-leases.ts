/**
 * Leases of open live streams, shared by every instance on the database: a stream is opened
 * only if its API key holds fewer than the limit of unexpired leases, counted and taken in one
 * transaction. On SQLite the write lock (BEGIN IMMEDIATE) serializes the transactions; on
 * PostgreSQL a transaction-level advisory lock on the key's hash does, since a count and an
 * insert under READ COMMITTED would otherwise let two instances both take the last place.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { dialectOf } from './db.js';
import type { Database } from './schema.js';

/** Reads and writes `stream_leases`. Instants are real time. */
export class StreamLeaseRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Takes a lease for one more stream of the key `keyHash` (SHA-256 hex), valid for `leaseMs`,
   * unless it already holds `limit` unexpired leases; expired leases of the key are deleted.
   * @returns the lease id, or null when the key is at its limit.
   */
  async claim(keyHash: string, limit: number, leaseMs: number, now: Date): Promise<string | null> {
    const at = now.toISOString();
    return this.db.transaction().execute(async (trx) => {
      if (dialectOf(this.db) === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${keyHash}))`.execute(trx);
      await trx.deleteFrom('stream_leases').where('key_hash', '=', keyHash).where('expires_at', '<=', at).execute();
      const { n } = await trx
        .selectFrom('stream_leases')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('key_hash', '=', keyHash)
        .executeTakeFirstOrThrow();
      if (Number(n) >= limit) return null;
      const id = randomUUID();
      await trx
        .insertInto('stream_leases')
        .values({ id, key_hash: keyHash, expires_at: new Date(now.getTime() + leaseMs).toISOString() })
        .execute();
      return id;
    });
  }

  /** Extends the leases `ids` (this instance's open streams) to `leaseMs` from `now`. */
  async renew(ids: string[], leaseMs: number, now: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('stream_leases')
      .set({ expires_at: new Date(now.getTime() + leaseMs).toISOString() })
      .where('id', 'in', ids)
      .execute();
  }

  /** Ends a lease (its stream closed). */
  async release(id: string): Promise<void> {
    await this.db.deleteFrom('stream_leases').where('id', '=', id).execute();
  }
}
