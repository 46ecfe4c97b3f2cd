/**
 * Rate limits shared through Redis (REDIS_URL), their behaviour when Redis is unreachable
 * (fail open to per-instance limits), /readyz naming what is down, and /metrics.
 *
 * The Redis tests use the Redis at TEST_REDIS_URL (default redis://127.0.0.1:6379) with a key
 * prefix of their own per test (REDIS_KEY_PREFIX), deleted afterwards, so runs never collide.
 * When that Redis does not answer they are skipped, and say so.
 */
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ACME_KEY, startTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem, orderOne } from './support.js';
import { redisAnswers } from '../helpers/redis.js';
import { startReceiver } from '../helpers/webhook-receiver.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** A port nothing listens on: every connection is refused. */
const CLOSED_REDIS_URL = 'redis://127.0.0.1:1';

const redisUp = await redisAnswers(REDIS_URL);
if (!redisUp)
  console.warn(
    `scale-out.test.ts: no Redis answers at ${REDIS_URL} (set TEST_REDIS_URL): the shared rate-limit tests are SKIPPED`,
  );

const apps: TestApp[] = [];
const prefixes: string[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((t) => t.close()));
});
afterAll(async () => {
  if (!redisUp || prefixes.length === 0) return;
  const redis = new Redis(REDIS_URL);
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await redis.quit();
});

async function start(env: Record<string, string> = {}): Promise<TestApp> {
  const t = await startTestApp(env);
  apps.push(t);
  return t;
}

/** A key prefix no other test or run uses. */
function uniquePrefix(): string {
  const prefix = `esim-sandbox-test:${randomUUID()}:`;
  prefixes.push(prefix);
  return prefix;
}

const remaining = (res: LightMyRequestResponse) => res.headers['x-ratelimit-remaining'];

/** The value of one sample of the Prometheus text, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function metricsText(t: TestApp): Promise<string> {
  const res = await t.app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.body;
}

describe.skipIf(!redisUp)('rate limits shared through Redis', () => {
  it('two instances on one Redis enforce one limit: 60 status reads alternating between them pass, the 61st is 429', async () => {
    const env = { REDIS_URL, REDIS_KEY_PREFIX: uniquePrefix() };
    const [a, b] = [await start(env), await start(env)];
    // Each instance has its own database here; the same API key is the same reseller in both.
    const [esimA, esimB] = [await orderOne(a), await orderOne(b)];
    for (let i = 1; i <= 60; i++) {
      const res =
        i % 2 === 1 ? await a.call('GET', `/v1/esims/${esimA.iccid}`) : await b.call('GET', `/v1/esims/${esimB.iccid}`);
      expect(res.statusCode, `read ${i}: ${res.body}`).toBe(200);
      expect(remaining(res)).toBe(String(60 - i));
    }
    const refused = await a.call('GET', `/v1/esims/${esimA.iccid}`);
    expectProblem(refused, 429, 'RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expectProblem(await b.call('GET', `/v1/esims/${esimB.iccid}`), 429, 'RATE_LIMITED');
    // Other operations keep their own count; the order placed on each instance counted 1 each of 10.
    expect(remaining(await b.call('GET', '/v1/plans'))).toBe('59');
    expect(remaining(await a.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 1 } }))).toBe('7');
    const text = await metricsText(a);
    expect(sample(text, 'sandbox_rate_limit_rejections_total{route="/v1/esims/:iccid"}')).toBe(1);
    expect(sample(text, 'sandbox_rate_limit_store_errors_total')).toBe(0);
  });

  it('HEAD spends the GET quota in Redis too, and the keys carry the prefix and the operation', async () => {
    const prefix = uniquePrefix();
    const env = { REDIS_URL, REDIS_KEY_PREFIX: prefix };
    const [a, b] = [await start(env), await start(env)];
    expect(remaining(await a.call('GET', '/v1/sandbox/clock'))).toBe('59');
    // HEAD is not in the document (Fastify adds it for every GET): injected without the contract check.
    expect(
      remaining(
        await b.app.inject({
          method: 'HEAD',
          url: '/v1/sandbox/clock',
          headers: { authorization: `Bearer ${ACME_KEY}` },
        }),
      ),
    ).toBe('58');
    expect(remaining(await a.call('POST', '/v1/sandbox/clock/reset'))).toBe('59');
    const redis = new Redis(REDIS_URL);
    try {
      const keys = (await redis.keys(`${prefix}*`))
        .map((k) => k.slice(prefix.length).replace(/^[0-9a-f]{64}:/, '<key>:'))
        .sort();
      expect(keys).toEqual(['<key>:GET:/v1/sandbox/clock', '<key>:POST:/v1/sandbox/clock/reset']);
      const ttl = await redis.pttl(`${prefix}${(await redis.keys(`${prefix}*GET*`))[0]!.slice(prefix.length)}`);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    } finally {
      await redis.quit();
    }
  });

  it('/readyz answers 200 when the database and Redis answer', async () => {
    const t = await start({ REDIS_URL, REDIS_KEY_PREFIX: uniquePrefix() });
    const res = await t.call('GET', '/readyz', { key: null });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready' });
  });
});

describe('Redis unreachable (REDIS_URL on a closed port): fail open to per-instance limits', () => {
  it("serves requests, limits them in this instance's memory, counts each store error, and /readyz answers 503 naming redis", async () => {
    const t = await start({ REDIS_URL: CLOSED_REDIS_URL, REDIS_KEY_PREFIX: uniquePrefix() });
    for (let i = 1; i <= 60; i++) {
      const res = await t.call('GET', '/v1/sandbox/clock');
      expect(res.statusCode, res.body).toBe(200);
      expect(remaining(res)).toBe(String(60 - i));
    }
    expectProblem(await t.call('GET', '/v1/sandbox/clock'), 429, 'RATE_LIMITED');
    const ready = await t.call('GET', '/readyz', { key: null });
    const body = expectProblem(ready, 503, 'NOT_READY');
    expect(body.detail).toBe('redis is not reachable');
    const text = await metricsText(t);
    expect(sample(text, 'sandbox_rate_limit_store_errors_total')).toBe(61);
    expect(sample(text, 'sandbox_rate_limit_rejections_total{route="/v1/sandbox/clock"}')).toBe(1);
  });

  it('RATE_LIMITS=off never connects to Redis: /readyz checks only the database', async () => {
    const t = await start({ REDIS_URL: CLOSED_REDIS_URL, RATE_LIMITS: 'off' });
    expect((await t.call('GET', '/readyz', { key: null })).statusCode).toBe(200);
  });
});

describe('GET /metrics', () => {
  it('serves Prometheus text: requests and latency by route and status, orders and eSIMs created, eSIMs by contract status, rejections', async () => {
    const t = await start();
    for (let i = 0; i < 10; i++)
      expect((await t.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 3 } })).statusCode).toBe(201);
    expectProblem(
      await t.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 3 } }),
      429,
      'RATE_LIMITED',
    );
    expectProblem(await t.call('GET', '/v1/orders/00000000-0000-4000-8000-000000000000'), 404, 'ORDER_NOT_FOUND');
    expect((await t.call('GET', '/v1/plans?limit=1')).statusCode).toBe(200);
    expect((await t.call('GET', '/v1/plans')).statusCode).toBe(200);
    expect((await t.call('GET', '/no/such/route')).statusCode).toBe(404);
    // Suspend one eSIM and terminate another through the lifecycle route.
    const first = (
      await t.call('POST', '/v1/orders', { key: 'globex-test-key-0002', body: { planCode: 'KD0001', quantity: 2 } })
    ).json<{ esims: { iccid: string }[] }>();
    const [s, x] = first.esims.map((e) => e.iccid);
    expect(
      (
        await t.call('POST', `/v1/esims/${s}/emergency-control`, {
          key: 'globex-test-key-0002',
          body: { action: 'suspend' },
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await t.call('POST', `/v1/sandbox/esims/${x}/events`, {
          key: 'globex-test-key-0002',
          body: { event: 'terminate' },
        })
      ).statusCode,
    ).toBe(200);

    const text = await metricsText(t);
    expect(sample(text, 'sandbox_http_requests_total{method="POST",route="/v1/orders",status="201"}')).toBe(11);
    expect(sample(text, 'sandbox_http_requests_total{method="POST",route="/v1/orders",status="429"}')).toBe(1);
    expect(
      sample(text, 'sandbox_http_requests_total{method="GET",route="/v1/orders/:transactionId",status="404"}'),
    ).toBe(1);
    expect(sample(text, 'sandbox_http_requests_total{method="GET",route="/v1/plans",status="200"}')).toBe(2);
    expect(sample(text, 'sandbox_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(
      sample(text, 'sandbox_http_request_duration_seconds_count{method="POST",route="/v1/orders",status="201"}'),
    ).toBe(11);
    expect(
      sample(
        text,
        'sandbox_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/v1/plans",status="200"}',
      ),
    ).toBe(2);
    expect(
      sample(text, 'sandbox_http_request_duration_seconds_sum{method="POST",route="/v1/orders",status="201"}'),
    ).toBeGreaterThan(0);
    expect(sample(text, 'sandbox_orders_created_total')).toBe(11);
    expect(sample(text, 'sandbox_esims_created_total')).toBe(32);
    expect(sample(text, 'sandbox_esims{contract_status="ACTIVE"}')).toBe(30);
    expect(sample(text, 'sandbox_esims{contract_status="SUSPENDED"}')).toBe(1);
    expect(sample(text, 'sandbox_esims{contract_status="TERMINATED"}')).toBe(1);
    expect(sample(text, 'sandbox_rate_limit_rejections_total{route="/v1/orders"}')).toBe(1);
    expect(sample(text, 'sandbox_rate_limit_store_errors_total')).toBe(0);
    expect(text).toContain('# TYPE sandbox_http_request_duration_seconds histogram');
  });

  it('counts an idempotent replay as a response but not as an order created, and webhook attempts by outcome', async () => {
    const hooks = await startReceiver();
    try {
      hooks.respond = (_request, n) => (n === 1 ? 500 : 204);
      const t = await start({ WEBHOOK_BACKOFF_MS: '10' });
      expect(
        (await t.call('PUT', '/v1/sandbox/webhook', { body: { url: hooks.url, events: ['order.completed'] } }))
          .statusCode,
      ).toBe(201);
      const headers = { 'idempotency-key': 'metrics-replay-1' };
      expect(
        (await t.call('POST', '/v1/orders', { headers, body: { planCode: 'KD0001', quantity: 2 } })).statusCode,
      ).toBe(201);
      const replay = await t.call('POST', '/v1/orders', { headers, body: { planCode: 'KD0001', quantity: 2 } });
      expect(replay.headers['idempotent-replayed']).toBe('true');
      await hooks.waitFor((received) => received.length === 2);
      let text = await metricsText(t);
      // Inject may resolve without yielding to timers: sleep between looks.
      for (
        let look = 0;
        look < 200 && sample(text, 'sandbox_webhook_attempts_total{outcome="delivered"}') !== 1;
        look++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        text = await metricsText(t);
      }
      expect(sample(text, 'sandbox_http_requests_total{method="POST",route="/v1/orders",status="201"}')).toBe(2);
      expect(sample(text, 'sandbox_orders_created_total')).toBe(1);
      expect(sample(text, 'sandbox_esims_created_total')).toBe(2);
      expect(sample(text, 'sandbox_webhook_attempts_total{outcome="retrying"}')).toBe(1);
    } finally {
      await hooks.close();
    }
  });

  it('needs no API key and is not in the OpenAPI document', async () => {
    const t = await start();
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, unknown>;
    }>();
    expect(Object.keys(document.paths)).not.toContain('/metrics');
  });
});
