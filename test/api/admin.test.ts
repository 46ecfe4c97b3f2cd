/**
 * The admin API (`/admin/v1`, docs/admin.md) on a real store (SQLite file, or a PostgreSQL
 * schema with TEST_DATABASE_URL): the gate (404 without ADMIN_TOKEN, 401 without the right
 * token), resellers and keys, revocation, deletion with all data, sandboxes and their expiry,
 * and that no key is ever stored in clear. Every answer is checked against the OpenAPI document.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_KEY, GLOBEX_KEY, startTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem, expectViolation, placeOrder, withDatabase } from './support.js';

const TOKEN = 'admin-token-for-tests-0001';
const ADMIN = { authorization: `Bearer ${TOKEN}` };

interface CreatedReseller {
  name: string;
  origin: string;
  createdAt: string;
  expiresAt: string | null;
  apiKey: { id: string; key: string; createdAt: string };
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ ADMIN_TOKEN: TOKEN, RATE_LIMITS: 'off' });
});
afterAll(async () => t.close());

/** An admin request with the right token (no reseller key). */
const admin = (method: string, url: string, body?: unknown) =>
  t.call(method, url, { key: null, headers: ADMIN, ...(body !== undefined ? { body } : {}) });

async function createReseller(name: string): Promise<CreatedReseller> {
  const res = await admin('POST', '/admin/v1/resellers', { name });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<CreatedReseller>();
}

/** The status of a /v1 read with `key`. */
async function statusWith(key: string): Promise<number> {
  return (await t.call('GET', '/v1/sandbox/clock', { key })).statusCode;
}

describe('the admin gate', () => {
  const routes: [string, string, unknown][] = [
    ['POST', '/admin/v1/resellers', { name: 'gate-test' }],
    ['GET', '/admin/v1/resellers', undefined],
    ['GET', '/admin/v1/resellers/acme', undefined],
    ['DELETE', '/admin/v1/resellers/acme', undefined],
    ['POST', '/admin/v1/resellers/acme/keys', undefined],
    ['DELETE', '/admin/v1/keys/key_AAAAAAAAAAAAAAAA', undefined],
    ['POST', '/admin/v1/sandboxes', {}],
  ];

  it('answers 404 NOT_FOUND on every admin route when the server has no ADMIN_TOKEN, with or without a token', async () => {
    const off = await startTestApp();
    try {
      for (const [method, url, body] of routes) {
        for (const headers of [{}, ADMIN]) {
          const res = await off.call(method, url, { key: null, headers, ...(body !== undefined ? { body } : {}) });
          const problem = expectProblem(res, 404, 'NOT_FOUND');
          expect(problem.detail).toBe(`no route ${method} ${url}`);
        }
      }
      // Nothing was done: acme is still there and its key works.
      expect((await off.call('GET', '/v1/sandbox/clock')).statusCode).toBe(200);
    } finally {
      await off.close();
    }
  });

  it.each([
    ['no Authorization header', undefined, 'Bearer realm="esim-sandbox-admin"'],
    ['a reseller API key', `Bearer ${ACME_KEY}`, 'Bearer realm="esim-sandbox-admin", error="invalid_token"'],
    [
      'the token with one character changed',
      `Bearer ${TOKEN.slice(0, -1)}2`,
      'Bearer realm="esim-sandbox-admin", error="invalid_token"',
    ],
    [
      'a prefix of the token',
      `Bearer ${TOKEN.slice(0, 10)}`,
      'Bearer realm="esim-sandbox-admin", error="invalid_token"',
    ],
    ['the token and more', `Bearer ${TOKEN}x`, 'Bearer realm="esim-sandbox-admin", error="invalid_token"'],
    [
      'another scheme',
      `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}`,
      'Bearer realm="esim-sandbox-admin"',
    ],
  ])('answers 401 UNAUTHORIZED to %s, on every route, doing nothing', async (_case, authorization, challenge) => {
    for (const [method, url, body] of routes) {
      const headers: Record<string, string> = authorization ? { authorization } : {};
      const res = await t.call(method, url, { key: null, headers, ...(body !== undefined ? { body } : {}) });
      expectProblem(res, 401, 'UNAUTHORIZED');
      expect(res.headers['www-authenticate']).toBe(challenge);
    }
    expect(await statusWith(ACME_KEY)).toBe(200);
    expect((await admin('GET', '/admin/v1/resellers/gate-test')).statusCode).toBe(404);
  });

  it('is outside the reseller rate limits: no X-RateLimit headers, 100 calls in a row all answered', async () => {
    const limited = await startTestApp({ ADMIN_TOKEN: TOKEN });
    try {
      const statuses = new Set<number>();
      for (let i = 0; i < 100; i++) {
        const res = await limited.call('GET', '/admin/v1/resellers', { key: null, headers: ADMIN });
        statuses.add(res.statusCode);
        expect(res.headers['x-ratelimit-limit']).toBeUndefined();
      }
      expect([...statuses]).toEqual([200]);
    } finally {
      await limited.close();
    }
  });
});

describe('resellers and keys', () => {
  it('creates a reseller with a key shown once, which works on /v1 at once', async () => {
    const before = Date.now();
    const created = await createReseller('initech');
    expect(created).toEqual({
      name: 'initech',
      origin: 'admin',
      createdAt: expect.any(String) as string,
      expiresAt: null,
      apiKey: {
        id: expect.stringMatching(/^key_[A-Za-z0-9_-]{16}$/) as string,
        key: expect.stringMatching(/^sk_sandbox_[A-Za-z0-9_-]{32}$/) as string,
        createdAt: created.createdAt,
      },
    });
    expect(Date.parse(created.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    const order = await placeOrder(t, 'KD0001', 2, created.apiKey.key);
    expect(order.esims).toHaveLength(2);

    const detail = await admin('GET', '/admin/v1/resellers/initech');
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toEqual({
      name: 'initech',
      origin: 'admin',
      createdAt: created.createdAt,
      expiresAt: null,
      counts: { orders: 1, esims: 2, apiKeys: 1 },
      apiKeys: [
        { id: created.apiKey.id, hint: created.apiKey.key.slice(-4), createdAt: created.createdAt, revokedAt: null },
      ],
    });
  });

  it('answers 409 RESELLER_EXISTS for a name in use (a configured one too), changing nothing', async () => {
    await createReseller('hooli');
    for (const name of ['hooli', 'acme']) {
      const problem = expectProblem(await admin('POST', '/admin/v1/resellers', { name }), 409, 'RESELLER_EXISTS');
      expect(problem.detail).toBe(`a reseller named "${name}" exists already`);
    }
    const hooli = (await admin('GET', '/admin/v1/resellers/hooli')).json<{ counts: { apiKeys: number } }>();
    expect(hooli.counts.apiKeys).toBe(1);
    expect(await statusWith(ACME_KEY)).toBe(200);
  });

  it.each([
    [{ name: '' }, 'body.name'],
    [{ name: 'has space' }, 'body.name'],
    [{ name: 'x'.repeat(65) }, 'body.name'],
    [{ name: 'ünïcode' }, 'body.name'],
    [{}, 'body.name'],
    [{ name: 'ok', extra: 1 }, 'body.extra'],
  ])('refuses %j with a 400 naming %s', async (body, path) => {
    expectViolation(await admin('POST', '/admin/v1/resellers', body), path);
  });

  it('states the name rule in the 400 for a path name too', async () => {
    expectViolation(await admin('GET', '/admin/v1/resellers/bad%20name'), 'path.name', /pattern/);
  });

  it('lists resellers by name with their counts, page by page', async () => {
    await createReseller('list-a');
    await createReseller('list-b');
    await placeOrder(t, 'KD0001', 3, GLOBEX_KEY);
    const all = await admin('GET', '/admin/v1/resellers?limit=100');
    expect(all.statusCode).toBe(200);
    const items = all.json<{ items: { name: string; counts: { orders: number; esims: number; apiKeys: number } }[] }>()
      .items;
    const names = items.map((item) => item.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['acme', 'globex', 'list-a', 'list-b']));
    const globex = items.find((item) => item.name === 'globex')!;
    expect(globex.counts.esims).toBeGreaterThanOrEqual(3);
    expect(items.find((item) => item.name === 'list-a')!.counts).toEqual({ orders: 0, esims: 0, apiKeys: 1 });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await admin('GET', `/admin/v1/resellers?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const page = res.json<{ items: { name: string }[]; nextCursor: string | null }>();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(names);
    expectViolation(await admin('GET', '/admin/v1/resellers?cursor=bm90LWEtY3Vyc29y'), 'query.cursor');
  });

  it('adds keys; revoking one refuses it from the next request on, the other keeps working', async () => {
    const created = await createReseller('umbrella');
    const added = await admin('POST', '/admin/v1/resellers/umbrella/keys');
    expect(added.statusCode, added.body).toBe(201);
    const second = added.json<{ resellerName: string; apiKey: { id: string; key: string; createdAt: string } }>();
    expect(second.resellerName).toBe('umbrella');
    expect(second.apiKey.key).not.toBe(created.apiKey.key);
    expect([await statusWith(created.apiKey.key), await statusWith(second.apiKey.key)]).toEqual([200, 200]);

    const revoked = await admin('DELETE', `/admin/v1/keys/${created.apiKey.id}`);
    expect(revoked.statusCode).toBe(200);
    const body = revoked.json<{ id: string; resellerName: string; revokedAt: string; hint: string }>();
    expect(body).toMatchObject({ id: created.apiKey.id, resellerName: 'umbrella', hint: created.apiKey.key.slice(-4) });
    const refused = await t.call('GET', '/v1/sandbox/clock', { key: created.apiKey.key });
    expect(expectProblem(refused, 401, 'UNAUTHORIZED').detail).toBe(
      'the API key is not known, was revoked, or its sandbox expired',
    );
    expect(await statusWith(second.apiKey.key)).toBe(200);

    // Revoking again answers the key as it is: the first revocation time stays.
    const again = await admin('DELETE', `/admin/v1/keys/${created.apiKey.id}`);
    expect(again.json()).toEqual(revoked.json());
    const detail = (await admin('GET', '/admin/v1/resellers/umbrella')).json<{
      counts: { apiKeys: number };
      apiKeys: { id: string; revokedAt: string | null }[];
    }>();
    expect(detail.counts.apiKeys).toBe(1);
    expect(detail.apiKeys.map((key) => [key.id, key.revokedAt])).toEqual([
      [created.apiKey.id, body.revokedAt],
      [second.apiKey.id, null],
    ]);
  });

  it('revokes a SANDBOX_API_KEYS key too', async () => {
    const keys = withDatabase(t, (db) =>
      db
        .prepare(
          `select api_keys.id as id from api_keys join resellers on resellers.id = api_keys.reseller_id where resellers.name = 'globex'`,
        )
        .all(),
    ) as { id: string }[];
    expect(keys).toHaveLength(1);
    expect(await statusWith(GLOBEX_KEY)).toBe(200);
    expect((await admin('DELETE', `/admin/v1/keys/${keys[0]!.id}`)).json()).toMatchObject({
      resellerName: 'globex',
      hint: null,
    });
    expect(await statusWith(GLOBEX_KEY)).toBe(401);
  });

  it('answers 404 for an unknown reseller or key, and 400 for a malformed key id', async () => {
    expect(expectProblem(await admin('GET', '/admin/v1/resellers/nobody'), 404, 'RESELLER_NOT_FOUND').detail).toBe(
      'no reseller named "nobody"',
    );
    expectProblem(await admin('POST', '/admin/v1/resellers/nobody/keys'), 404, 'RESELLER_NOT_FOUND');
    expectProblem(await admin('DELETE', '/admin/v1/resellers/nobody'), 404, 'RESELLER_NOT_FOUND');
    expect(
      expectProblem(await admin('DELETE', '/admin/v1/keys/key_AAAAAAAAAAAAAAAA'), 404, 'API_KEY_NOT_FOUND').detail,
    ).toBe('no API key has the id key_AAAAAAAAAAAAAAAA');
    expectViolation(await admin('DELETE', '/admin/v1/keys/not-a-key-id'), 'path.keyId');
    expectViolation(await admin('POST', '/admin/v1/resellers/acme/keys', { note: 'x' }), 'body');
  });
});

describe('deleting a reseller', () => {
  it('deletes its keys and all its data in one go, leaves others alone, and never issues its ICCIDs again', async () => {
    const doomed = await createReseller('doomed');
    // Port 9 (discard) refuses connections: the deliveries stay pending, retried.
    await t.call('PUT', '/v1/sandbox/webhook', { key: doomed.apiKey.key, body: { url: 'http://127.0.0.1:9/hook' } });
    const order = await placeOrder(t, 'KD0001', 3, doomed.apiKey.key);
    await t.call('POST', '/v1/sandbox/clock/advance', { key: doomed.apiKey.key, body: { days: 1 } });
    const acmeOrder = await placeOrder(t, 'KD0001', 1, ACME_KEY);
    const deliveries = withDatabase(
      t,
      (db) =>
        db
          .prepare(
            `select count(*) as n from webhook_deliveries where reseller_id = (select id from resellers where name = 'doomed')`,
          )
          .get() as { n: number },
    ).n;
    expect(deliveries).toBeGreaterThanOrEqual(1);
    // Its three requests (webhook, order, advance) reach the request log, written in batches
    // every 150 ms, before the deletion counts them.
    const logged = () =>
      Number(
        withDatabase(
          t,
          (db) =>
            db
              .prepare(
                `select count(*) as n from request_log where reseller_id = (select id from resellers where name = 'doomed')`,
              )
              .get() as { n: number },
        ).n,
      );
    await expect.poll(logged, { timeout: 10_000 }).toBe(3);

    const res = await admin('DELETE', '/admin/v1/resellers/doomed');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      name: 'doomed',
      deleted: {
        orders: 1,
        esims: 3,
        history: 3,
        requests: 3,
        idempotencyKeys: 0,
        webhookEndpoints: 1,
        webhookDeliveries: deliveries,
        clocks: 1,
        apiKeys: 1,
      },
    });
    expect(await statusWith(doomed.apiKey.key)).toBe(401);
    const gone = expectProblem(await admin('GET', '/admin/v1/resellers/doomed'), 404, 'RESELLER_NOT_FOUND');
    expect(gone.detail).toMatch(/^no reseller named "doomed": it was deleted at \d{4}-\d\d-\d\dT/);
    // Nothing of it is left in any tenant table, and acme's order is intact.
    const left = withDatabase(t, (db) =>
      ['orders', 'esims', 'esim_history', 'webhook_deliveries', 'webhook_endpoints', 'sandbox_clocks', 'api_keys'].map(
        (table) =>
          (
            db
              .prepare(`select count(*) as n from ${table} where reseller_id not in (select id from resellers)`)
              .get() as { n: number }
          ).n,
      ),
    );
    expect(left).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect((await t.call('GET', `/v1/orders/${acmeOrder.transactionId}`)).statusCode).toBe(200);

    // The ICCID sequence goes on: a new order gets ICCIDs after the deleted ones.
    const next = await placeOrder(t, 'KD0001', 1, ACME_KEY);
    const deletedMax = order.esims
      .map((e) => e.iccid)
      .sort()
      .at(-1)!;
    expect(next.esims[0]!.iccid > deletedMax).toBe(true);
    // A new reseller may take the name; it starts empty.
    const reborn = await createReseller('doomed');
    expect((await admin('GET', '/admin/v1/resellers/doomed')).json()).toMatchObject({
      counts: { orders: 0, esims: 0, apiKeys: 1 },
    });
    expect(reborn.apiKey.id).not.toBe(doomed.apiKey.id);
  });
});

describe('sandboxes', () => {
  it('creates a sandbox of 60 minutes by default, named sandbox-<12 characters>, with no body at all', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/admin/v1/sandboxes', headers: ADMIN });
    expect(res.statusCode, res.body).toBe(201);
    const sandbox = res.json<CreatedReseller>();
    expect(sandbox.name).toMatch(/^sandbox-[a-z0-9]{12}$/);
    expect(sandbox.origin).toBe('sandbox');
    expect(Date.parse(sandbox.expiresAt!) - Date.parse(sandbox.createdAt)).toBe(3_600_000);
    expect(await statusWith(sandbox.apiKey.key)).toBe(200);
  });

  it('takes ttlMinutes and namePrefix', async () => {
    const res = await admin('POST', '/admin/v1/sandboxes', { ttlMinutes: 10080, namePrefix: 'ci-job-4711' });
    const sandbox = res.json<CreatedReseller>();
    expect(sandbox.name).toMatch(/^ci-job-4711-[a-z0-9]{12}$/);
    expect(Date.parse(sandbox.expiresAt!) - Date.parse(sandbox.createdAt)).toBe(7 * 86_400_000);
  });

  it.each([
    [{ ttlMinutes: 0 }, 'body.ttlMinutes', />= 1/],
    [{ ttlMinutes: 10081 }, 'body.ttlMinutes', /<= 10080/],
    [{ ttlMinutes: 1.5 }, 'body.ttlMinutes', /integer/],
    [{ ttlSeconds: 30 }, 'body.ttlSeconds', /at least 60 seconds \(this server's ADMIN_SANDBOX_MIN_TTL_SECONDS\)/],
    [{ ttlSeconds: 604801 }, 'body.ttlSeconds', /<= 604800/],
    [{ ttlMinutes: 5, ttlSeconds: 300 }, 'body.ttlSeconds', /must not be given with body.ttlMinutes/],
    [{ namePrefix: 'x'.repeat(52) }, 'body.namePrefix', /pattern/],
    [{ namePrefix: 'bad prefix' }, 'body.namePrefix', /pattern/],
  ])('refuses %j with a 400 at %s', async (body, path, message) => {
    const before = (await admin('GET', '/admin/v1/resellers?limit=100')).json<{ items: unknown[] }>().items.length;
    expectViolation(await admin('POST', '/admin/v1/sandboxes', body), path, message);
    expect((await admin('GET', '/admin/v1/resellers?limit=100')).json<{ items: unknown[] }>().items.length).toBe(
      before,
    );
  });

  it('expires: from expiresAt its key answers 401 and the listing leaves it out; the sweep deletes it with its data', async () => {
    const short = await startTestApp(
      { ADMIN_TOKEN: TOKEN, ADMIN_SANDBOX_MIN_TTL_SECONDS: '1', RATE_LIMITS: 'off' },
      undefined,
      { sandboxSweepMs: 100 },
    );
    try {
      const res = await short.call('POST', '/admin/v1/sandboxes', {
        key: null,
        headers: ADMIN,
        body: { ttlSeconds: 2 },
      });
      const sandbox = res.json<CreatedReseller>();
      await placeOrder(short, 'KD0001', 2, sandbox.apiKey.key);
      expect((await short.call('GET', '/v1/sandbox/clock', { key: sandbox.apiKey.key })).statusCode).toBe(200);
      const tombstone = () =>
        withDatabase(short, (db) => db.prepare('select name, cause from deleted_resellers').all()) as {
          name: string;
          cause: string;
        }[];
      const deadline = Date.now() + 10_000;
      while (tombstone().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(sandbox.expiresAt!));
      expect(tombstone()).toEqual([{ name: sandbox.name, cause: 'expired' }]);
      expect((await short.call('GET', '/v1/sandbox/clock', { key: sandbox.apiKey.key })).statusCode).toBe(401);
      const gone = expectProblem(
        await short.call('GET', `/admin/v1/resellers/${sandbox.name}`, { key: null, headers: ADMIN }),
        404,
        'RESELLER_NOT_FOUND',
      );
      expect(gone.detail).toContain('it was a sandbox that expired and was deleted at');
      const rows = withDatabase(short, (db) =>
        ['orders', 'esims', 'esim_history', 'api_keys'].map(
          (table) =>
            (
              db
                .prepare(`select count(*) as n from ${table} where reseller_id not in (select id from resellers)`)
                .get() as { n: number }
            ).n,
        ),
      );
      expect(rows).toEqual([0, 0, 0, 0]);
      expect((await short.call('GET', '/v1/sandbox/clock')).statusCode).toBe(200);
    } finally {
      await short.close();
    }
  });
});

describe('secrets', () => {
  it('never stores an issued key in clear: not in any table, not in the database file', async () => {
    const reseller = await createReseller('secretive');
    const more = (await admin('POST', '/admin/v1/resellers/secretive/keys')).json<{ apiKey: { key: string } }>();
    const sandbox = (await admin('POST', '/admin/v1/sandboxes', {})).json<CreatedReseller>();
    const keys = [reseller.apiKey.key, more.apiKey.key, sandbox.apiKey.key, ACME_KEY, TOKEN];
    // Use them, so that every table they could reach (idempotency keys among them) has rows.
    await t.call('POST', '/v1/orders', {
      key: reseller.apiKey.key,
      body: { planCode: 'KD0001', quantity: 1 },
      headers: { 'idempotency-key': 'secret-test-1' },
    });
    const dump = withDatabase(t, (db) => {
      const tables = (
        t.store.kind === 'sqlite'
          ? db.prepare(`select name from sqlite_master where type = 'table'`).all()
          : db
              .prepare(`select table_name as name from information_schema.tables where table_schema = current_schema()`)
              .all()
      ) as { name: string }[];
      expect(tables.map((row) => row.name)).toEqual(
        expect.arrayContaining(['api_keys', 'resellers', 'idempotency_keys']),
      );
      return tables.map((row) => JSON.stringify(db.prepare(`select * from "${row.name}"`).all())).join('\n');
    });
    expect(dump).toContain(reseller.apiKey.key.slice(-4));
    for (const key of keys) expect(dump).not.toContain(key);
    if (t.store.kind === 'sqlite') {
      const dir = join(t.store.file, '..');
      const files = readdirSync(dir).filter((file) => file.startsWith('sandbox'));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const bytes = readFileSync(join(dir, file)).toString('latin1');
        for (const key of keys) expect(bytes.includes(key), `${file} holds a key`).toBe(false);
      }
    }
  });
});
