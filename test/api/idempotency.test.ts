/**
 * Idempotency keys (issue 6, DESIGN.md section 3): `Idempotency-Key` on POST /v1/orders and
 * on emergency control. Replays, refusals (422 reused, 409 in use), validation of the key,
 * what is stored and what is not, the scope (per API key), the 24-hour expiry in real time
 * and the takeover of a claim abandoned by a crashed process, on the real store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { requestFingerprint } from '../../src/domain/idempotency.js';
import { hashApiKey } from '../../src/domain/api-key.js';
import { openStore } from '../../src/store/db.js';
import { IdempotencyRepository } from '../../src/store/idempotency.js';
import { ACME_KEY, GLOBEX_KEY, startTestApp, type TestApp } from '../helpers/app.js';
import { databaseUrl } from '../helpers/database.js';
import {
  advanceClock,
  applyEvent,
  DAY_MS,
  expectProblem,
  expectViolation,
  getEsim,
  manualClock,
  orderOne,
  placeOrder,
  resetClock,
  sandboxIccid,
  UNKNOWN_ICCID,
  withDatabase,
  type Order,
} from './support.js';

const clock = manualClock('2026-03-01T00:00:00.000Z');
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMITS: 'off' }, clock.now);
});
afterAll(async () => t.close());

let keys = 0;
/** A key no other test uses. */
const newKey = (label: string) => `test-${label}-${++keys}`;

const ORDER = { planCode: 'KD0001', quantity: 2 };

function postOrder(key: string | undefined, body: unknown = ORDER, apiKey = ACME_KEY): Promise<LightMyRequestResponse> {
  return t.call('POST', '/v1/orders', {
    body,
    key: apiKey,
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });
}

function control(
  iccid: string,
  action: string,
  key: string | undefined,
  apiKey = ACME_KEY,
): Promise<LightMyRequestResponse> {
  return t.call('POST', `/v1/esims/${iccid}/emergency-control`, {
    body: { action },
    key: apiKey,
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });
}

const esimCount = () =>
  withDatabase(t, (db) => Number((db.prepare('SELECT count(*) AS n FROM esims').get() as { n: number | string }).n));
const storedKeys = (key: string) =>
  withDatabase(t, (db) =>
    Number(
      (
        db.prepare('SELECT count(*) AS n FROM idempotency_keys WHERE idempotency_key = ?').get(key) as {
          n: number | string;
        }
      ).n,
    ),
  );
const sequenceOf = (iccid: string) => Number(iccid.slice(4, 18));

/** Asserts a replay: the first response's status, Content-Type and body bytes, marked Idempotent-Replayed. */
function expectReplayOf(replay: LightMyRequestResponse, first: LightMyRequestResponse): void {
  expect(replay.statusCode, replay.body).toBe(first.statusCode);
  expect(replay.headers['idempotent-replayed']).toBe('true');
  expect(replay.headers['content-type']).toBe(first.headers['content-type']);
  expect(replay.body).toBe(first.body);
}

/** Asserts a first response: not marked as a replay. */
function expectFirst(res: LightMyRequestResponse, status: number): void {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['idempotent-replayed']).toBeUndefined();
}

describe('POST /v1/orders with Idempotency-Key', () => {
  it('replays the first response for the same key and body: same status, body, transactionId and ICCIDs, Idempotent-Replayed: true, nothing allocated', async () => {
    const key = newKey('order');
    const first = await postOrder(key);
    expectFirst(first, 201);
    const placed = first.json<Order>();
    expect(placed.esims).toHaveLength(2);
    const before = esimCount();

    const replay = await postOrder(key);
    expectReplayOf(replay, first);
    expect(replay.json<Order>().transactionId).toBe(placed.transactionId);
    expect(replay.json<Order>().esims.map((e) => e.iccid)).toEqual(placed.esims.map((e) => e.iccid));
    expect(replay.headers['x-request-id']).not.toBe(first.headers['x-request-id']);

    // No second order: the count did not move, and the next order gets the next ICCID after the first order's.
    expect(esimCount()).toBe(before);
    const next = await placeOrder(t, 'KD0001', 1);
    expect(next.esims[0]!.iccid).toBe(sandboxIccid(sequenceOf(placed.esims[1]!.iccid) + 1));
    const reconciled = await t.call('GET', `/v1/orders/${placed.transactionId}`);
    expect(reconciled.json()).toEqual({
      transactionId: placed.transactionId,
      iccids: placed.esims.map((e) => e.iccid),
    });
  });

  it('takes the same JSON body in any key order and whitespace as the same request', async () => {
    const key = newKey('canonical');
    const headers = { 'idempotency-key': key, 'content-type': 'application/json' };
    const first = await t.call('POST', '/v1/orders', { payload: '{"planCode":"KD0001","quantity":1}', headers });
    expectFirst(first, 201);
    const reordered = await t.call('POST', '/v1/orders', {
      payload: '\n{ "quantity" : 1,\n\t"planCode": "KD0001" }\n',
      headers,
    });
    expectReplayOf(reordered, first);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body, and still replays the first request', async () => {
    const key = newKey('reused');
    const first = await postOrder(key, { planCode: 'KD0001', quantity: 1 });
    expectFirst(first, 201);
    const before = esimCount();

    const other = await postOrder(key, { planCode: 'KD0001', quantity: 3 });
    const problem = expectProblem(other, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(problem.detail).toContain(key);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(esimCount()).toBe(before);

    expectReplayOf(await postOrder(key, { planCode: 'KD0001', quantity: 1 }), first);
  });

  it('replays a 404 PLAN_NOT_FOUND (errors after validation are stored), every time', async () => {
    const key = newKey('plan-not-found');
    const first = await postOrder(key, { planCode: 'ZZ9999', quantity: 1 });
    expectFirst(first, 404);
    expectProblem(first, 404, 'PLAN_NOT_FOUND');
    for (let i = 0; i < 2; i++) {
      const replay = await postOrder(key, { planCode: 'ZZ9999', quantity: 1 });
      expectReplayOf(replay, first);
      // The stored body is the first one, with the first request's id.
      expect(replay.json().requestId).toBe(first.headers['x-request-id']);
    }
  });

  it('stores nothing for a request that fails validation: a retry with the same key and a valid body runs (201, not 422)', async () => {
    const key = newKey('invalid-body');
    expectViolation(await postOrder(key, { planCode: 'KD0001', quantity: 0 }), 'body.quantity');
    expect(storedKeys(key)).toBe(0);
    const retry = await postOrder(key, { planCode: 'KD0001', quantity: 1 });
    expectFirst(retry, 201);
    expect(storedKeys(key)).toBe(1);
  });

  it('takes the key as sent: the quoted form "abc" (the draft\'s sf-string) is another key than abc', async () => {
    const bare = newKey('quoted');
    const quoted = `"${bare}"`;
    const first = await postOrder(quoted);
    expectFirst(first, 201);
    const other = await postOrder(bare);
    expectFirst(other, 201);
    expect(other.json<Order>().transactionId).not.toBe(first.json<Order>().transactionId);
    expectReplayOf(await postOrder(quoted), first);
    expect(storedKeys(quoted)).toBe(1);
  });

  it('without the header, the same body orders again each time', async () => {
    const a = (await postOrder(undefined)).json<Order>();
    const b = (await postOrder(undefined)).json<Order>();
    expect(a.transactionId).not.toBe(b.transactionId);
  });
});

describe('the Idempotency-Key header is validated with the request (400 VALIDATION_ERROR, nothing stored)', () => {
  const invalid: [string, string, RegExp][] = [
    ['empty', '', /must not be empty/],
    ['256 characters', 'k'.repeat(256), /at most 255 characters, got 256/],
    ['a non-ASCII character (é)', 'clé-1', /printable ASCII \(0x20-0x7E\): character 3 is 0xE9/],
    ['a control character (U+0001)', 'key\u0001one', /printable ASCII \(0x20-0x7E\): character 4 is 0x01/],
    ['a tab', 'key\tone', /character 4 is 0x09/],
  ];
  it.each(invalid.map(([name, value, message]) => ({ name, value, message })))(
    '$name -> 400 at header.idempotency-key',
    async ({ value, message }) => {
      const before = esimCount();
      expectViolation(await postOrder(value), 'header.idempotency-key', message);
      expect(esimCount()).toBe(before);
      expect(storedKeys(value)).toBe(0);
    },
  );

  it('lists a bad key together with the other invalid fields', async () => {
    const body = expectViolation(await postOrder('', { planCode: 'KD0001', quantity: 0 }), 'header.idempotency-key');
    expect(body.errors!.map((e) => e.path).sort()).toEqual(['body.quantity', 'header.idempotency-key']);
  });

  it('accepts 255 printable ASCII characters (space and ~ included), and 1; a key refused before was not stored', async () => {
    const longest = `${' ~'.repeat(10)}${'k'.repeat(235)}`;
    expect(longest).toHaveLength(255);
    const first = await postOrder(longest, { planCode: 'KD0001', quantity: 1 });
    expectFirst(first, 201);
    expectReplayOf(await postOrder(longest, { planCode: 'KD0001', quantity: 1 }), first);
    expectFirst(await postOrder('k', { planCode: 'KD0001', quantity: 1 }), 201);
    // 'k'.repeat(256) was refused above; its 255-character prefix is a fresh key.
    expectFirst(await postOrder('k'.repeat(255), { planCode: 'KD0001', quantity: 1 }), 201);
  });
});

describe('POST /v1/esims/{iccid}/emergency-control with Idempotency-Key', () => {
  it('replays the first response without acting again', async () => {
    const { iccid } = await orderOne(t);
    const key = newKey('suspend');
    const first = await control(iccid, 'suspend', key);
    expectFirst(first, 200);
    expect(first.json()).toMatchObject({ iccid, contractStatus: 'SUSPENDED', isServiceRestricted: true });
    const released = await control(iccid, 'release', undefined);
    expect(released.json()).toMatchObject({ contractStatus: 'ACTIVE' });

    const replay = await control(iccid, 'suspend', key);
    expectReplayOf(replay, first);
    // The replay did not suspend again: the eSIM is as the release left it.
    expect(await getEsim(t, iccid)).toEqual(released.json());
  });

  it('answers 422 for the same key on another eSIM, or on the other operation', async () => {
    const a = await orderOne(t);
    const b = await orderOne(t);
    const key = newKey('control');
    expectFirst(await control(a.iccid, 'suspend', key), 200);
    expectProblem(await control(b.iccid, 'suspend', key), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect((await getEsim(t, b.iccid)).contractStatus).toBe('ACTIVE');
    expectProblem(await postOrder(key), 422, 'IDEMPOTENCY_KEY_REUSED');

    const orderKey = newKey('order-then-control');
    expectFirst(await postOrder(orderKey), 201);
    expectProblem(await control(a.iccid, 'release', orderKey), 422, 'IDEMPOTENCY_KEY_REUSED');
  });

  it('replays 404 ESIM_NOT_FOUND and 409 ESIM_TERMINATED', async () => {
    const key = newKey('not-found');
    const notFound = await control(UNKNOWN_ICCID, 'suspend', key);
    expectProblem(notFound, 404, 'ESIM_NOT_FOUND');
    expectReplayOf(await control(UNKNOWN_ICCID, 'suspend', key), notFound);

    const { iccid } = await orderOne(t);
    await applyEvent(t, iccid, { event: 'terminate' });
    const terminatedKey = newKey('terminated');
    const terminated = await control(iccid, 'release', terminatedKey);
    expectProblem(terminated, 409, 'ESIM_TERMINATED');
    expectReplayOf(await control(iccid, 'release', terminatedKey), terminated);
  });
});

describe('scope: per API key', () => {
  it('the same key string from two resellers gives each its own order', async () => {
    const key = newKey('shared');
    const acme = await postOrder(key, ORDER, ACME_KEY);
    const globex = await postOrder(key, ORDER, GLOBEX_KEY);
    expectFirst(acme, 201);
    expectFirst(globex, 201);
    const acmeOrder = acme.json<Order>();
    const globexOrder = globex.json<Order>();
    expect(globexOrder.transactionId).not.toBe(acmeOrder.transactionId);
    expect((await t.call('GET', `/v1/orders/${globexOrder.transactionId}`, { key: GLOBEX_KEY })).statusCode).toBe(200);
    expect((await t.call('GET', `/v1/orders/${globexOrder.transactionId}`, { key: ACME_KEY })).statusCode).toBe(404);
    // And each replays its own.
    expectReplayOf(await postOrder(key, ORDER, GLOBEX_KEY), globex);
    expectReplayOf(await postOrder(key, ORDER, ACME_KEY), acme);
  });

  it('two API keys of one reseller do not share idempotency keys', async () => {
    const app = await startTestApp({
      RATE_LIMITS: 'off',
      SANDBOX_API_KEYS: 'acme:acme-first-key-0001,acme:acme-second-key-0002',
    });
    try {
      const send = (apiKey: string) =>
        app.call('POST', '/v1/orders', { body: ORDER, key: apiKey, headers: { 'idempotency-key': 'same-key' } });
      const first = await send('acme-first-key-0001');
      const second = await send('acme-second-key-0002');
      expectFirst(first, 201);
      expectFirst(second, 201);
      expect(second.json().transactionId).not.toBe(first.json().transactionId);
      // The reseller sees both orders.
      expect(
        (await app.call('GET', `/v1/orders/${first.json().transactionId}`, { key: 'acme-second-key-0002' })).statusCode,
      ).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('expiry: 24 hours of real time from the first request', () => {
  it('replays until 24 h after the first request; 24 h + 1 ms later the key runs anew', async () => {
    const key = newKey('expiry');
    const first = await postOrder(key);
    expectFirst(first, 201);
    clock.advance(DAY_MS - 1);
    expectReplayOf(await postOrder(key), first);
    clock.advance(2);
    const again = await postOrder(key);
    expectFirst(again, 201);
    expect(again.json().transactionId).not.toBe(first.json().transactionId);
    // The new request owns the key for the next 24 hours, with its own response.
    expectReplayOf(await postOrder(key), again);
    // After expiry a different body is no reuse either.
    clock.advance(DAY_MS);
    expectFirst(await postOrder(key, { planCode: 'KD0001', quantity: 1 }), 201);
  });

  it("does not follow the reseller's sandbox clock: advancing it 2 days leaves the key in force", async () => {
    const key = newKey('sandbox-clock');
    const first = await postOrder(key);
    expectFirst(first, 201);
    await advanceClock(t, { days: 2 });
    try {
      expectReplayOf(await postOrder(key), first);
    } finally {
      await resetClock(t);
    }
  });

  it('deletes expired keys now and then (a later keyed request sweeps them)', async () => {
    const key = newKey('swept');
    expectFirst(await postOrder(key), 201);
    expect(storedKeys(key)).toBe(1);
    // Past its expiry and past the sweep interval; another key's request starts the sweep.
    clock.advance(DAY_MS + 61_000);
    expectFirst(await postOrder(newKey('sweeper')), 201);
    for (let i = 0; i < 100 && storedKeys(key) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(storedKeys(key)).toBe(0);
  });
});

describe('in flight', () => {
  /** Inserts a claim directly, as a request in flight (or a crashed process) left it. */
  async function insertClaim(key: string, body: unknown, claimedAgoMs: number): Promise<void> {
    const store = await openStore(loadConfig({ DATABASE_URL: databaseUrl(t.store) }).database);
    try {
      const claimedAt = new Date(clock.now().getTime() - claimedAgoMs);
      const fingerprint = requestFingerprint({ method: 'POST', route: '/v1/orders', params: {}, body });
      const inserted = await new IdempotencyRepository(store.db).claim({
        scope: hashApiKey(ACME_KEY),
        key,
        fingerprint,
        owner: 'a-process-that-died',
        claimedAt,
        expiresAt: new Date(claimedAt.getTime() + DAY_MS),
      });
      expect(inserted).toBe(true);
    } finally {
      await store.close();
    }
  }

  it('answers 409 IDEMPOTENCY_KEY_IN_USE with Retry-After: 1 while the first request is in flight, and does nothing', async () => {
    const key = newKey('in-flight');
    await insertClaim(key, ORDER, 59_000);
    const before = esimCount();
    const res = await postOrder(key);
    expectProblem(res, 409, 'IDEMPOTENCY_KEY_IN_USE');
    expect(res.headers['retry-after']).toBe('1');
    expect(esimCount()).toBe(before);
  });

  it('answers 422 rather than 409 for another body under a key in flight', async () => {
    const key = newKey('in-flight-other');
    await insertClaim(key, ORDER, 1_000);
    expectProblem(await postOrder(key, { planCode: 'KD0001', quantity: 5 }), 422, 'IDEMPOTENCY_KEY_REUSED');
  });

  it('takes over a claim older than the 60 s lease (its process died): the request runs, and its response is then replayed', async () => {
    const key = newKey('abandoned');
    await insertClaim(key, ORDER, 60_000);
    const before = esimCount();
    const res = await postOrder(key);
    expectFirst(res, 201);
    expect(esimCount()).toBe(before + 2);
    expectReplayOf(await postOrder(key), res);
  });
});
