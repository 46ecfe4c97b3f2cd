/**
 * Two server processes on one store and one Redis (TEST_REDIS_URL, default
 * redis://127.0.0.1:6379, with a key prefix of this run's own): one rate limit per API key
 * and operation across both. Skipped, saying so, when no Redis answers.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { redisAnswers } from '../helpers/redis.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const KEY = 'acme-shared-limit-key-0001';
const PREFIX = `esim-sandbox-test:${randomUUID()}:`;
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

const redisUp = await redisAnswers(REDIS_URL);
if (!redisUp)
  console.warn(`shared-rate-limits.test.ts: no Redis answers at ${REDIS_URL} (set TEST_REDIS_URL): SKIPPED`);

const dir = mkdtempSync(join(tmpdir(), 'esim-sandbox-limits-'));
const servers: ServerProcess[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
  if (redisUp) {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }
});

describe.skipIf(!redisUp)('two processes, one Redis', () => {
  it('61 status reads alternating between the instances: exactly the 61st is 429', async () => {
    const env = {
      DATABASE_URL: `sqlite:${join(dir, 'sandbox.db')}`,
      SANDBOX_API_KEYS: `acme:${KEY}`,
      REDIS_URL,
      REDIS_KEY_PREFIX: PREFIX,
    };
    servers.push(await startServer({ env }));
    servers.push(await startServer({ env }));
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const order = await fetch(`${a.baseUrl}/v1/orders`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ planCode: 'KD0001', quantity: 1 }),
    });
    expect(order.status).toBe(201);
    const iccid = ((await order.json()) as { esims: { iccid: string }[] }).esims[0]!.iccid;

    const statuses: number[] = [];
    for (let i = 1; i <= 61; i++) {
      const res = await fetch(`${(i % 2 === 1 ? a : b).baseUrl}/v1/esims/${iccid}`, { headers });
      await res.arrayBuffer();
      statuses.push(res.status);
      if (i <= 60) expect(res.headers.get('x-ratelimit-remaining'), `read ${i}`).toBe(String(60 - i));
      else expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(statuses).toEqual([...Array(60).fill(200), 429]);
    // The rejection was counted by the instance that answered it (a: the odd reads).
    const text = await (await fetch(`${a.baseUrl}/metrics`)).text();
    expect(text).toContain('sandbox_rate_limit_rejections_total{route="/v1/esims/:iccid"} 1');
    for (const s of servers) expect((await fetch(`${s.baseUrl}/readyz`)).status).toBe(200);
  });
});
