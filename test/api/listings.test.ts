/**
 * The listings `GET /v1/sandbox/orders` and `GET /v1/sandbox/esims` on the real app and
 * store: newest first, every field, the eSIM filters and their validation, cursor paging
 * while new orders arrive between pages (no repeat, no skip), cursors bound to their
 * listing, filters and API key, the clock's due rules applied as a status read applies
 * them, and isolation between resellers. Each test runs on a reseller of its own sandbox.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACME_KEY, GLOBEX_KEY, startTestApp, type TestApp } from '../helpers/app.js';
import { DAY_MS, esimRow, expectViolation, getEsim, HOUR_MS, manualClock, withDatabase, type Esim } from './support.js';

const IMEI = '490154203237518';
const START = '2026-03-01T16:00:00.000Z';
const real = manualClock(START);

interface OrderItem {
  transactionId: string;
  planCode: string;
  quantity: number;
  createdAt: string;
  requestId: string | null;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

let t: TestApp;
beforeEach(async () => {
  real.set(START);
  t = await startTestApp({ RATE_LIMITS: 'off' }, real.now);
});
afterEach(async () => t.close());

async function order(
  planCode: string,
  quantity: number,
  requestId: string,
  key = ACME_KEY,
): Promise<{ transactionId: string; esims: Esim[] }> {
  const res = await t.call('POST', '/v1/orders', {
    body: { planCode, quantity },
    headers: { 'x-request-id': requestId },
    key,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function list<T>(path: string, key = ACME_KEY): Promise<Page<T>> {
  const res = await t.call('GET', path, { key });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Page<T>>();
}

/** Reads every page of a listing, `limit` at a time, and returns the items in order. */
async function all<T>(path: string, limit: number, key = ACME_KEY): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: Page<T> = await list<T>(`${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, key);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

describe('GET /v1/sandbox/orders', () => {
  it('lists the orders newest first with transactionId, planCode, quantity, createdAt and the request id', async () => {
    const first = await order('KD0001', 2, 'o-first');
    const t2 = real.advance(HOUR_MS);
    const second = await order('KD0002', 1, 'o-second');
    await t.call('POST', '/v1/sandbox/clock/advance', { body: { days: 3 } });
    const third = await order('KD0001', 3, 'o-third');
    expect(await list<OrderItem>('/v1/sandbox/orders')).toEqual({
      items: [
        {
          transactionId: third.transactionId,
          planCode: 'KD0001',
          quantity: 3,
          // Sandbox time: the clock is 3 days ahead.
          createdAt: new Date(Date.parse(t2) + 3 * DAY_MS).toISOString(),
          requestId: 'o-third',
        },
        { transactionId: second.transactionId, planCode: 'KD0002', quantity: 1, createdAt: t2, requestId: 'o-second' },
        { transactionId: first.transactionId, planCode: 'KD0001', quantity: 2, createdAt: START, requestId: 'o-first' },
      ],
      nextCursor: null,
    });
  });

  it('pages by cursor while new orders arrive: no order repeated or skipped; the new ones head a fresh first page', async () => {
    const placed: string[] = [];
    for (let i = 0; i < 5; i++) placed.push((await order('KD0001', 1, `p-${i}`)).transactionId);
    const first = await list<OrderItem>('/v1/sandbox/orders?limit=2');
    expect(first.items.map((o) => o.transactionId)).toEqual([placed[4], placed[3]]);
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const newer = [(await order('KD0001', 1, 'n-0')).transactionId, (await order('KD0001', 1, 'n-1')).transactionId];
    const second = await list<OrderItem>(`/v1/sandbox/orders?limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((o) => o.transactionId)).toEqual([placed[2], placed[1]]);
    const third = await list<OrderItem>(`/v1/sandbox/orders?limit=2&cursor=${second.nextCursor}`);
    expect(third).toEqual({ items: [expect.objectContaining({ transactionId: placed[0] })], nextCursor: null });
    expect((await list<OrderItem>('/v1/sandbox/orders?limit=2')).items.map((o) => o.transactionId)).toEqual([
      newer[1],
      newer[0],
    ]);
    expect((await list<OrderItem>('/v1/sandbox/orders')).items).toHaveLength(7);
  });

  it("shows each reseller only its own orders, and refuses another key's cursor", async () => {
    const acme = await order('KD0001', 1, 'acme-1');
    await order('KD0001', 1, 'acme-2');
    const globex = await order('KD0001', 1, 'globex-1', GLOBEX_KEY);
    expect((await list<OrderItem>('/v1/sandbox/orders', GLOBEX_KEY)).items.map((o) => o.transactionId)).toEqual([
      globex.transactionId,
    ]);
    const acmePage = await list<OrderItem>('/v1/sandbox/orders?limit=1');
    expect(acmePage.nextCursor).not.toBeNull();
    expect((await list<OrderItem>(`/v1/sandbox/orders?cursor=${acmePage.nextCursor}`)).items).toEqual([
      expect.objectContaining({ transactionId: acme.transactionId }),
    ]);
    expectViolation(
      await t.call('GET', `/v1/sandbox/orders?cursor=${acmePage.nextCursor}`, { key: GLOBEX_KEY }),
      'query.cursor',
      /another API key/,
    );
  });

  it('lists nothing for an idempotent replay, and refuses bad paging', async () => {
    const headers = { 'idempotency-key': 'listing-replay' };
    await t.call('POST', '/v1/orders', { headers, body: { planCode: 'KD0001', quantity: 1 } });
    await t.call('POST', '/v1/orders', { headers, body: { planCode: 'KD0001', quantity: 1 } });
    expect((await list<OrderItem>('/v1/sandbox/orders')).items).toHaveLength(1);
    expectViolation(await t.call('GET', '/v1/sandbox/orders?limit=0'), 'query.limit', />= 1/);
    expectViolation(await t.call('GET', '/v1/sandbox/orders?limit=101'), 'query.limit', /<= 100/);
    expectViolation(await t.call('GET', '/v1/sandbox/orders?cursor=bm90LWpzb24'), 'query.cursor', /not a cursor/);
    expectViolation(await t.call('GET', '/v1/sandbox/orders?planCode=KD0001'), 'query.planCode', /not a known/);
  });
});

describe('GET /v1/sandbox/esims', () => {
  it('lists every eSIM newest first, each exactly as the status read shows it', async () => {
    const a = await order('KD0001', 2, 'e-a');
    const b = await order('KD0002', 1, 'e-b');
    await t.call('POST', `/v1/esims/${a.esims[0]!.iccid}/emergency-control`, { body: { action: 'suspend' } });
    const page = await list<Esim>('/v1/sandbox/esims');
    expect(page.nextCursor).toBeNull();
    const iccids = [b.esims[0]!.iccid, a.esims[1]!.iccid, a.esims[0]!.iccid];
    expect(page.items.map((e) => e.iccid)).toEqual(iccids);
    for (const [i, iccid] of iccids.entries()) expect(page.items[i]).toEqual(await getEsim(t, iccid));
    expect(page.items[2]).toMatchObject({ contractStatus: 'SUSPENDED', isServiceRestricted: true });
  });

  it('filters by transactionId, planCode and the three statuses, all together', async () => {
    const a = await order('KD0001', 3, 'f-a');
    const b = await order('KD0002', 2, 'f-b');
    const [a0, a1, a2] = a.esims.map((e) => e.iccid);
    const [b0, b1] = b.esims.map((e) => e.iccid);
    await t.call('POST', `/v1/esims/${a0}/emergency-control`, { body: { action: 'suspend' } });
    await t.call('POST', `/v1/sandbox/esims/${a1}/events`, { body: { event: 'download' } });
    await t.call('POST', `/v1/sandbox/esims/${b0}/events`, { body: { event: 'install', imei: IMEI } });
    const iccidsOf = async (query: string) => (await all<Esim>(`/v1/sandbox/esims?${query}`, 100)).map((e) => e.iccid);
    expect(await iccidsOf(`transactionId=${a.transactionId}`)).toEqual([a2, a1, a0]);
    // A UUID is case-insensitive (RFC 9562).
    expect(await iccidsOf(`transactionId=${b.transactionId.toUpperCase()}`)).toEqual([b1, b0]);
    expect(await iccidsOf('planCode=KD0002')).toEqual([b1, b0]);
    expect(await iccidsOf('planCode=ZZ9999')).toEqual([]);
    expect(await iccidsOf('contractStatus=SUSPENDED')).toEqual([a0]);
    expect(await iccidsOf('contractStatus=ACTIVE')).toEqual([b1, b0, a2, a1]);
    expect(await iccidsOf('profileProvisionStatus=DOWNLOADED')).toEqual([b0, a1]);
    expect(await iccidsOf('profileInstallStatus=INSTALLED')).toEqual([b0]);
    expect(await iccidsOf('profileInstallStatus=DOWNLOADED')).toEqual([a1]);
    expect(await iccidsOf(`transactionId=${a.transactionId}&profileProvisionStatus=AVAILABLE`)).toEqual([a2, a0]);
    expect(await iccidsOf(`planCode=KD0001&contractStatus=ACTIVE&profileInstallStatus=READY`)).toEqual([a2]);
  });

  it('refuses a filter value outside its set, naming the parameter and the allowed values', async () => {
    const contract = expectViolation(
      await t.call('GET', '/v1/sandbox/esims?contractStatus=active'),
      'query.contractStatus',
    );
    expect(contract.errors).toEqual([
      { path: 'query.contractStatus', message: 'must be one of "ACTIVE", "SUSPENDED", "TERMINATED"' },
    ]);
    expect(
      expectViolation(
        await t.call('GET', '/v1/sandbox/esims?profileProvisionStatus=GONE'),
        'query.profileProvisionStatus',
      ).errors,
    ).toEqual([
      {
        path: 'query.profileProvisionStatus',
        message:
          'must be one of "RESERVATION_PENDING", "RESERVED", "FINALIZED", "AVAILABLE", "DOWNLOADED", "CANCELED", "ERROR"',
      },
    ]);
    expect(
      expectViolation(await t.call('GET', '/v1/sandbox/esims?profileInstallStatus=done'), 'query.profileInstallStatus')
        .errors,
    ).toEqual([
      {
        path: 'query.profileInstallStatus',
        message: 'must be one of "READY", "CONFIRMATION_FAILED", "DOWNLOADED", "INSTALLED"',
      },
    ]);
    expectViolation(await t.call('GET', '/v1/sandbox/esims?transactionId=42'), 'query.transactionId', /UUID/);
    expectViolation(await t.call('GET', '/v1/sandbox/esims?planCode='), 'query.planCode');
    expectViolation(
      await t.call('GET', '/v1/sandbox/esims?contractStatus=ACTIVE&contractStatus=SUSPENDED'),
      'query.contractStatus',
      /given once/,
    );
    expectViolation(await t.call('GET', '/v1/sandbox/esims?iccid=1'), 'query.iccid', /not a known property/);
  });

  it('pages by cursor while new eSIMs arrive: none repeated or skipped', async () => {
    const first = await order('KD0001', 3, 'g-1');
    const second = await order('KD0001', 3, 'g-2');
    const page1 = await list<Esim>('/v1/sandbox/esims?limit=4');
    // Newest first: the second order's, last issued first, then the first order's.
    const newestFirst = (o: { esims: Esim[] }) => o.esims.map((e) => e.iccid).reverse();
    const expected = [...newestFirst(second), ...newestFirst(first)];
    expect(page1.items.map((e) => e.iccid)).toEqual(expected.slice(0, 4));
    const third = await order('KD0001', 2, 'g-3');
    const page2 = await list<Esim>(`/v1/sandbox/esims?limit=4&cursor=${page1.nextCursor}`);
    expect(page2).toEqual({
      items: expected.slice(4).map((iccid) => expect.objectContaining({ iccid })),
      nextCursor: null,
    });
    expect((await all<Esim>('/v1/sandbox/esims', 3)).map((e) => e.iccid)).toEqual([...newestFirst(third), ...expected]);
  });

  it('binds a cursor to its filters and its listing', async () => {
    const a = await order('KD0001', 3, 'h-a');
    const page = await list<Esim>(`/v1/sandbox/esims?limit=1&transactionId=${a.transactionId}`);
    expect(page.nextCursor).not.toBeNull();
    const next = await list<Esim>(
      `/v1/sandbox/esims?limit=2&transactionId=${a.transactionId}&cursor=${page.nextCursor}`,
    );
    expect(next.items.map((e) => e.iccid)).toEqual([a.esims[1]!.iccid, a.esims[0]!.iccid]);
    expectViolation(
      await t.call('GET', `/v1/sandbox/esims?cursor=${page.nextCursor}`),
      'query.cursor',
      /with other filters/,
    );
    expectViolation(
      await t.call('GET', `/v1/sandbox/orders?cursor=${page.nextCursor}`),
      'query.cursor',
      /not a cursor/,
    );
  });

  it('applies and stores the clock rules due, as a status read does, so the status filters see them', async () => {
    const a = await order('KD0001', 2, 'c-a');
    const [installed, untouched] = a.esims.map((e) => e.iccid);
    await t.call('POST', `/v1/sandbox/esims/${installed}/events`, { body: { event: 'install', imei: IMEI } });
    await t.call('POST', '/v1/sandbox/clock/advance', { body: { days: 200 } });
    const res = await t.call('GET', '/v1/sandbox/esims?contractStatus=TERMINATED', {
      headers: { 'x-request-id': 'c-listing' },
    });
    expect(res.statusCode).toBe(200);
    const page = res.json<Page<Esim>>();
    expect(page.items).toEqual([
      expect.objectContaining({
        iccid: untouched,
        contractStatus: 'TERMINATED',
        profileProvisionStatus: 'CANCELED',
        lastUpdatedAt: a.esims[1]!.activationDeadline,
      }),
    ]);
    expect(page.items[0]).toEqual(await getEsim(t, untouched!));
    expect((await list<Esim>('/v1/sandbox/esims?contractStatus=ACTIVE')).items.map((e) => e.iccid)).toEqual([
      installed,
    ]);
    const history = (await t.call('GET', `/v1/sandbox/esims/${untouched}/history`)).json<{
      items: { cause: unknown; requestId: string | null }[];
    }>();
    expect(history.items.map((e) => [e.cause, e.requestId])).toEqual([
      [{ type: 'order' }, 'c-a'],
      [{ type: 'clock_rule', rule: 'activation_deadline' }, 'c-listing'],
    ]);
  });

  it('without a status filter stores the rules due on the page only, each as its status read would', async () => {
    const a = await order('KD0001', 2, 'u-a');
    const [older, newer] = a.esims.map((e) => e.iccid);
    await t.call('POST', '/v1/sandbox/clock/advance', { body: { days: 200 } });
    const res = await t.call('GET', '/v1/sandbox/esims?limit=1', { headers: { 'x-request-id': 'u-page' } });
    expect(res.json<Page<Esim>>().items).toEqual([
      expect.objectContaining({ iccid: newer, contractStatus: 'TERMINATED', profileProvisionStatus: 'CANCELED' }),
    ]);
    const stored = (iccid: string) =>
      withDatabase(t, (db) =>
        (
          db.prepare('SELECT request_id FROM esim_history WHERE iccid = ? ORDER BY id').all(iccid) as {
            request_id: string | null;
          }[]
        ).map((row) => row.request_id),
      );
    expect(stored(newer!)).toEqual(['u-a', 'u-page']);
    expect(stored(older!)).toEqual(['u-a']);
    expect(esimRow(t, older!)).toMatchObject({ contract_status: 'ACTIVE' });
  });

  it("shows each reseller only its own eSIMs, never another's, filters included", async () => {
    const acme = await order('KD0001', 2, 'i-acme');
    const globex = await order('KD0001', 1, 'i-globex', GLOBEX_KEY);
    expect((await list<Esim>('/v1/sandbox/esims', GLOBEX_KEY)).items.map((e) => e.iccid)).toEqual([
      globex.esims[0]!.iccid,
    ]);
    expect(await list<Esim>(`/v1/sandbox/esims?transactionId=${acme.transactionId}`, GLOBEX_KEY)).toEqual({
      items: [],
      nextCursor: null,
    });
    expect((await list<Esim>('/v1/sandbox/esims')).items.map((e) => e.iccid)).toEqual(
      acme.esims.map((e) => e.iccid).reverse(),
    );
  });
});

describe('the inspection limit', () => {
  it('is 600 requests a minute per key on both listings', async () => {
    const limited = await startTestApp();
    try {
      for (const path of ['/v1/sandbox/orders', '/v1/sandbox/esims']) {
        const first = await limited.call('GET', path);
        expect(first.statusCode).toBe(200);
        expect(first.headers['x-ratelimit-limit']).toBe('600');
        expect(first.headers['x-ratelimit-remaining']).toBe('599');
        expect((await limited.call('GET', path)).headers['x-ratelimit-remaining']).toBe('598');
      }
    } finally {
      await limited.close();
    }
  });
});
