/**
 * `POST /v1/sandbox/reset` on a real store: it deletes every kind of the caller's data in one
 * go and answers the counts, leaves another reseller's data exactly as it was, keeps the
 * reseller and its keys, and the ICCID sequence goes on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_KEY, GLOBEX_KEY, startTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem, expectViolation, placeOrder, withDatabase, type Order } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMITS: 'off' });
});
afterAll(async () => t.close());

const TABLES = [
  'orders',
  'esims',
  'esim_history',
  'idempotency_keys',
  'webhook_endpoints',
  'webhook_deliveries',
  'sandbox_clocks',
] as const;

/** Rows per tenant table for the reseller `name` (idempotency keys through its API keys). */
function rowsOf(name: string): Record<string, number> {
  return withDatabase(t, (db) => {
    const id = (db.prepare('select id from resellers where name = ?').get(name) as { id: string }).id;
    return Object.fromEntries(
      TABLES.map((table) => {
        const where =
          table === 'idempotency_keys'
            ? 'scope in (select key_hash from api_keys where reseller_id = ?)'
            : 'reseller_id = ?';
        const row = db.prepare(`select count(*) as n from ${table} where ${where}`).get(id) as { n: number };
        return [table, Number(row.n)];
      }),
    );
  });
}

/** The reseller's request log entries in the database (written in batches, off the request path). */
function loggedRequests(name: string): number {
  return withDatabase(t, (db) => {
    const id = (db.prepare('select id from resellers where name = ?').get(name) as { id: string }).id;
    return Number(
      (db.prepare('select count(*) as n from request_log where reseller_id = ?').get(id) as { n: number }).n,
    );
  });
}

/** Waits until the request log holds `expected` entries of the reseller (its batches flush every 150 ms). */
async function logHolds(name: string, expected: number): Promise<void> {
  for (let i = 0; i < 100 && loggedRequests(name) !== expected; i++) await new Promise((r) => setTimeout(r, 50));
  expect(loggedRequests(name)).toBe(expected);
}

/**
 * Every row of the reseller's tables, to compare before and after; of a webhook delivery,
 * what the retries of the dispatcher (still running) do not change.
 */
function snapshotOf(name: string): string {
  return withDatabase(t, (db) => {
    const id = (db.prepare('select id from resellers where name = ?').get(name) as { id: string }).id;
    const tables = ['orders', 'esims', 'esim_history', 'webhook_endpoints', 'sandbox_clocks'].map((table) =>
      db.prepare(`select * from ${table} where reseller_id = ? order by 1`).all(id),
    );
    const deliveries = db
      .prepare('select id, seq, event_id, payload from webhook_deliveries where reseller_id = ? order by seq')
      .all(id);
    return JSON.stringify([...tables, deliveries]);
  });
}

/** Gives the reseller of `key` a row in every tenant table. */
async function fillSandbox(key: string): Promise<Order> {
  // Port 9 (discard) refuses connections: the deliveries stay, retried.
  expect(
    (await t.call('PUT', '/v1/sandbox/webhook', { key, body: { url: 'http://127.0.0.1:9/hook' } })).statusCode,
  ).toBe(201);
  const order = await placeOrder(t, 'KD0001', 2, key);
  const suspend = await t.call('POST', `/v1/esims/${order.esims[0]!.iccid}/emergency-control`, {
    key,
    body: { action: 'suspend' },
    headers: { 'idempotency-key': `reset-test-${key}` },
  });
  expect(suspend.statusCode, suspend.body).toBe(200);
  expect((await t.call('POST', '/v1/sandbox/clock/advance', { key, body: { days: 2 } })).statusCode).toBe(200);
  return order;
}

describe('POST /v1/sandbox/reset', () => {
  it("deletes every kind of the caller's data and answers the counts; the other reseller is untouched", async () => {
    const acmeOrder = await fillSandbox(ACME_KEY);
    const globexOrder = await fillSandbox(GLOBEX_KEY);
    // Four requests of the fill (webhook, order, suspend, advance) are in the log before the reset.
    await logHolds('acme', 4);
    const acmeBefore = rowsOf('acme');
    for (const table of TABLES) expect(acmeBefore[table], table).toBeGreaterThan(0);
    const globexBefore = snapshotOf('globex');

    const res = await t.call('POST', '/v1/sandbox/reset');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      deleted: {
        orders: acmeBefore.orders,
        esims: acmeBefore.esims,
        history: acmeBefore.esim_history,
        requests: 4,
        idempotencyKeys: acmeBefore.idempotency_keys,
        webhookEndpoints: 1,
        webhookDeliveries: acmeBefore.webhook_deliveries,
        clocks: 1,
      },
    });
    expect(rowsOf('acme')).toEqual(Object.fromEntries(TABLES.map((table) => [table, 0])));
    expect(snapshotOf('globex')).toBe(globexBefore);
    expect(rowsOf('globex').idempotency_keys).toBe(1);

    // Acme's old eSIMs and order are gone, its clock is back at real time, its key still works.
    expectProblem(await t.call('GET', `/v1/esims/${acmeOrder.esims[0]!.iccid}`), 404, 'ESIM_NOT_FOUND');
    expectProblem(await t.call('GET', `/v1/orders/${acmeOrder.transactionId}`), 404, 'ORDER_NOT_FOUND');
    expect((await t.call('GET', '/v1/sandbox/clock')).json()).toMatchObject({ offsetSeconds: 0 });
    expectProblem(await t.call('GET', '/v1/sandbox/webhook'), 404, 'WEBHOOK_NOT_FOUND');
    // Globex still sees all of its own.
    expect((await t.call('GET', `/v1/orders/${globexOrder.transactionId}`, { key: GLOBEX_KEY })).statusCode).toBe(200);
    expect((await t.call('GET', '/v1/sandbox/clock', { key: GLOBEX_KEY })).json()).toMatchObject({
      offsetSeconds: 2 * 86_400,
    });

    // The ICCID sequence goes on: the next order's ICCIDs come after every ICCID issued before.
    const next = await placeOrder(t, 'KD0001', 1);
    const issued = [...acmeOrder.esims, ...globexOrder.esims].map((esim) => esim.iccid).sort();
    expect(next.esims[0]!.iccid > issued.at(-1)!).toBe(true);
    // The same Idempotency-Key is free again after the reset: it suspends the new eSIM.
    const again = await t.call('POST', `/v1/esims/${next.esims[0]!.iccid}/emergency-control`, {
      body: { action: 'suspend' },
      headers: { 'idempotency-key': `reset-test-${ACME_KEY}` },
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
  });

  it("answers zero counts on an empty sandbox (but the log's entry of the first reset), and takes {} as no body", async () => {
    // Whatever the earlier tests left in the log is written before the first reset.
    for (let before = -1; before !== loggedRequests('acme');) {
      before = loggedRequests('acme');
      await new Promise((r) => setTimeout(r, 400));
    }
    await t.call('POST', '/v1/sandbox/reset');
    // The log keeps the reset itself: the only entry the next reset deletes.
    await logHolds('acme', 1);
    const res = await t.call('POST', '/v1/sandbox/reset', { body: {} });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      deleted: {
        orders: 0,
        esims: 0,
        history: 0,
        requests: 1,
        idempotencyKeys: 0,
        webhookEndpoints: 0,
        webhookDeliveries: 0,
        clocks: 0,
      },
    });
  });

  it('deletes the entries of requests made just before it, still queued for the log, not leaving them to be written after', async () => {
    await logHolds('acme', loggedRequests('acme'));
    for (let i = 0; i < 5; i++) expect((await t.call('GET', '/v1/sandbox/clock')).statusCode).toBe(200);
    const res = await t.call('POST', '/v1/sandbox/reset');
    expect(res.statusCode).toBe(200);
    expect(res.json<{ deleted: { requests: number } }>().deleted.requests).toBeGreaterThanOrEqual(5);
    await new Promise((r) => setTimeout(r, 400));
    // Only the reset's own entry: the five clock reads were written before it, and deleted by it.
    await logHolds('acme', 1);
  });

  it('refuses a body with parameters, deleting nothing', async () => {
    const order = await placeOrder(t, 'KD0001', 1);
    expectViolation(await t.call('POST', '/v1/sandbox/reset', { body: { all: true } }), 'body', /takes no parameters/);
    expect((await t.call('GET', `/v1/orders/${order.transactionId}`)).statusCode).toBe(200);
  });

  it('needs an API key', async () => {
    expectProblem(await t.call('POST', '/v1/sandbox/reset', { key: null }), 401, 'UNAUTHORIZED');
  });
});
