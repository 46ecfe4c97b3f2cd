/**
 * Resellers and their API keys. A key is stored only as its SHA-256 hash (hex), with a
 * random public id and, for keys the sandbox generated, its last 4 characters: a copy of
 * the database gives no usable key.
 *
 * Nothing here is cached: every instance sharing the store reads a key's state from it on
 * each request, so a revocation (or a sandbox's expiry) holds on all of them at once.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { dialectOf, type Dialect } from './db.js';
import { Keyset, type Page, type PageRequest } from './keyset.js';
import { precompile } from './precompiled.js';
import type { Database, ResellerOrigin } from './schema.js';
import { deleteTenantData, type DeletedCounts } from './tenant-data.js';

/** A reseller: the tenant that owns orders and eSIMs. */
export interface Reseller {
  id: string;
  name: string;
}

/** An API key to store: its public id, the hash of the secret, and the display hint (or null). */
export interface NewApiKey {
  id: string;
  hash: string;
  hint: string | null;
}

/** A stored key as the admin API shows it: never the key, never its hash. */
export interface ApiKeyRecord {
  id: string;
  resellerName: string;
  hint: string | null;
  createdAt: string;
  revokedAt: string | null;
}

/** A reseller as the admin API lists it, with what it holds. */
export interface ResellerRecord {
  name: string;
  origin: ResellerOrigin;
  createdAt: string;
  expiresAt: string | null;
  counts: { orders: number; esims: number; apiKeys: number };
}

/** What deleting a reseller removed: its data by kind, and its keys. */
export type DeletedReseller = DeletedCounts & { apiKeys: number };

/** A deleted reseller's tombstone. */
export interface Tombstone {
  name: string;
  deletedAt: string;
  cause: 'deleted' | 'expired';
}

// Resellers listed by name, A to Z (byte order: names are ASCII).
const RESELLERS = new Keyset<string>('admin-resellers', 'string', 'asc');

/** Reads and writes resellers and API-key hashes. */
export class ResellerRepository {
  private readonly selectByKey;
  private readonly dialect: Dialect;

  constructor(private readonly db: Kysely<Database>) {
    this.dialect = dialectOf(db);
    // Every authenticated request runs this: compiled once (src/store/precompiled.ts), one
    // primary-key lookup joined to the reseller's row.
    this.selectByKey = precompile(['hash?', 'now?'], (keyHash: string, now: string) =>
      db
        .selectFrom('api_keys')
        .innerJoin('resellers', 'resellers.id', 'api_keys.reseller_id')
        .select(['resellers.id as id', 'resellers.name as name'])
        .where('api_keys.key_hash', '=', keyHash)
        .where('api_keys.revoked_at', 'is', null)
        .where((eb) => eb.or([eb('resellers.expires_at', 'is', null), eb('resellers.expires_at', '>', now)])),
    );
  }

  /**
   * Creates the reseller `name` if it does not exist, and binds the key hash to it (moving
   * the key from another reseller if it was bound elsewhere, and lifting a revocation: the
   * configuration names the key, so it works). Returns the reseller.
   * @param keyId the id a new key row gets (a key already stored keeps its own).
   */
  async upsertWithKey(name: string, key: NewApiKey, now: Date): Promise<Reseller> {
    return this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('resellers')
        .values({ id: randomUUID(), name, created_at: now.toISOString(), origin: 'configured', expires_at: null })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const reseller = await trx
        .selectFrom('resellers')
        .select(['id', 'name'])
        .where('name', '=', name)
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('api_keys')
        .values({
          key_hash: key.hash,
          reseller_id: reseller.id,
          created_at: now.toISOString(),
          id: key.id,
          hint: key.hint,
          revoked_at: null,
        })
        .onConflict((oc) => oc.column('key_hash').doUpdateSet({ reseller_id: reseller.id, revoked_at: null }))
        .execute();
      return reseller;
    });
  }

  /**
   * The reseller owning the key with this SHA-256 hash, if the key is not revoked and the
   * reseller is not a sandbox past its expiry at `now`; else undefined.
   */
  async findByKeyHash(keyHash: string, now: Date): Promise<Reseller | undefined> {
    const [row] = (await this.db.executeQuery(this.selectByKey(keyHash, now.toISOString()))).rows;
    return row;
  }

  /** Number of API keys stored, all resellers together (revoked ones included). */
  async countKeys(): Promise<number> {
    const row = await this.db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Creates a reseller with its first key, in one transaction.
   * @param expiresAt for a sandbox: when its keys stop working and the sweep deletes it.
   * @returns false (and writes nothing) when the name is taken.
   */
  async create(
    name: string,
    origin: ResellerOrigin,
    expiresAt: Date | null,
    key: NewApiKey,
    now: Date,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const id = randomUUID();
      const inserted = await trx
        .insertInto('resellers')
        .values({
          id,
          name,
          created_at: now.toISOString(),
          origin,
          expires_at: expiresAt ? expiresAt.toISOString() : null,
        })
        .onConflict((oc) => oc.column('name').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) return false;
      await insertKey(trx, id, key, now);
      return true;
    });
  }

  /**
   * Adds a key to the reseller `name` (not an expired sandbox).
   * @returns false when there is no such reseller.
   */
  async addKey(name: string, key: NewApiKey, now: Date): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const reseller = await live(trx, now)
        .where('name', '=', name)
        .select('id')
        .$call((q) => (this.dialect === 'postgres' ? q.forUpdate() : q))
        .executeTakeFirst();
      if (!reseller) return false;
      await insertKey(trx, reseller.id, key, now);
      return true;
    });
  }

  /**
   * Revokes the key `keyId` at `now`; a key already revoked keeps its first revocation time.
   * @returns the key as it is now, or undefined when no key has this id.
   */
  async revokeKey(keyId: string, now: Date): Promise<ApiKeyRecord | undefined> {
    await this.db
      .updateTable('api_keys')
      .set({ revoked_at: now.toISOString() })
      .where('id', '=', keyId)
      .where('revoked_at', 'is', null)
      .execute();
    const row = await this.db
      .selectFrom('api_keys')
      .innerJoin('resellers', 'resellers.id', 'api_keys.reseller_id')
      .select(['api_keys.id', 'resellers.name', 'api_keys.hint', 'api_keys.created_at', 'api_keys.revoked_at'])
      .where('api_keys.id', '=', keyId)
      .executeTakeFirst();
    return row ? toKeyRecord(row) : undefined;
  }

  /** One page of the resellers (expired sandboxes left out), by name. @throws RuleViolation for a foreign cursor. */
  async list(request: PageRequest, now: Date): Promise<Page<ResellerRecord>> {
    const position = RESELLERS.position({ owner: 'admin' }, request);
    return RESELLERS.page(this.withCounts(now), 'name', position, (row) => row.name, toResellerRecord);
  }

  /** The reseller `name` (not an expired sandbox) with its keys, or undefined. */
  async get(name: string, now: Date): Promise<(ResellerRecord & { apiKeys: ApiKeyRecord[] }) | undefined> {
    const row = await this.withCounts(now).where('name', '=', name).executeTakeFirst();
    if (!row) return undefined;
    const keys = await this.db
      .selectFrom('api_keys')
      .select(['id', 'hint', 'created_at', 'revoked_at'])
      .where('reseller_id', '=', row.id)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return { ...toResellerRecord(row), apiKeys: keys.map((key) => toKeyRecord({ ...key, name })) };
  }

  /** The latest tombstone of the name, or undefined when no reseller of this name was ever deleted. */
  async tombstone(name: string): Promise<Tombstone | undefined> {
    const row = await this.db
      .selectFrom('deleted_resellers')
      .select(['name', 'deleted_at', 'cause'])
      .where('name', '=', name)
      .orderBy('deleted_at', 'desc')
      .executeTakeFirst();
    return row ? { name: row.name, deletedAt: row.deleted_at, cause: row.cause as Tombstone['cause'] } : undefined;
  }

  /**
   * Deletes the reseller `name` (an expired sandbox too) with all its data and keys, and
   * leaves its tombstone, in one transaction.
   * @returns what was deleted, or undefined when there is no such reseller.
   */
  async delete(name: string, now: Date): Promise<DeletedReseller | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const reseller = await this.lockForDeletion(trx).where('name', '=', name).executeTakeFirst();
      return reseller ? deleteReseller(trx, reseller, 'deleted', now) : undefined;
    });
  }

  /** Ids of sandboxes expired at `now`, at most `limit`, earliest expiry first. */
  async expiredSandboxes(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('resellers')
      .select('id')
      .where('expires_at', '<=', now.toISOString())
      .orderBy('expires_at')
      .limit(limit)
      .execute();
    return rows.map((row) => row.id);
  }

  /**
   * Deletes the sandbox `id` with all its data, if it is still there and expired at `now`:
   * the condition is checked again under the row's lock in the deleting transaction, so two
   * instances sweeping at once delete it once (the other finds nothing).
   * @returns the name deleted, or undefined when another sweep (or an admin) was first.
   */
  async deleteIfExpired(id: string, now: Date): Promise<string | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const reseller = await this.lockForDeletion(trx)
        .where('id', '=', id)
        .where('expires_at', '<=', now.toISOString())
        .executeTakeFirst();
      if (!reseller) return undefined;
      await deleteReseller(trx, reseller, 'expired', now);
      return reseller.name;
    });
  }

  /** Deletes the reseller's data (not the reseller, not its keys), in one transaction. */
  async reset(resellerId: string): Promise<DeletedCounts> {
    return this.db.transaction().execute(async (trx) => deleteTenantData(trx, resellerId));
  }

  // SQLite's write transactions are serial already (BEGIN IMMEDIATE); PostgreSQL locks the row.
  private lockForDeletion(trx: Transaction<Database>) {
    const query = trx.selectFrom('resellers').select(['id', 'name', 'created_at']);
    return this.dialect === 'postgres' ? query.forUpdate() : query;
  }

  private withCounts(now: Date) {
    return live(this.db, now).select((eb) => [
      'resellers.id',
      'resellers.name',
      'resellers.origin',
      'resellers.created_at',
      'resellers.expires_at',
      eb
        .selectFrom('orders')
        .select((e) => e.fn.countAll<number | string>().as('n'))
        .whereRef('orders.reseller_id', '=', 'resellers.id')
        .as('orders'),
      eb
        .selectFrom('esims')
        .select((e) => e.fn.countAll<number | string>().as('n'))
        .whereRef('esims.reseller_id', '=', 'resellers.id')
        .as('esims'),
      eb
        .selectFrom('api_keys')
        .select((e) => e.fn.countAll<number | string>().as('n'))
        .whereRef('api_keys.reseller_id', '=', 'resellers.id')
        .where('api_keys.revoked_at', 'is', null)
        .as('api_keys'),
    ]);
  }
}

/** Resellers other than sandboxes expired at `now`. */
function live(db: Kysely<Database> | Transaction<Database>, now: Date) {
  return db
    .selectFrom('resellers')
    .where((eb) => eb.or([eb('resellers.expires_at', 'is', null), eb('resellers.expires_at', '>', now.toISOString())]));
}

async function insertKey(trx: Transaction<Database>, resellerId: string, key: NewApiKey, now: Date): Promise<void> {
  await trx
    .insertInto('api_keys')
    .values({
      key_hash: key.hash,
      reseller_id: resellerId,
      created_at: now.toISOString(),
      id: key.id,
      hint: key.hint,
      revoked_at: null,
    })
    .execute();
}

/** Deletes a locked reseller's data, keys, outbox counter and row, and writes its tombstone. */
async function deleteReseller(
  trx: Transaction<Database>,
  reseller: { id: string; name: string; created_at: string },
  cause: Tombstone['cause'],
  now: Date,
): Promise<DeletedReseller> {
  const counts = await deleteTenantData(trx, reseller.id);
  const keys = await trx.deleteFrom('api_keys').where('reseller_id', '=', reseller.id).executeTakeFirst();
  await trx.deleteFrom('counters').where('name', '=', `webhook:${reseller.id}`).execute();
  await trx.deleteFrom('resellers').where('id', '=', reseller.id).execute();
  await trx
    .insertInto('deleted_resellers')
    .values({
      id: reseller.id,
      name: reseller.name,
      created_at: reseller.created_at,
      deleted_at: now.toISOString(),
      cause,
    })
    .execute();
  return { ...counts, apiKeys: Number(keys.numDeletedRows) };
}

function toKeyRecord(row: {
  id: string;
  name: string;
  hint: string | null;
  created_at: string;
  revoked_at: string | null;
}): ApiKeyRecord {
  return { id: row.id, resellerName: row.name, hint: row.hint, createdAt: row.created_at, revokedAt: row.revoked_at };
}

function toResellerRecord(row: {
  name: string;
  origin: ResellerOrigin;
  created_at: string;
  expires_at: string | null;
  orders: number | string | null;
  esims: number | string | null;
  api_keys: number | string | null;
}): ResellerRecord {
  return {
    name: row.name,
    origin: row.origin,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    counts: { orders: Number(row.orders ?? 0), esims: Number(row.esims ?? 0), apiKeys: Number(row.api_keys ?? 0) },
  };
}
