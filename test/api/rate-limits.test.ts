import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACME_KEY, GLOBEX_KEY, startTestApp, type CallOptions, type TestApp } from '../helpers/app.js';
import { expectProblem, orderOne, placeOrder, UNKNOWN_ICCID, withDatabase } from './support.js';

// Rate limits are on by default: these apps are started without RATE_LIMITS=off.
let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => t.close());

const header = (res: LightMyRequestResponse, name: string) => res.headers[name.toLowerCase()];

/** Asserts the three X-RateLimit headers: the limit, the remaining count, and a reset of 0..60 whole seconds. */
function expectLimitHeaders(res: LightMyRequestResponse, limit: number, remaining: number): void {
  expect(header(res, 'X-RateLimit-Limit'), res.body).toBe(String(limit));
  expect(header(res, 'X-RateLimit-Remaining')).toBe(String(remaining));
  const reset = String(header(res, 'X-RateLimit-Reset'));
  expect(reset).toMatch(/^\d+$/);
  expect(Number(reset)).toBeGreaterThanOrEqual(0);
  expect(Number(reset)).toBeLessThanOrEqual(60);
}

/** Asserts a 429 RATE_LIMITED problem with Retry-After of 1..60 whole seconds and no remaining requests. */
function expectRateLimited(res: LightMyRequestResponse, limit: number): void {
  const body = expectProblem(res, 429, 'RATE_LIMITED');
  expect(body.detail).toContain(String(limit));
  const retryAfter = String(header(res, 'Retry-After'));
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  expectLimitHeaders(res, limit, 0);
}

const noLimitHeaders = (res: LightMyRequestResponse) =>
  expect(Object.keys(res.headers).filter((name) => name.startsWith('x-ratelimit') || name === 'retry-after')).toEqual(
    [],
  );

/** Sends `count` requests and asserts each succeeds with Remaining counting down from `limit - 1`. */
async function spend(
  count: number,
  limit: number,
  send: () => Promise<LightMyRequestResponse>,
  status: number,
): Promise<void> {
  for (let i = 1; i <= count; i++) {
    const res = await send();
    expect(res.statusCode, `request ${i}: ${res.body}`).toBe(status);
    expectLimitHeaders(res, limit, limit - i);
  }
}

interface Operation {
  name: string;
  limit: number;
  status: number;
  /** Prepares what the requests need (an eSIM, an order) and returns the request to repeat. */
  setup: (t: TestApp) => Promise<(options?: CallOptions) => Promise<LightMyRequestResponse>>;
}

const OPERATIONS: Operation[] = [
  { name: 'GET /v1/plans', limit: 60, status: 200, setup: async (t) => (o) => t.call('GET', '/v1/plans', o) },
  {
    name: 'POST /v1/orders',
    limit: 10,
    status: 201,
    setup: async (t) => (o) => t.call('POST', '/v1/orders', { ...o, body: { planCode: 'KD0001', quantity: 1 } }),
  },
  {
    name: 'GET /v1/orders/{transactionId}',
    limit: 10,
    status: 200,
    setup: async (t) => {
      const order = await placeOrder(t);
      return (o) => t.call('GET', `/v1/orders/${order.transactionId}`, o);
    },
  },
  {
    name: 'GET /v1/esims/{iccid}',
    limit: 60,
    status: 200,
    setup: async (t) => {
      const { iccid } = await orderOne(t);
      return (o) => t.call('GET', `/v1/esims/${iccid}`, o);
    },
  },
  {
    name: 'POST /v1/esims/{iccid}/emergency-control',
    limit: 10,
    status: 200,
    setup: async (t) => {
      const { iccid } = await orderOne(t);
      return (o) => t.call('POST', `/v1/esims/${iccid}/emergency-control`, { ...o, body: { action: 'suspend' } });
    },
  },
  {
    name: 'PUT /v1/sandbox/esims/{iccid}/data-usage',
    limit: 60,
    status: 200,
    setup: async (t) => {
      const { iccid } = await orderOne(t);
      return (o) =>
        t.call('PUT', `/v1/sandbox/esims/${iccid}/data-usage`, {
          ...o,
          body: [{ day: '2025-12-10', usage: '102400' }],
        });
    },
  },
  {
    name: 'POST /v1/sandbox/esims/{iccid}/events',
    limit: 60,
    status: 200,
    setup: async (t) => {
      // Installed and connected in the database (not through this route, whose quota the test counts):
      // a connect on an activated eSIM answers 200 and changes nothing, so it can be repeated.
      const { iccid } = await orderOne(t);
      withDatabase(t, (db) =>
        db
          .prepare(
            "UPDATE esims SET profile_provision_status = 'DOWNLOADED', profile_install_status = 'INSTALLED', activated_on = '2099-01-01', expires_on = '2099-12-31' WHERE iccid = ?",
          )
          .run(iccid),
      );
      return (o) =>
        t.call('POST', `/v1/sandbox/esims/${iccid}/events`, {
          ...o,
          body: { event: 'connect', imei: '490154203237518' },
        });
    },
  },
  {
    name: 'GET /v1/sandbox/clock',
    limit: 60,
    status: 200,
    setup: async (t) => (o) => t.call('GET', '/v1/sandbox/clock', o),
  },
  {
    name: 'POST /v1/sandbox/clock/advance',
    limit: 60,
    status: 200,
    setup: async (t) => (o) => t.call('POST', '/v1/sandbox/clock/advance', { ...o, body: { hours: 1 } }),
  },
  {
    name: 'POST /v1/sandbox/clock/reset',
    limit: 60,
    status: 200,
    setup: async (t) => (o) => t.call('POST', '/v1/sandbox/clock/reset', o),
  },
];

describe.each(OPERATIONS)('$name: $limit per minute per API key', ({ limit, status, setup }) => {
  it(`counts down from ${limit - 1} to 0, then answers 429 RATE_LIMITED`, async () => {
    const send = await setup(t);
    await spend(limit, limit, () => send(), status);
    expectRateLimited(await send(), limit);
    expectRateLimited(await send(), limit);
  });

  it('keeps a separate count per API key', async () => {
    const send = await setup(t);
    await spend(limit, limit, () => send(), status);
    expectRateLimited(await send(), limit);
    // globex's window is its own: its first request counts 1 (its answer may be a 404: acme's resources are not its own).
    const other = await send({ key: GLOBEX_KEY });
    expect(other.statusCode).not.toBe(429);
    expectLimitHeaders(other, limit, limit - 1);
  });
});

describe('limits are per operation', () => {
  it('exhausting GET /v1/plans leaves eSIM status its own 60', async () => {
    await spend(60, 60, () => t.call('GET', '/v1/plans'), 200);
    expectRateLimited(await t.call('GET', '/v1/plans'), 60);
    const status = await t.call('GET', `/v1/esims/${UNKNOWN_ICCID}`);
    expectProblem(status, 404, 'ESIM_NOT_FOUND');
    expectLimitHeaders(status, 60, 59);
    const order = await t.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 1 } });
    expect(order.statusCode).toBe(201);
    expectLimitHeaders(order, 10, 9);
  });

  it('the three clock routes and the events route each have their own 60', async () => {
    await spend(60, 60, () => t.call('GET', '/v1/sandbox/clock'), 200);
    expectRateLimited(await t.call('GET', '/v1/sandbox/clock'), 60);
    expectLimitHeaders(await t.call('POST', '/v1/sandbox/clock/advance', { body: { hours: 1 } }), 60, 59);
    expectLimitHeaders(await t.call('POST', '/v1/sandbox/clock/reset'), 60, 59);
    const event = await t.call('POST', `/v1/sandbox/esims/${UNKNOWN_ICCID}/events`, { body: { event: 'download' } });
    expectProblem(event, 404, 'ESIM_NOT_FOUND');
    expectLimitHeaders(event, 60, 59);
  });

  it('a rate-limited clock advance does not move the clock', async () => {
    await spend(60, 60, () => t.call('POST', '/v1/sandbox/clock/advance', { body: { hours: 1 } }), 200);
    expectRateLimited(await t.call('POST', '/v1/sandbox/clock/advance', { body: { hours: 1 } }), 60);
    const clock = await t.call('GET', '/v1/sandbox/clock');
    expect(clock.json().offsetSeconds).toBe(60 * 3600);
  });

  it('counts eSIM status for all ICCIDs together (the operation, not the URL)', async () => {
    const [a, b] = [await orderOne(t), await orderOne(t)];
    expectLimitHeaders(await t.call('GET', `/v1/esims/${a.iccid}`), 60, 59);
    expectLimitHeaders(await t.call('GET', `/v1/esims/${b.iccid}`), 60, 58);
    expectLimitHeaders(await t.call('GET', `/v1/esims/${UNKNOWN_ICCID}`), 60, 57);
  });
});

describe('what counts', () => {
  it('a rate-limited order creates nothing', async () => {
    const send = () => t.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 3 } });
    await spend(10, 10, send, 201);
    expectRateLimited(await send(), 10);
    const stored = withDatabase(t, (db) => ({
      orders: db.prepare('SELECT COUNT(*) AS n FROM orders').get(),
      esims: db.prepare('SELECT COUNT(*) AS n FROM esims').get(),
    }));
    expect(stored).toEqual({ orders: { n: 10 }, esims: { n: 30 } });
  });

  it('a rate-limited emergency control changes nothing', async () => {
    const esim = await orderOne(t);
    const control = (action: string) =>
      t.call('POST', `/v1/esims/${esim.iccid}/emergency-control`, { body: { action } });
    for (let i = 0; i < 10; i++) expect((await control(i % 2 === 0 ? 'suspend' : 'release')).statusCode).toBe(200);
    expectRateLimited(await control('suspend'), 10);
    expect((await t.call('GET', `/v1/esims/${esim.iccid}`)).json()).toMatchObject({
      contractStatus: 'ACTIVE',
      isServiceRestricted: false,
    });
  });

  it('400 responses of authenticated requests carry the headers and count', async () => {
    const invalid = await t.call('GET', '/v1/plans?limit=0');
    expectProblem(invalid, 400, 'VALIDATION_ERROR');
    expectLimitHeaders(invalid, 60, 59);
    const badBody = await t.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 0 } });
    expectProblem(badBody, 400, 'VALIDATION_ERROR');
    expectLimitHeaders(badBody, 10, 9);
    expectLimitHeaders(await t.call('GET', '/v1/plans'), 60, 58);
  });

  it('401 responses carry no X-RateLimit headers and do not count', async () => {
    for (const key of [null, 'unknown-key-0000']) {
      const res = await t.call('GET', '/v1/plans', { key });
      expectProblem(res, 401, 'UNAUTHORIZED');
      noLimitHeaders(res);
    }
    expectLimitHeaders(await t.call('GET', '/v1/plans'), 60, 59);
  });

  it('open routes carry no X-RateLimit headers', async () => {
    for (const url of ['/healthz', '/readyz']) noLimitHeaders(await t.call('GET', url, { key: null }));
  });

  it('X-RateLimit-Reset counts whole seconds down to the end of the window that the first request started', async () => {
    const first = await t.call('GET', '/v1/plans');
    expect(header(first, 'X-RateLimit-Reset')).toBe('60');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const later = await t.call('GET', '/v1/plans');
    expectLimitHeaders(later, 60, 58);
    expect(Number(header(later, 'X-RateLimit-Reset'))).toBeLessThanOrEqual(59);
    expect(Number(header(later, 'X-RateLimit-Reset'))).toBeGreaterThanOrEqual(57);
    for (let i = 0; i < 58; i++) await t.call('GET', '/v1/plans');
    const limited = await t.call('GET', '/v1/plans');
    expectRateLimited(limited, 60);
    expect(Number(header(limited, 'Retry-After'))).toBeLessThanOrEqual(59);
  });
});

describe('RATE_LIMITS=off', () => {
  let off: TestApp;
  beforeEach(async () => {
    off = await startTestApp({ RATE_LIMITS: 'off' });
  });
  afterEach(async () => off.close());

  it('sends no X-RateLimit header and never answers 429', async () => {
    for (let i = 0; i < 100; i++) {
      const res = await off.call('GET', '/v1/plans');
      expect(res.statusCode).toBe(200);
      noLimitHeaders(res);
    }
    for (let i = 0; i < 12; i++) {
      const res = await off.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 1 } });
      expect(res.statusCode).toBe(201);
      noLimitHeaders(res);
    }
  });
});

describe('HEAD spends the quota of its GET', () => {
  it('counts a HEAD and the GET of the same operation together', async () => {
    const t2 = await startTestApp();
    try {
      const first = await t2.app.inject({
        method: 'HEAD',
        url: '/v1/plans',
        headers: { authorization: `Bearer ${ACME_KEY}` },
      });
      expect(first.headers['x-ratelimit-remaining']).toBe('59');
      const second = await t2.call('GET', '/v1/plans');
      expect(second.headers['x-ratelimit-remaining']).toBe('58');
    } finally {
      await t2.close();
    }
  });
});
