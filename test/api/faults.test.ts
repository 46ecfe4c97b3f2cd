/**
 * Sandbox-Fault (issue 6) through app.inject: injected errors answer their problem and change
 * nothing, a bad value is a 400 naming header.sandbox-fault, authentication, rate limits and
 * validation answer first, delays answer the operation's own response, and SANDBOX_FAULTS=off
 * ignores the header. What drop-response and truncate-response do to the wire is tested over
 * real HTTP in test/e2e/faults.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_KEY, startTestApp, type TestApp } from '../helpers/app.js';
import {
  expectProblem,
  expectViolation,
  getEsim,
  orderOne,
  placeOrder,
  sandboxIccid,
  v1Operations,
  withDatabase,
  type Order,
} from './support.js';

let t: TestApp;
let iccid: string;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMITS: 'off' });
  iccid = (await orderOne(t)).iccid;
});
afterAll(async () => t.close());

const fault = (value: string) => ({ 'sandbox-fault': value });

/** Orders and eSIMs stored (every reseller). */
function stored(app: TestApp): { orders: number; esims: number } {
  return withDatabase(app, (db) => ({
    orders: Number((db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number | string }).n),
    esims: Number((db.prepare('SELECT count(*) AS n FROM esims').get() as { n: number | string }).n),
  }));
}

const INJECTED: [number, string, string][] = [
  [500, 'INJECTED_INTERNAL_ERROR', 'Internal server error (injected)'],
  [502, 'INJECTED_BAD_GATEWAY', 'Bad gateway (injected)'],
  [503, 'INJECTED_SERVICE_UNAVAILABLE', 'Service unavailable (injected)'],
  [504, 'INJECTED_GATEWAY_TIMEOUT', 'Gateway timeout (injected)'],
];

describe('error=<status>: the problem, and nothing done', () => {
  it.each(INJECTED)('POST /v1/orders with error=%i answers %s and stores no order', async (status, code, title) => {
    const before = stored(t);
    const res = await t.call('POST', '/v1/orders', {
      body: { planCode: 'KD0001', quantity: 5 },
      headers: fault(`error=${status}`),
    });
    const body = expectProblem(res, status, code);
    expect(body.title).toBe(title);
    expect(body.detail).toBe(
      `injected by Sandbox-Fault: error=${status}; the request was not processed and nothing changed`,
    );
    expect(res.headers['retry-after']).toBe(status === 503 ? '1' : undefined);
    expect(stored(t)).toEqual(before);
  });

  it('the next real order continues the ICCID sequence: the injected orders allocated nothing', async () => {
    const first = await placeOrder(t, 'KD0001', 1);
    await t.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 10 }, headers: fault('error=503') });
    const next = await placeOrder(t, 'KD0001', 1);
    const sequence = (order: Order) => Number(order.esims[0]!.iccid.slice(4, 18));
    expect(next.esims[0]!.iccid).toBe(sandboxIccid(sequence(first) + 1));
  });

  it('emergency control with error=500 leaves the eSIM as it was', async () => {
    const esim = await orderOne(t);
    const res = await t.call('POST', `/v1/esims/${esim.iccid}/emergency-control`, {
      body: { action: 'suspend' },
      headers: fault('error=500'),
    });
    expectProblem(res, 500, 'INJECTED_INTERNAL_ERROR');
    const after = await getEsim(t, esim.iccid);
    expect(after).toMatchObject({
      contractStatus: 'ACTIVE',
      isServiceRestricted: false,
      lastUpdatedAt: esim.lastUpdatedAt,
    });
  });

  it('every /v1 operation, sandbox routes included, answers error=504 and changes nothing', async () => {
    const before = await getEsim(t, iccid);
    const clock = (await t.call('GET', '/v1/sandbox/clock')).json<{ offsetSeconds: number }>();
    const counts = stored(t);
    for (const [method, url, body] of v1Operations(iccid)) {
      const res = await t.call(method, url, { headers: fault('error=504'), ...(body === undefined ? {} : { body }) });
      expectProblem(res, 504, 'INJECTED_GATEWAY_TIMEOUT');
    }
    expect(await getEsim(t, iccid)).toEqual(before);
    expect((await t.call('GET', '/v1/sandbox/clock')).json<{ offsetSeconds: number }>().offsetSeconds).toBe(
      clock.offsetSeconds,
    );
    expect(stored(t)).toEqual(counts);
  });

  it('counts the faults in /metrics, and the injected answers as responses', async () => {
    const app = await startTestApp({ RATE_LIMITS: 'off' });
    try {
      await app.call('GET', '/v1/plans', { headers: fault('error=503') });
      await app.call('GET', '/v1/plans', { headers: fault('error=503') });
      await app.call('GET', '/v1/plans', { headers: fault('delay=0') });
      await app.call('GET', '/v1/plans', { headers: fault('nonsense') });
      const text = (await app.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(text).toContain('sandbox_faults_injected_total{fault="error"} 2\n');
      expect(text).toContain('sandbox_faults_injected_total{fault="delay"} 1\n');
      expect(text).not.toContain('sandbox_faults_injected_total{fault="drop-response"}');
      expect(text).toContain('sandbox_http_requests_total{method="GET",route="/v1/plans",status="503"} 2\n');
      expect(text).toContain('sandbox_http_requests_total{method="GET",route="/v1/plans",status="400"} 1\n');
    } finally {
      await app.close();
    }
  });
});

describe('a value the grammar refuses: 400 at header.sandbox-fault, and nothing done', () => {
  it.each([
    [
      'unknown',
      /^must be one of drop-response, truncate-response, delay=<ms> \(0 to 30000\), error=<500\|502\|503\|504> \(names in lower case\), got "unknown"$/,
    ],
    ['Drop-Response', /names in lower case\), got "Drop-Response"$/],
    // Every refusal names the allowed values (docs/idempotency-and-faults.md, Fault injection).
    [
      'delay=30001',
      /^delay=<ms> is at most 30000 ms, got "delay=30001"; one of drop-response, truncate-response, delay=<ms> \(0 to 30000\), error=<500\|502\|503\|504>$/,
    ],
    [
      'delay=1.5',
      /^delay=<ms> takes a whole number of milliseconds written with decimal digits only, from 0 to 30000, got "delay=1.5"; one of drop-response, .*, error=<500\|502\|503\|504>$/,
    ],
    [
      'error=501',
      /^error=<status> takes one of 500, 502, 503, 504, got "error=501"; one of drop-response, .*, error=<500\|502\|503\|504>$/,
    ],
    ['', /^must not be empty; one of drop-response/],
    ['drop-response, delay=10', /^must be given once, with one fault per request/],
  ])('%j', async (value, message) => {
    const before = stored(t);
    const res = await t.call('POST', '/v1/orders', {
      body: { planCode: 'KD0001', quantity: 1 },
      headers: fault(value),
    });
    const body = expectViolation(res, 'header.sandbox-fault', message);
    expect(body.errors).toHaveLength(1);
    expect(stored(t)).toEqual(before);
  });

  it('the header given twice', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/plans',
      headers: { authorization: `Bearer ${ACME_KEY}`, 'sandbox-fault': ['delay=0', 'delay=0'] },
    });
    expectViolation(res, 'header.sandbox-fault', /^must be given once, with one fault per request/);
  });
});

describe('authentication, rate limits and validation answer first', () => {
  it('no API key: 401, whatever the fault', async () => {
    expectProblem(await t.call('GET', '/v1/plans', { key: null, headers: fault('error=503') }), 401, 'UNAUTHORIZED');
    expectProblem(await t.call('GET', '/v1/plans', { key: null, headers: fault('bogus') }), 401, 'UNAUTHORIZED');
  });

  it('an invalid request: 400 naming the field, not the injected error nor the header', async () => {
    const res = await t.call('POST', '/v1/orders', {
      body: { planCode: 'KD0001', quantity: 0 },
      headers: fault('error=503'),
    });
    const body = expectViolation(res, 'body.quantity');
    expect(body.errors!.map((e) => e.path)).toEqual(['body.quantity']);
    const both = await t.call('GET', '/v1/esims/123', { headers: fault('bogus') });
    expect(expectViolation(both, 'path.iccid').errors!.map((e) => e.path)).toEqual(['path.iccid']);
  });

  it('over the rate limit: 429, not the injected error', async () => {
    const limited = await startTestApp();
    try {
      const esim = await orderOne(limited);
      for (let i = 1; i <= 10; i++) {
        const res = await limited.call('POST', `/v1/esims/${esim.iccid}/emergency-control`, {
          body: { action: 'release' },
          headers: fault('error=502'),
        });
        expectProblem(res, 502, 'INJECTED_BAD_GATEWAY');
        // An injected error still spends the quota, and carries the rate-limit headers.
        expect(res.headers['x-ratelimit-remaining']).toBe(String(10 - i));
      }
      const res = await limited.call('POST', `/v1/esims/${esim.iccid}/emergency-control`, {
        body: { action: 'release' },
        headers: fault('error=502'),
      });
      expectProblem(res, 429, 'RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});

describe('delay=<ms>', () => {
  it('delay=0 answers the operation itself', async () => {
    const res = await t.call('POST', '/v1/orders', {
      body: { planCode: 'KD0001', quantity: 2 },
      headers: fault('delay=0'),
    });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json<Order>();
    expect(order.esims).toHaveLength(2);
    const reconciled = await t.call('GET', `/v1/orders/${order.transactionId}`);
    expect(reconciled.json()).toEqual({ transactionId: order.transactionId, iccids: order.esims.map((e) => e.iccid) });
  });

  it("delays an error answer of the operation too (the answer is the operation's, whatever it is)", async () => {
    const res = await t.call('GET', `/v1/esims/${sandboxIccid(10_000_000_000_001)}`, { headers: fault(' delay=20 ') });
    expectProblem(res, 404, 'ESIM_NOT_FOUND');
  });
});

describe('drop-response and truncate-response under inject', () => {
  it('drop-response: the response is destroyed before any byte, after the order committed', async () => {
    const before = stored(t);
    const sent = t.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { authorization: `Bearer ${ACME_KEY}`, 'content-type': 'application/json', ...fault('drop-response') },
      payload: JSON.stringify({ planCode: 'KD0001', quantity: 4 }),
    });
    await expect(sent).rejects.toMatchObject({ code: 'LIGHT_ECONNRESET' });
    expect(stored(t)).toEqual({ orders: before.orders + 1, esims: before.esims + 4 });
  });

  it('truncate-response on HEAD: no body to cut, the headers are sent whole with Connection: close', async () => {
    const res = await t.app.inject({
      method: 'HEAD',
      url: '/v1/sandbox/clock',
      headers: { authorization: `Bearer ${ACME_KEY}`, ...fault('truncate-response') },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers.connection).toBe('close');
    expect(res.body).toBe('');
  });
});

describe('SANDBOX_FAULTS=off', () => {
  let off: TestApp;
  beforeAll(async () => {
    off = await startTestApp({ RATE_LIMITS: 'off', SANDBOX_FAULTS: 'off' });
  });
  afterAll(async () => off.close());

  it.each(['error=503', 'drop-response', 'truncate-response', 'delay=30000', 'bogus', 'delay=99999', ''])(
    'ignores %j: the operation answers normally',
    async (value) => {
      const before = stored(off);
      const res = await off.call('POST', '/v1/orders', {
        body: { planCode: 'KD0001', quantity: 1 },
        headers: fault(value),
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json<Order>().esims).toHaveLength(1);
      expect(stored(off)).toEqual({ orders: before.orders + 1, esims: before.esims + 1 });
    },
  );

  it('counts no fault', async () => {
    await off.call('GET', '/v1/plans', { headers: fault('error=500') });
    expect((await off.app.inject({ method: 'GET', url: '/metrics' })).body).not.toContain(
      'sandbox_faults_injected_total{',
    );
  });
});
