/**
 * The request log's retention over real HTTP, at both bounds: REQUEST_LOG_LIMIT (the newest
 * N entries per reseller, the others deleted by the batch writer) and REQUEST_LOG_DAYS
 * (entries aged in the database: never shown, then deleted at the next batch); and
 * REQUEST_LOG=off recording nothing. SQLite, or PostgreSQL with TEST_DATABASE_URL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServerDatabase, startServer, type ServerProcess } from '../helpers/server-process.js';

const KEY = 'acme-e2e-retention-0001';
const OTHER_KEY = 'globex-e2e-retention-02';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'esim-sandbox-retention-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function get(server: ServerProcess, path: string, key = KEY, requestId?: string): Promise<any> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${key}`, ...(requestId ? { 'x-request-id': requestId } : {}) },
  });
  return response.json();
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 600));

describe('retention', () => {
  let server: ServerProcess;
  const url = () => `sqlite:${join(dir, 'limit.db')}`;

  beforeAll(async () => {
    server = await startServer({
      env: {
        DATABASE_URL: url(),
        SANDBOX_API_KEYS: `acme:${KEY},globex:${OTHER_KEY}`,
        REQUEST_LOG_LIMIT: '5',
        RATE_LIMITS: 'off',
      },
    });
  });
  afterAll(async () => server?.stop());

  it('keeps the newest REQUEST_LOG_LIMIT entries per reseller and deletes the rest', async () => {
    for (let i = 1; i <= 8; i++) await get(server, '/v1/sandbox/clock', KEY, `r-${i}`);
    await get(server, '/v1/sandbox/clock', OTHER_KEY, 'other-1');
    await settle();
    const page = await get(server, '/v1/sandbox/requests?limit=100');
    expect(page.items.map((e: any) => e.requestId)).toEqual(['r-8', 'r-7', 'r-6', 'r-5', 'r-4']);
    const db = openServerDatabase(url());
    try {
      const counts = db
        .prepare(
          'select r.name as reseller, count(*) as n from request_log l join resellers r on r.id = l.reseller_id group by r.name order by r.name',
        )
        .all();
      expect(counts, JSON.stringify(counts)).toEqual([
        { reseller: 'acme', n: 5 },
        { reseller: 'globex', n: 1 },
      ]);
    } finally {
      db.close();
    }
  });

  it('never shows an entry older than REQUEST_LOG_DAYS, and deletes it at the next write', async () => {
    const db = openServerDatabase(url());
    try {
      const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000).toISOString();
      const sixDaysAgo = new Date(Date.now() - 6 * 86_400_000).toISOString();
      db.prepare("update request_log set received_at = ? where request_id in ('r-4', 'r-5')").run(eightDaysAgo);
      db.prepare("update request_log set received_at = ? where request_id = 'r-6'").run(sixDaysAgo);
      const aged = db.prepare("select id from request_log where request_id = 'r-4'").get() as { id: number };
      const page = await get(server, '/v1/sandbox/requests?limit=100');
      expect(page.items.map((e: any) => e.requestId)).toEqual(['r-8', 'r-7', 'r-6']);
      const one = await get(server, `/v1/sandbox/requests/${aged.id}`);
      expect(one).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      await get(server, '/v1/sandbox/clock', KEY, 'r-9');
      await settle();
      const left = db
        .prepare(
          "select l.request_id as id from request_log l join resellers r on r.id = l.reseller_id where r.name = 'acme' order by l.id",
        )
        .all();
      expect(left).toEqual([{ id: 'r-6' }, { id: 'r-7' }, { id: 'r-8' }, { id: 'r-9' }]);
    } finally {
      db.close();
    }
  });
});

describe('REQUEST_LOG=off', () => {
  it('records nothing, and the reads answer an empty log', async () => {
    const url = `sqlite:${join(dir, 'off.db')}`;
    const server = await startServer({
      env: { DATABASE_URL: url, SANDBOX_API_KEYS: `acme:${KEY}`, REQUEST_LOG: 'off' },
    });
    try {
      await get(server, '/v1/sandbox/clock');
      await get(server, '/v1/plans?countryCode=JP');
      await settle();
      expect(await get(server, '/v1/sandbox/requests')).toEqual({ items: [], nextCursor: null });
      const db = openServerDatabase(url);
      try {
        expect(db.prepare('select count(*) as n from request_log').get()).toEqual({ n: 0 });
      } finally {
        db.close();
      }
    } finally {
      await server.stop();
    }
  });
});
