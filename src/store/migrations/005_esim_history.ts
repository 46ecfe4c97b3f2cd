import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * What the inspection reads need: each eSIM's history, the request that placed each order
 * and the orders' keyset, and indexes for the listings and for the clock's due rules.
 *
 * - `esim_history`: one row per change of an eSIM, with an id that only grows (SQLite
 *   AUTOINCREMENT never reuses one, even after deletes; PostgreSQL an identity), so a reader
 *   can follow the table by id; read by (reseller, eSIM) in id order.
 * - `orders.request_id`, and `orders.seq`: the ICCID sequence number of the order's first
 *   eSIM, unique and increasing in commit order; backfilled from the eSIMs already there.
 * - The eSIMs listing walks a reseller's eSIMs by ICCID: index (reseller_id, iccid). It
 *   replaces (reseller_id, contract_status), whose one reader, the clock's candidate
 *   search, now uses two partial indexes holding only the eSIMs a rule may still end (live
 *   ones with an expiry date; live ones never activated, by deadline), so that search costs
 *   what is due, not the reseller's whole fleet, on every listing read.
 */
export const esimHistory: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    await db.schema
      .createTable('esim_history')
      .addColumn('id', postgres ? 'bigint' : 'integer', (c) =>
        postgres ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement(),
      )
      .addColumn('reseller_id', 'text', (c) => c.notNull().references('resellers.id'))
      .addColumn('iccid', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('cause', 'text', (c) => c.notNull())
      .addColumn('request_id', 'text')
      .addColumn('changes', 'text', (c) => c.notNull())
      .addColumn('webhook_delivery_ids', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('esim_history_by_esim')
      .on('esim_history')
      .columns(['reseller_id', 'iccid', 'id'])
      .execute();

    await db.schema.alterTable('orders').addColumn('request_id', 'text').execute();
    await db.schema.alterTable('orders').addColumn('seq', 'bigint').execute();
    // An order's eSIMs hold a consecutive range of sequence numbers: ICCID = 8900 + 14-digit sequence + Luhn digit.
    await sql`update orders set seq = (select min(cast(substr(esims.iccid, 5, 14) as bigint)) from esims where esims.transaction_id = orders.transaction_id)`.execute(
      db,
    );
    await db.schema.createIndex('orders_by_reseller').on('orders').columns(['reseller_id', 'seq']).unique().execute();

    await db.schema.dropIndex('esims_by_reseller_status').execute();
    await db.schema.createIndex('esims_by_reseller').on('esims').columns(['reseller_id', 'iccid']).execute();
    // EsimRepository.clockCandidates repeats these predicates word for word: SQLite uses a
    // partial index only for a query whose WHERE contains its terms.
    await db.schema
      .createIndex('esims_expiry_due')
      .on('esims')
      .columns(['reseller_id', 'expires_on'])
      .where(sql<boolean>`contract_status <> 'TERMINATED' and expires_on is not null`)
      .execute();
    await db.schema
      .createIndex('esims_deadline_due')
      .on('esims')
      .columns(['reseller_id', 'activation_deadline'])
      .where(sql<boolean>`contract_status <> 'TERMINATED' and activated_on is null`)
      .execute();
  },
};
