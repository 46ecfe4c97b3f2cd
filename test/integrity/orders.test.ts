/**
 * Order integrity on the real store (SQLite, or PostgreSQL with TEST_DATABASE_URL):
 * concurrent orders get distinct, consecutive, Luhn-valid ICCIDs; a big order keeps its
 * order; and an order that fails part-way through its writes (a real database error
 * raised by a trigger, no mocks) leaves nothing behind, not even a gap in the ICCID sequence.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hasValidLuhnDigit, isSandboxIccid, sandboxIccid } from '../../src/domain/iccid.js';
import { GLOBEX_KEY, startTestApp, type TestApp } from '../helpers/app.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

interface OrderBody {
  transactionId: string;
  esims: { iccid: string }[];
}

/** The 14-digit sequence number inside a sandbox ICCID. */
function sequenceOf(iccid: string): number {
  return Number(iccid.slice(4, 18));
}

/** Asserts `iccids` are `count` consecutive sequence numbers, ascending, each Luhn-valid. */
function expectConsecutive(iccids: string[], first: number, count: number): void {
  expect(iccids).toHaveLength(count);
  expect(iccids).toEqual(Array.from({ length: count }, (_, i) => sandboxIccid(first + i)));
  for (const iccid of iccids) {
    if (!hasValidLuhnDigit(iccid) || !isSandboxIccid(iccid)) throw new Error(`invalid ICCID ${iccid}`);
  }
}

async function order(t: TestApp, quantity: number, key?: string): Promise<OrderBody> {
  const res = await t.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity }, ...(key ? { key } : {}) });
  expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
  return res.json<OrderBody>();
}

async function reconcile(t: TestApp, transactionId: string, key?: string): Promise<string[]> {
  const res = await t.call('GET', `/v1/orders/${transactionId}`, key ? { key } : {});
  expect(res.statusCode).toBe(200);
  const body = res.json<{ transactionId: string; iccids: string[] }>();
  expect(body.transactionId).toBe(transactionId);
  return body.iccids;
}

describe('10 parallel orders of 100', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMITS: 'off' });
  });
  afterAll(async () => t.close());

  it('allocate 1,000 distinct Luhn-valid ICCIDs, each order a consecutive block that reconciliation lists exactly', async () => {
    const orders = await Promise.all(
      Array.from({ length: 10 }, (_, i) => order(t, 100, i % 2 === 0 ? undefined : GLOBEX_KEY)),
    );

    const all = orders.flatMap((o) => o.esims.map((e) => e.iccid));
    expect(all).toHaveLength(1000);
    expect(new Set(all).size).toBe(1000);
    expect(new Set(orders.map((o) => o.transactionId)).size).toBe(10);
    // A fresh database: together the orders used exactly the sequence numbers 1..1000.
    expect([...all].sort()).toEqual(Array.from({ length: 1000 }, (_, i) => sandboxIccid(i + 1)));

    for (const [i, o] of orders.entries()) {
      const iccids = o.esims.map((e) => e.iccid);
      expectConsecutive(iccids, sequenceOf(iccids[0]!), 100);
      expect((sequenceOf(iccids[0]!) - 1) % 100).toBe(0);
      const key = i % 2 === 0 ? undefined : GLOBEX_KEY;
      expect(await reconcile(t, o.transactionId, key)).toEqual(iccids);
    }
  });

  it("keeps each reseller's orders to itself", async () => {
    const acme = await order(t, 1);
    const res = await t.call('GET', `/v1/orders/${acme.transactionId}`, { key: GLOBEX_KEY });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('ORDER_NOT_FOUND');
    const esim = await t.call('GET', `/v1/esims/${acme.esims[0]!.iccid}`, { key: GLOBEX_KEY });
    expect(esim.statusCode).toBe(404);
    expect(esim.json().code).toBe('ESIM_NOT_FOUND');
  });
});

describe('one order of 1,000', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMITS: 'off' });
  });
  afterAll(async () => t.close());

  it('gets 1,000 distinct Luhn-valid ICCIDs in ascending sequence; reconciliation returns them in the same order', async () => {
    const o = await order(t, 1000);
    const iccids = o.esims.map((e) => e.iccid);
    expect(new Set(iccids).size).toBe(1000);
    expectConsecutive(iccids, 1, 1000);
    expect(await reconcile(t, o.transactionId)).toEqual(iccids);

    // Every eSIM was stored, with its own matching ID.
    const codes = new Set((o.esims as unknown as { activationCode: string }[]).map((e) => e.activationCode));
    expect(codes.size).toBe(1000);
    const last = await t.call('GET', `/v1/esims/${iccids[999]}`);
    expect(last.statusCode).toBe(200);
    expect(last.json()).toEqual(o.esims[999]);
  });

  it('refuses 1,001 with a 400 and allocates nothing', async () => {
    const res = await t.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 1001 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_ERROR');
    const next = await order(t, 1);
    expect(next.esims.map((e) => e.iccid)).toEqual([sandboxIccid(1001)]);
  });
});

describe('an order that fails part-way through its writes', () => {
  let t: TestApp;
  let db: TestDatabase;

  /** A trigger that makes every INSERT into `table` (matching `when`, if given) fail, in the store's dialect. */
  function failInserts(name: string, table: 'esims' | 'orders' | 'esim_history', when?: string): void {
    if (t.store.kind === 'sqlite') {
      db.exec(
        `CREATE TRIGGER ${name} BEFORE INSERT ON ${table} ${when ? `WHEN ${when}` : ''} BEGIN SELECT RAISE(ABORT, 'injected failure'); END;`,
      );
    } else {
      db.exec(
        `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`,
      );
      db.exec(
        `CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW ${when ? `WHEN (${when})` : ''} EXECUTE FUNCTION ${name}()`,
      );
    }
  }
  function dropFailure(name: string, table: 'esims' | 'orders' | 'esim_history'): void {
    db.exec(t.store.kind === 'sqlite' ? `DROP TRIGGER ${name}` : `DROP TRIGGER ${name} ON ${table}`);
  }

  const count = (table: 'esims' | 'orders' | 'idempotency_keys' | 'esim_history') =>
    (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const counter = () =>
    Number((db.prepare("SELECT value FROM counters WHERE name = 'iccid'").get() as { value: number | bigint }).value);

  beforeEach(async () => {
    t = await startTestApp({ RATE_LIMITS: 'off' });
    db = openTestDatabase(t.store);
    db.pragma('busy_timeout = 5000');
    // Something already committed, so the counter does not start at 0.
    await order(t, 3);
  });
  afterEach(async () => {
    // The test's connection first, so that the app's close checkpoints the WAL alone.
    db.close();
    await t.close();
  });

  function expectInternalProblem(res: { statusCode: number; body: string; headers: Record<string, unknown> }) {
    expect(res.statusCode).toBe(500);
    expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(res.body);
    expect(body).toEqual({
      type: 'urn:esim-sandbox:problem:internal',
      title: 'Internal server error',
      status: 500,
      detail: expect.any(String),
      code: 'INTERNAL',
      requestId: res.headers['x-request-id'],
    });
    expect(res.body).not.toContain('injected');
    expect(res.body).not.toMatch(/\bat \S+ \(|\bat .*:\d+:\d+/);
    expect(res.body).not.toMatch(/sqlite|SQLITE|esims|trigger/i);
  }

  it('leaves no eSIM, no order and no gap in the ICCID sequence (failure in the 3rd INSERT chunk, position 700)', async () => {
    const esimsBefore = count('esims');
    const ordersBefore = count('orders');
    const counterBefore = counter();
    expect({ esimsBefore, ordersBefore, counterBefore }).toEqual({ esimsBefore: 3, ordersBefore: 1, counterBefore: 3 });

    failInserts('fail_midway', 'esims', 'NEW.order_position = 700');

    const res = await t.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 1000 } });
    expectInternalProblem(res);

    // The 500 eSIMs of the first two chunks were rolled back with the rest.
    expect(count('esims')).toBe(esimsBefore);
    expect(count('orders')).toBe(ordersBefore);
    expect(count('esim_history')).toBe(esimsBefore);
    expect(counter()).toBe(counterBefore);
    const firstOfFailed = sandboxIccid(counterBefore + 1);
    expect((db.prepare('SELECT count(*) AS n FROM esims WHERE iccid = ?').get(firstOfFailed) as { n: number }).n).toBe(
      0,
    );
    const esim = await t.call('GET', `/v1/esims/${firstOfFailed}`);
    expect(esim.statusCode).toBe(404);
    expect(esim.json().code).toBe('ESIM_NOT_FOUND');

    dropFailure('fail_midway', 'esims');
    const retry = await order(t, 1000);
    // The retry gets exactly the ICCIDs the failed order would have had.
    expectConsecutive(
      retry.esims.map((e) => e.iccid),
      counterBefore + 1,
      1000,
    );
    expect(count('esims')).toBe(esimsBefore + 1000);
    expect(count('orders')).toBe(ordersBefore + 1);
    expect(counter()).toBe(counterBefore + 1000);
    expect(await reconcile(t, retry.transactionId)).toEqual(retry.esims.map((e) => e.iccid));
  });

  it("rolls back the whole order, and a change, when the history's insert fails", async () => {
    const counterBefore = counter();
    const [existing] = (await order(t, 1)).esims;
    failInserts('fail_history', 'esim_history');
    expectInternalProblem(await t.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 1000 } }));
    expect({ esims: count('esims'), orders: count('orders'), history: count('esim_history') }).toEqual({
      esims: 4,
      orders: 2,
      history: 4,
    });
    expect(counter()).toBe(counterBefore + 1);
    const suspend = await t.call('POST', `/v1/esims/${existing!.iccid}/emergency-control`, {
      body: { action: 'suspend' },
    });
    expectInternalProblem(suspend);
    expect((await t.call('GET', `/v1/esims/${existing!.iccid}`)).json()).toMatchObject({ contractStatus: 'ACTIVE' });
    dropFailure('fail_history', 'esim_history');
    expect((await order(t, 2)).esims.map((e) => e.iccid)).toEqual([
      sandboxIccid(counterBefore + 2),
      sandboxIccid(counterBefore + 3),
    ]);
    expect(count('esim_history')).toBe(6);
  });

  it('rolls back the counter when the order row itself fails', async () => {
    const counterBefore = counter();
    failInserts('fail_order', 'orders');
    const res = await t.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 5 } });
    expectInternalProblem(res);
    expect(counter()).toBe(counterBefore);
    expect(count('orders')).toBe(1);
    expect(count('esims')).toBe(3);

    dropFailure('fail_order', 'orders');
    const retry = await order(t, 5);
    expectConsecutive(
      retry.esims.map((e) => e.iccid),
      counterBefore + 1,
      5,
    );
  });

  it('fails a single-eSIM order at position 0 cleanly too', async () => {
    const counterBefore = counter();
    failInserts('fail_first', 'esims', 'NEW.order_position = 0');
    expectInternalProblem(await t.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 1 } }));
    expect(counter()).toBe(counterBefore);
    expect(count('orders')).toBe(1);
    dropFailure('fail_first', 'esims');
    expect((await order(t, 1)).esims.map((e) => e.iccid)).toEqual([sandboxIccid(counterBefore + 1)]);
  });

  it('releases its Idempotency-Key: a 500 is not stored, so the retry with the same key runs (and is then replayed)', async () => {
    const counterBefore = counter();
    const keyed = () =>
      t.call('POST', '/v1/orders', {
        body: { planCode: 'KD0001', quantity: 2 },
        headers: { 'idempotency-key': 'retry-after-a-500' },
      });
    failInserts('fail_keyed', 'esims', 'NEW.order_position = 1');
    expectInternalProblem(await keyed());
    expect(count('idempotency_keys')).toBe(0);

    dropFailure('fail_keyed', 'esims');
    const retry = await keyed();
    expect(retry.statusCode, retry.body).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expectConsecutive(
      retry.json<OrderBody>().esims.map((e) => e.iccid),
      counterBefore + 1,
      2,
    );
    const replay = await keyed();
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toBe(retry.body);
    expect(count('esims')).toBe(3 + 2);
  });
});
