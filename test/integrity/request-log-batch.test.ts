/**
 * The request log's batch write on the real store (SQLite, or PostgreSQL with
 * TEST_DATABASE_URL): a reseller deleted after its entries were queued loses only its own
 * entries; the other resellers' entries of the same batch are written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config.js';
import { openStore, type Store } from '../../src/store/db.js';
import { type NewRequestLogEntry, RequestLogRepository } from '../../src/store/request-log.js';
import { databaseUrl, dropSchema, newTestStore, type TestStore } from '../helpers/database.js';

function entry(resellerId: string, requestId: string): NewRequestLogEntry {
  return {
    reseller_id: resellerId,
    request_id: requestId,
    received_at: '2026-12-03T12:00:00.000Z',
    method: 'GET',
    path: '/v1/plans',
    query: '{}',
    operation_id: 'listPlans',
    status: 200,
    duration_us: 1000,
    idempotency_key: null,
    idempotent_replayed: 0,
    fault: null,
    problem_code: null,
    request_headers: '{}',
    request_body: null,
    request_body_json: 0,
    request_truncated: 0,
    response_headers: '{}',
    response_body: null,
    response_body_json: 0,
    response_truncated: 0,
    iccids: '[]',
    transaction_id: null,
    iccidList: [],
  };
}

describe('request log batch', () => {
  let dir: string | undefined;
  let testStore: TestStore | undefined;
  let store: Store | undefined;

  afterEach(async () => {
    await store?.close();
    if (testStore?.kind === 'postgres') await dropSchema(testStore.schema);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the other resellers’ entries when one reseller was deleted after queuing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'esim-sandbox-rlbatch-'));
    testStore = await newTestStore(dir);
    store = await openStore(parseDatabaseUrl(databaseUrl(testStore)));
    const created = '2026-12-03T11:00:00.000Z';
    await store.db
      .insertInto('resellers')
      .values([
        { id: 'stays', name: 'Stays', created_at: created, expires_at: null },
        { id: 'gone', name: 'Gone', created_at: created, expires_at: null },
      ])
      .execute();
    const queued = [entry('stays', 'r1'), entry('gone', 'r2'), entry('stays', 'r3'), entry('gone', 'r4')];
    await store.db.deleteFrom('resellers').where('id', '=', 'gone').execute();

    await new RequestLogRepository(store.db).write(queued, { limit: 100, days: 7 }, new Date('2026-12-03T12:00:01Z'));

    const rows = await store.db.selectFrom('request_log').select(['reseller_id', 'request_id']).orderBy('id').execute();
    expect(rows).toEqual([
      { reseller_id: 'stays', request_id: 'r1' },
      { reseller_id: 'stays', request_id: 'r3' },
    ]);
  });
});
