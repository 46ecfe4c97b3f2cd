/**
 * Migration 005 on a store that already holds orders (SQLite, or PostgreSQL with
 * TEST_DATABASE_URL): each existing order gets `seq`, the sequence number of its first
 * ICCID, and no request id; the listing then pages old and new orders together, newest first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { sandboxIccid } from '../../src/domain/iccid.js';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { ACME_KEY } from '../helpers/app.js';
import { createSchema, dropSchema, testDatabaseUrl } from '../helpers/database.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A store migrated up to 004 only, and its DATABASE_URL. */
async function storeAt004(): Promise<{ db: Kysely<any>; url: string; migrator: Migrator }> {
  let db: Kysely<any>;
  let url: string;
  let schema: string | undefined;
  if (testDatabaseUrl()) {
    const store = await createSchema();
    cleanups.push(() => dropSchema(store.schema));
    const pool = new pg.Pool({ connectionString: testDatabaseUrl(), options: `-c search_path=${store.schema}` });
    db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    url = store.url;
    schema = store.schema;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'esim-sandbox-migration-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'sandbox.db');
    db = new Kysely<any>({ dialect: new SqliteDialect({ database: new SqliteDatabase(file) }) });
    url = `sqlite:${file}`;
  }
  cleanups.push(() => db.destroy());
  // As the server runs them: on PostgreSQL, Kysely's own tables in the store's schema.
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error } = await migrator.migrateTo('004_webhooks');
  if (error) throw new Error('migrating to 004 failed', { cause: error });
  return { db, url, migrator };
}

it('backfills orders.seq from the first ICCID of each order, and lists old and new orders newest first', async () => {
  const { db, url, migrator } = await storeAt004();
  const at = '2026-01-01T00:00:00.000Z';
  await db.insertInto('resellers').values({ id: 'r-acme', name: 'acme', created_at: at }).execute();
  const orders = [
    { transaction_id: '00000000-0000-4000-8000-000000000001', first: 1, quantity: 2 },
    { transaction_id: '00000000-0000-4000-8000-000000000002', first: 3, quantity: 1 },
  ];
  for (const o of orders) {
    await db
      .insertInto('orders')
      .values({
        transaction_id: o.transaction_id,
        reseller_id: 'r-acme',
        plan_code: 'KD0001',
        quantity: o.quantity,
        created_at: at,
      })
      .execute();
    for (let i = 0; i < o.quantity; i++)
      await db
        .insertInto('esims')
        .values({
          iccid: sandboxIccid(o.first + i),
          reseller_id: 'r-acme',
          transaction_id: o.transaction_id,
          order_position: i,
          plan_code: 'KD0001',
          home_country: 'JP',
          roaming_countries: '[]',
          contract_status: 'ACTIVE',
          profile_provision_status: 'AVAILABLE',
          profile_install_status: 'READY',
          is_service_restricted: 0,
          smdp_address: 'smdp.sandbox.example',
          activation_code: `CODE-${o.first + i}`,
          activation_deadline: '2099-06-30T00:00:00.000Z',
          data_usage: '[]',
          total_data_usage: 0,
          last_updated_at: at,
          created_at: at,
        })
        .execute();
  }
  await db.updateTable('counters').set({ value: 3 }).where('name', '=', 'iccid').execute();

  const { error } = await migrator.migrateToLatest();
  expect(error).toBeUndefined();
  const rows = await sql<{ transaction_id: string; seq: number | string; request_id: string | null }>`
    select transaction_id, seq, request_id from orders order by transaction_id`.execute(db);
  expect(rows.rows.map((r) => [r.transaction_id, Number(r.seq), r.request_id])).toEqual([
    [orders[0]!.transaction_id, 1, null],
    [orders[1]!.transaction_id, 3, null],
  ]);

  // The server on that store: acme's key bound to the existing reseller by name.
  const { app } = await buildApp(
    loadConfig({ DATABASE_URL: url, SANDBOX_API_KEYS: `acme:${ACME_KEY}`, LOG_LEVEL: 'silent' }),
  );
  cleanups.push(() => app.close());
  const headers = { authorization: `Bearer ${ACME_KEY}` };
  const placed = await app.inject({
    method: 'POST',
    url: '/v1/orders',
    headers: { ...headers, 'x-request-id': 'after-005' },
    payload: { planCode: 'KD0001', quantity: 1 },
  });
  expect(placed.statusCode).toBe(201);
  const listed = await app.inject({ method: 'GET', url: '/v1/sandbox/orders', headers });
  expect(listed.json<{ items: { transactionId: string; requestId: string | null }[] }>().items).toEqual([
    expect.objectContaining({
      transactionId: placed.json<{ transactionId: string }>().transactionId,
      requestId: 'after-005',
    }),
    expect.objectContaining({ transactionId: orders[1]!.transaction_id, requestId: null }),
    expect.objectContaining({ transactionId: orders[0]!.transaction_id, requestId: null }),
  ]);
  // An eSIM ordered before 005 has no history entries: its history is empty, not a 404.
  const old = await app.inject({ method: 'GET', url: `/v1/sandbox/esims/${sandboxIccid(1)}/history`, headers });
  expect(old.json()).toEqual({ iccid: sandboxIccid(1), items: [], nextCursor: null });
});
