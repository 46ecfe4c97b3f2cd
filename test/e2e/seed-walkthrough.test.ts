/**
 * End to end over real HTTP against `node dist/server.js`: the seed reference's own example
 * requests in the order an integrator makes them, persistence across a restart on the same
 * SQLite file, the demo key bootstrap, start-up failures, the offline /docs page and
 * X-Request-Id on the wire.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasValidLuhnDigit, sandboxIccid } from '../../src/domain/iccid.js';
import { openServerDatabase, runServerToExit, startServer, type ServerProcess } from '../helpers/server-process.js';
import { FRESH_ESIM_FIELDS } from '../helpers/new-esim.js';

const KEY = 'acme-e2e-key-0001';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MATCHING_ID = /^[2-9A-HJ-NP-Z]{5}(-[2-9A-HJ-NP-Z]{5}){3}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DAY_MS = 86_400_000;

interface Catalog {
  plans: { planCode: string; providerCode: string; unusedTerminationDays: number }[];
  providers: { code: string; country: string }[];
}
const catalog = JSON.parse(readFileSync(new URL('../../src/catalog/plans.json', import.meta.url), 'utf8')) as Catalog;
const shippedKD0001 = catalog.plans.find((p) => p.planCode === 'KD0001')!;

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

/** One HTTP request with fetch; the body is sent as JSON. */
async function request(
  baseUrl: string,
  method: string,
  path: string,
  options: { key?: string | null; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  const key = options.key === undefined ? KEY : options.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: /json/.test(type) ? JSON.parse(text) : undefined,
  };
}

const dirs: string[] = [];
function tempDbFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'esim-sandbox-e2e-'));
  dirs.push(dir);
  return join(dir, 'sandbox.db');
}
const running = new Set<ServerProcess>();
async function start(env: Record<string, string | undefined>): Promise<ServerProcess> {
  const server = await startServer({ env });
  running.add(server);
  return server;
}
async function stop(server: ServerProcess) {
  running.delete(server);
  return server.stop();
}

afterAll(async () => {
  await Promise.all([...running].map((server) => server.stop()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the seed walkthrough over real HTTP, then a restart on the same SQLite file', () => {
  const dbFile = tempDbFile();
  const env = { DATABASE_URL: `sqlite:${dbFile}`, SANDBOX_API_KEYS: `acme:${KEY}`, RATE_LIMITS: 'on' };
  let server: ServerProcess;
  let iccid: string;
  let transactionId: string;
  let ordered: any;
  let lastRead: any;

  beforeAll(async () => {
    server = await start(env);
  });

  it('lists the Japanese plans: GET /v1/plans?countryCode=JP', async () => {
    const res = await request(server.baseUrl, 'GET', '/v1/plans?countryCode=JP');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-ratelimit-limit')).toBe('60');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('59');
    const reset = Number(res.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(1);
    expect(reset).toBeLessThanOrEqual(60);

    const japanese = catalog.plans
      .filter((p) => catalog.providers.find((pr) => pr.code === p.providerCode)?.country === 'JP')
      .map((p) => p.planCode)
      .sort();
    expect(japanese.length).toBeGreaterThan(0);
    expect(res.body.meta).toEqual({
      total: japanese.length,
      page: 1,
      limit: 10,
      totalPages: Math.ceil(japanese.length / 10),
    });
    expect(res.body.items.map((p: { planCode: string }) => p.planCode)).toEqual(japanese.slice(0, 10));
    for (const item of res.body.items) expect(item).toEqual(catalog.plans.find((p) => p.planCode === item.planCode));

    const all = await request(server.baseUrl, 'GET', '/v1/plans?countryCode=JP&limit=200');
    expect(all.status).toBe(200);
    expect(all.headers.get('x-ratelimit-remaining')).toBe('58');
    expect(all.body.items.map((p: { planCode: string }) => p.planCode)).toEqual(japanese);
    expect(all.body.items.find((p: { planCode: string }) => p.planCode === 'KD0001')).toEqual(shippedKD0001);
  });

  it('orders {"planCode": "KD0001", "quantity": 1}: 201 with one fresh eSIM', async () => {
    const before = Date.now();
    const res = await request(server.baseUrl, 'POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 1 } });
    const after = Date.now();
    expect(res.status).toBe(201);
    expect(res.headers.get('x-ratelimit-limit')).toBe('10');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('9');
    expect(Object.keys(res.body).sort()).toEqual(['esims', 'transactionId']);
    expect(res.body.transactionId).toMatch(UUID);
    expect(res.body.esims).toHaveLength(1);
    transactionId = res.body.transactionId;
    ordered = res.body.esims[0];
    iccid = ordered.iccid;

    // The first eSIM of a new database gets sequence number 1.
    expect(iccid).toBe(sandboxIccid(1));
    expect(iccid).toBe('8900000000000000011');
    expect(hasValidLuhnDigit(iccid)).toBe(true);
    expect(ordered.activationCode).toMatch(MATCHING_ID);
    expect(ordered).toEqual({
      iccid,
      homeCountry: 'JP',
      roamingCountries: [],
      ...FRESH_ESIM_FIELDS,
      qrCode: `LPA:1$smdp.sandbox.example$${ordered.activationCode}`,
      smdpAddress: 'smdp.sandbox.example',
      activationCode: ordered.activationCode,
      activationDeadline: expect.stringMatching(INSTANT),
      lastUpdatedAt: expect.stringMatching(INSTANT),
    });
    const orderedAt = Date.parse(ordered.lastUpdatedAt);
    expect(orderedAt).toBeGreaterThanOrEqual(before);
    expect(orderedAt).toBeLessThanOrEqual(after);
    expect(Date.parse(ordered.activationDeadline) - orderedAt).toBe(shippedKD0001.unusedTerminationDays * DAY_MS);
  });

  it('reads the status: GET /v1/esims/{iccid} is the ordered eSIM', async () => {
    const res = await request(server.baseUrl, 'GET', `/v1/esims/${iccid}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBe('60');
    expect(res.body).toEqual(ordered);
  });

  it('reconciles: GET /v1/orders/{transactionId} lists exactly that ICCID', async () => {
    const res = await request(server.baseUrl, 'GET', `/v1/orders/${transactionId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBe('10');
    expect(res.body).toEqual({ transactionId, iccids: [iccid] });
  });

  it('suspends: SUSPENDED and restricted; suspending again changes nothing', async () => {
    const res = await request(server.baseUrl, 'POST', `/v1/esims/${iccid}/emergency-control`, {
      body: { action: 'suspend' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ...ordered,
      contractStatus: 'SUSPENDED',
      isServiceRestricted: true,
      lastUpdatedAt: expect.stringMatching(INSTANT),
    });
    expect(Date.parse(res.body.lastUpdatedAt)).toBeGreaterThanOrEqual(Date.parse(ordered.lastUpdatedAt));

    const again = await request(server.baseUrl, 'POST', `/v1/esims/${iccid}/emergency-control`, {
      body: { action: 'suspend' },
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
  });

  it('releases: ACTIVE and not restricted', async () => {
    const res = await request(server.baseUrl, 'POST', `/v1/esims/${iccid}/emergency-control`, {
      body: { action: 'release' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ...ordered,
      contractStatus: 'ACTIVE',
      isServiceRestricted: false,
      lastUpdatedAt: expect.stringMatching(INSTANT),
    });
  });

  it("configures the seed's three days of 102400 KB: PUT /v1/sandbox/esims/{iccid}/data-usage", async () => {
    const days = [
      { day: '2025-12-10', usage: '102400' },
      { day: '2025-12-11', usage: '102400' },
      { day: '2025-12-12', usage: '102400' },
    ];
    const res = await request(server.baseUrl, 'PUT', `/v1/sandbox/esims/${iccid}/data-usage`, {
      body: [days[2], days[0], days[1]],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBe('60');
    expect(res.body).toEqual({ message: 'Data usage updated successfully', iccid, dataUsageDailyList: days });

    const read = await request(server.baseUrl, 'GET', `/v1/esims/${iccid}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({
      ...ordered,
      dataUsageDailyList: days,
      totalDataUsage: 307200,
      lastUpdatedAt: expect.stringMatching(INSTANT),
    });
    lastRead = read.body;
  });

  it('stops on SIGTERM with exit code 0', async () => {
    const exit = await stop(server);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(server.stdout()).toContain('SIGTERM: closing');
  });

  it('a new process on the same SQLite file serves the same eSIM, order and ICCID counter', async () => {
    server = await start(env);
    const read = await request(server.baseUrl, 'GET', `/v1/esims/${iccid}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(lastRead);

    const order = await request(server.baseUrl, 'GET', `/v1/orders/${transactionId}`);
    expect(order.body).toEqual({ transactionId, iccids: [iccid] });

    // Sequence numbers are never reused: the next order gets sequence 2.
    const next = await request(server.baseUrl, 'POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 2 } });
    expect(next.status).toBe(201);
    expect(next.body.esims.map((e: { iccid: string }) => e.iccid)).toEqual([sandboxIccid(2), sandboxIccid(3)]);
  });

  describe('on the wire', () => {
    it('echoes a valid X-Request-Id and uses it in the problem body', async () => {
      const res = await request(server.baseUrl, 'GET', '/v1/esims/8900000000000000001', {
        headers: { 'x-request-id': 'e2e.req:42-A_b' },
      });
      expect(res.headers.get('x-request-id')).toBe('e2e.req:42-A_b');
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('VALIDATION_ERROR');
      expect(res.body.requestId).toBe('e2e.req:42-A_b');
      expect(res.text).toContain('check digit');
    });

    it('replaces an invalid X-Request-Id with a new UUID, and gives one when none is sent', async () => {
      const bad = await request(server.baseUrl, 'GET', '/healthz', {
        key: null,
        headers: { 'x-request-id': 'has space' },
      });
      expect(bad.status).toBe(200);
      expect(bad.headers.get('x-request-id')).toMatch(UUID);
      const tooLong = await request(server.baseUrl, 'GET', '/healthz', {
        key: null,
        headers: { 'x-request-id': 'a'.repeat(129) },
      });
      expect(tooLong.headers.get('x-request-id')).toMatch(UUID);
      const none = await request(server.baseUrl, 'GET', '/healthz', { key: null });
      expect(none.headers.get('x-request-id')).toMatch(UUID);
      expect(none.headers.get('x-request-id')).not.toBe(bad.headers.get('x-request-id'));
    });

    it('answers 401 with WWW-Authenticate: Bearer and the request id without a key', async () => {
      const res = await request(server.baseUrl, 'GET', '/v1/plans', {
        key: null,
        headers: { 'x-request-id': 'no-key-1' },
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHORIZED', requestId: 'no-key-1' });
    });

    it('logs the request id', async () => {
      await request(server.baseUrl, 'GET', '/healthz', { key: null, headers: { 'x-request-id': 'logged-id-7' } });
      const logged = () => server.logs().filter((line) => line.requestId === 'logged-id-7');
      for (let waited = 0; logged().length < 2 && waited < 2000; waited += 50)
        await new Promise((resolve) => setTimeout(resolve, 50));
      // Fastify's "incoming request" and "request completed" lines both carry it.
      expect(logged().map((line) => line.msg)).toEqual(['incoming request', 'request completed']);
    });
    it('answers the 11th order of the minute with 429, Retry-After and a RATE_LIMITED problem', async () => {
      // This process has taken one order so far (the restart test above).
      const statuses: number[] = [];
      let last: Reply | undefined;
      for (let i = 0; i < 10; i++) {
        last = await request(server.baseUrl, 'POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 1 } });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([201, 201, 201, 201, 201, 201, 201, 201, 201, 429]);
      expect(last!.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(last!.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(last!.headers.get('x-ratelimit-limit')).toBe('10');
      expect(last!.headers.get('x-ratelimit-remaining')).toBe('0');
      const retryAfter = Number(last!.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Other operations have their own windows.
      expect((await request(server.baseUrl, 'GET', `/v1/esims/${iccid}`)).status).toBe(200);
    });
  });

  describe('GET /docs', () => {
    it('is an HTML page whose every script and stylesheet is served locally', async () => {
      const res = await request(server.baseUrl, 'GET', '/docs', { key: null });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.text).toMatch(/<html/i);
      expect(res.text).not.toMatch(/https?:\/\//);

      const assets = [...res.text.matchAll(/<(?:script|link)\b[^>]*?\s(?:src|href)="([^"]+)"/gi)].map((m) => m[1]!);
      expect(assets.length).toBeGreaterThanOrEqual(3);
      expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
      expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
      for (const asset of assets) {
        const url = new URL(asset, `${server.baseUrl}/docs`);
        expect(url.origin).toBe(server.baseUrl);
        const got = await fetch(url);
        await got.arrayBuffer();
        expect(got.status, url.href).toBe(200);
      }
    });

    it('serves the OpenAPI 3.1 document the page loads, without a key', async () => {
      for (const path of ['/openapi.json', '/docs/json']) {
        const res = await request(server.baseUrl, 'GET', path, { key: null });
        expect(res.status, path).toBe(200);
        expect(res.body.openapi).toBe('3.1.0');
        expect(Object.keys(res.body.paths)).toEqual(
          expect.arrayContaining(['/v1/plans', '/v1/orders', '/v1/esims/{iccid}']),
        );
      }
    });

    it("uses only valid sandbox ICCIDs in its examples (the seed's own samples fail the Luhn check)", async () => {
      const res = await request(server.baseUrl, 'GET', '/openapi.json', { key: null });
      const iccids = [...new Set([...res.text.matchAll(/"(89\d{17})"/g)].map((m) => m[1]!))];
      expect(iccids.length).toBeGreaterThan(0);
      for (const example of iccids)
        expect(hasValidLuhnDigit(example) && example.startsWith('8900'), example).toBe(true);
      for (const seedSample of [
        '8981100000000000001',
        '8900100000000000001',
        '8900123456789012345',
        '8900000000000000001',
      ]) {
        expect(res.text).not.toContain(seedSample);
      }
    });
  });
});

describe('the demo key when SANDBOX_API_KEYS is unset', () => {
  it('is created and logged once on a fresh file, stored as a hash, and still works after a restart', async () => {
    const dbFile = tempDbFile();
    const env = { DATABASE_URL: `sqlite:${dbFile}`, SANDBOX_API_KEYS: undefined };

    const first = await start(env);
    const created = first.logs().filter((line) => typeof line.apiKey === 'string');
    expect(created).toHaveLength(1);
    const demo = created[0]!;
    const key = demo.apiKey as string;
    expect(demo.level).toBe(40);
    expect(demo.reseller).toBe('demo');
    expect(key).toMatch(/^[A-Za-z0-9._~+/-]{20,}$/);
    expect(demo.msg).toContain(key);
    // Logged once: the key appears on exactly one line.
    expect(
      first
        .stdout()
        .split('\n')
        .filter((line) => line.includes(key)),
    ).toHaveLength(1);

    expect((await request(first.baseUrl, 'GET', '/v1/plans', { key })).status).toBe(200);
    expect((await request(first.baseUrl, 'GET', '/v1/plans', { key: `${key}x` })).status).toBe(401);
    expect((await stop(first)).code).toBe(0);

    // Only the SHA-256 hash is stored.
    const db = openServerDatabase(env.DATABASE_URL);
    try {
      const rows = db
        .prepare('SELECT key_hash, name FROM api_keys JOIN resellers ON resellers.id = api_keys.reseller_id')
        .all();
      expect(rows).toEqual([{ key_hash: createHash('sha256').update(key).digest('hex'), name: 'demo' }]);
    } finally {
      db.close();
    }

    const second = await start(env);
    expect(second.logs().filter((line) => 'apiKey' in line)).toEqual([]);
    expect(second.stdout()).not.toContain(key);
    expect(second.stdout()).toContain('using the 1 API key(s) stored');
    expect((await request(second.baseUrl, 'GET', '/v1/plans', { key })).status).toBe(200);
    expect((await stop(second)).code).toBe(0);
  });
});

describe('start-up with a bad environment', () => {
  it('PORT=abc exits non-zero naming PORT, without listening', async () => {
    const result = await runServerToExit({
      env: { PORT: 'abc', DATABASE_URL: `sqlite:${tempDbFile()}`, SANDBOX_API_KEYS: `acme:${KEY}` },
    });
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).toContain('"abc"');
    expect(result.stdout).not.toContain('Server listening');
  });

  it('SANDBOX_API_KEYS=nocolon exits non-zero naming SANDBOX_API_KEYS', async () => {
    const result = await runServerToExit({
      env: { SANDBOX_API_KEYS: 'nocolon', DATABASE_URL: `sqlite:${tempDbFile()}` },
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('SANDBOX_API_KEYS');
  });
});
