/**
 * A real server process whose Redis goes away and comes back (a TCP proxy in front of the
 * Redis at TEST_REDIS_URL, default redis://127.0.0.1:6379, closed and reopened): requests are
 * served throughout, limited per instance during the outage, with one warning per outage,
 * one line when Redis answers again, the store-error counter, and /readyz naming redis.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { redisAnswers } from '../helpers/redis.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const KEY = 'acme-outage-key-0001';
const PREFIX = `esim-sandbox-test:${randomUUID()}:`;

const redisUp = await redisAnswers(REDIS_URL);
if (!redisUp) console.warn(`redis-outage.test.ts: no Redis answers at ${REDIS_URL} (set TEST_REDIS_URL): SKIPPED`);

/** A TCP proxy to Redis that can be cut (closing every connection) and restored on the same port. */
class Proxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  async up(): Promise<void> {
    const target = new URL(REDIS_URL);
    this.server = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 6379), target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }
  async down(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

const proxy = new Proxy();
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.stop();
  await proxy.down().catch(() => {});
  if (redisUp) {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }
});

const headers = { authorization: `Bearer ${KEY}` };
async function clock(s: ServerProcess): Promise<{ status: number; remaining: string | null }> {
  const res = await fetch(`${s.baseUrl}/v1/sandbox/clock`, { headers });
  await res.arrayBuffer();
  return { status: res.status, remaining: res.headers.get('x-ratelimit-remaining') };
}
async function readyz(s: ServerProcess): Promise<{ status: number; detail?: string }> {
  const res = await fetch(`${s.baseUrl}/readyz`);
  const body = (await res.json()) as { detail?: string };
  return { status: res.status, ...(body.detail ? { detail: body.detail } : {}) };
}
async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
async function storeErrors(s: ServerProcess): Promise<number> {
  const text = await (await fetch(`${s.baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('sandbox_rate_limit_store_errors_total '));
  return Number(line?.split(' ')[1]);
}

describe.skipIf(!redisUp)('Redis goes away and comes back', () => {
  it('fails open to per-instance limits with one warning per outage, and counts in Redis again when it returns', async () => {
    await proxy.up();
    server = await startServer({
      env: { SANDBOX_API_KEYS: `acme:${KEY}`, REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_KEY_PREFIX: PREFIX },
    });
    const s = server;
    const warnings = () =>
      s.logs().filter((l) => l.level === 40 && l.msg.startsWith('rate limits: Redis is unreachable'));
    const recoveries = () =>
      s.logs().filter((l) => l.level === 30 && l.msg === 'rate limits: Redis answers again; counting in Redis');

    expect(await readyz(s)).toEqual({ status: 200 });
    for (const remaining of ['59', '58', '57']) expect(await clock(s)).toEqual({ status: 200, remaining });

    // Outage 1: served, counted in this process's memory (a fresh count), one warning.
    await proxy.down();
    await until('/readyz 503', async () => (await readyz(s)).status === 503);
    expect(await readyz(s)).toEqual({ status: 503, detail: 'redis is not reachable' });
    for (const remaining of ['59', '58', '57', '56', '55']) expect(await clock(s)).toEqual({ status: 200, remaining });
    expect(await storeErrors(s)).toBe(5);
    await until('the warning in the log', async () => warnings().length === 1);

    // Back: Redis's count goes on where it was (3 spent), one info line.
    await proxy.up();
    await until('/readyz 200', async () => (await readyz(s)).status === 200);
    expect(await clock(s)).toEqual({ status: 200, remaining: '56' });
    await until('the recovery line in the log', async () => recoveries().length === 1);

    // Outage 2: a second warning, not one per request.
    await proxy.down();
    await until('/readyz 503', async () => (await readyz(s)).status === 503);
    for (let i = 0; i < 3; i++) expect((await clock(s)).status).toBe(200);
    await until('the second warning', async () => warnings().length === 2);
    expect(await storeErrors(s)).toBe(8);
    expect(warnings()).toHaveLength(2);
  });
});
