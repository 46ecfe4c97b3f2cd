/**
 * Resellers and their API keys. A key is stored only as its SHA-256 hash (hex), so a copy
 * of the database gives no usable key.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** A reseller: the tenant that owns orders and eSIMs. */
export interface Reseller {
  id: string;
  name: string;
}

/** Reads and writes resellers and API-key hashes. */
export class ResellerRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Creates the reseller `name` if it does not exist, and binds the key hash to it (moving
   * the key from another reseller if it was bound elsewhere). Returns the reseller.
   */
  async upsertWithKey(name: string, keyHash: string, now: Date): Promise<Reseller> {
    return this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('resellers')
        .values({ id: randomUUID(), name, created_at: now.toISOString() })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const reseller = await trx
        .selectFrom('resellers')
        .select(['id', 'name'])
        .where('name', '=', name)
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('api_keys')
        .values({ key_hash: keyHash, reseller_id: reseller.id, created_at: now.toISOString() })
        .onConflict((oc) => oc.column('key_hash').doUpdateSet({ reseller_id: reseller.id }))
        .execute();
      return reseller;
    });
  }

  /** The reseller owning the key with this SHA-256 hash, or undefined. */
  async findByKeyHash(keyHash: string): Promise<Reseller | undefined> {
    return this.db
      .selectFrom('api_keys')
      .innerJoin('resellers', 'resellers.id', 'api_keys.reseller_id')
      .select(['resellers.id as id', 'resellers.name as name'])
      .where('api_keys.key_hash', '=', keyHash)
      .executeTakeFirst();
  }

  /** Number of API keys stored, all resellers together. */
  async countKeys(): Promise<number> {
    const row = await this.db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
