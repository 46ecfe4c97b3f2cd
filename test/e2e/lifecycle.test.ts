/**
 * End to end over real HTTP against `node dist/server.js`: a whole eSIM life driven by the
 * sandbox (order, download, install, connect), the reseller's clock moved past expiry, and
 * the TERMINATED status read back with the right dates; then a second process on the same
 * SQLite file, which sees the same clock and the same stored change at once.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../helpers/server-process.js';

const KEY = 'acme-e2e-lifecycle-01';
const OTHER_KEY = 'globex-e2e-lifecycle-02';
const IMEI = '490154203237518';
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const catalog = JSON.parse(readFileSync(new URL('../../src/catalog/plans.json', import.meta.url), 'utf8')) as {
  plans: { planCode: string; validityDays: number }[];
};
const VALIDITY_DAYS = catalog.plans.find((p) => p.planCode === 'KD0001')!.validityDays;

/** The Japan-time (UTC+9) date of an instant, computed here independently of src/. */
const japanDate = (iso: string) => new Date(Date.parse(iso) + 9 * HOUR_MS).toISOString().slice(0, 10);
const plusDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
/** 00:00 in Japan of a date, as a UTC instant (15:00 UTC the day before). */
const japanMidnight = (date: string) => new Date(Date.parse(`${date}T00:00:00.000Z`) - 9 * HOUR_MS).toISOString();

interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

async function call(server: ServerProcess, method: string, path: string, body?: unknown, key = KEY): Promise<Reply> {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

let dir: string;
let env: Record<string, string>;
let server: ServerProcess;
let second: ServerProcess | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'esim-sandbox-e2e-lifecycle-'));
  env = {
    DATABASE_URL: `sqlite:${join(dir, 'sandbox.db')}`,
    SANDBOX_API_KEYS: `acme:${KEY},globex:${OTHER_KEY}`,
    RATE_LIMITS: 'on',
  };
  server = await startServer({ env });
});

afterAll(async () => {
  await Promise.all([server?.stop(), second?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('an eSIM lived through the sandbox, then expired by the sandbox clock', () => {
  let iccid: string;
  let ordered: any;
  let connected: any;
  let expired: any;

  it('orders one KD0001 eSIM', async () => {
    const res = await call(server, 'POST', '/v1/orders', { planCode: 'KD0001', quantity: 1 });
    expect(res.status).toBe(201);
    ordered = res.body.esims[0];
    iccid = ordered.iccid;
    expect(ordered).toMatchObject({
      contractStatus: 'ACTIVE',
      profileProvisionStatus: 'AVAILABLE',
      profileInstallStatus: 'READY',
      activatedOn: null,
    });
  });

  it('downloads: profile DOWNLOADED, downloadedAt; the route is limited to 60 a minute', async () => {
    const res = await call(server, 'POST', `/v1/sandbox/esims/${iccid}/events`, { event: 'download' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBe('60');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('59');
    expect(res.body).toEqual({
      ...ordered,
      profileProvisionStatus: 'DOWNLOADED',
      profileInstallStatus: 'DOWNLOADED',
      downloadedAt: res.body.lastUpdatedAt,
      lastUpdatedAt: res.body.lastUpdatedAt,
    });
    expect(Date.parse(res.body.downloadedAt)).toBeGreaterThanOrEqual(Date.parse(ordered.lastUpdatedAt));
  });

  it('installs on a device: INSTALLED, initialInsertionDevice and initialInsertionAt', async () => {
    const res = await call(server, 'POST', `/v1/sandbox/esims/${iccid}/events`, { event: 'install', imei: IMEI });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      profileInstallStatus: 'INSTALLED',
      initialInsertionDevice: IMEI,
      initialInsertionAt: res.body.lastUpdatedAt,
    });
  });

  it('refuses a second install with 409 INVALID_TRANSITION naming the state and the allowed events', async () => {
    const res = await call(server, 'POST', `/v1/sandbox/esims/${iccid}/events`, { event: 'install', imei: IMEI });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 409, code: 'INVALID_TRANSITION' });
    expect(res.body.detail).toContain('in state INSTALLED');
    expect(res.body.detail).toMatch(/events allowed from this state: connect, terminate$/);
  });

  it('connects: activatedOn is the Japan date of the connection, expiresOn = activatedOn + validityDays - 1', async () => {
    const res = await call(server, 'POST', `/v1/sandbox/esims/${iccid}/events`, { event: 'connect', imei: IMEI });
    expect(res.status).toBe(200);
    connected = res.body;
    const activatedOn = japanDate(connected.lastUpdatedAt);
    expect(connected).toMatchObject({
      contractStatus: 'ACTIVE',
      initialConnectionDevice: IMEI,
      activatedOn,
      expiresOn: plusDays(activatedOn, VALIDITY_DAYS - 1),
      terminatedOn: null,
    });
  });

  it('advances the clock past expiry and reads TERMINATED, terminatedOn = expiresOn + 1, lastUpdatedAt 00:00 JST that day', async () => {
    const clock = await call(server, 'POST', '/v1/sandbox/clock/advance', { days: VALIDITY_DAYS + 1 });
    expect(clock.status).toBe(200);
    expect(clock.body.offsetSeconds).toBe((VALIDITY_DAYS + 1) * 86_400);
    expect(Math.abs(Date.parse(clock.body.now) - (Date.now() + (VALIDITY_DAYS + 1) * DAY_MS))).toBeLessThan(60_000);

    const res = await call(server, 'GET', `/v1/esims/${iccid}`);
    expect(res.status).toBe(200);
    const terminatedOn = plusDays(connected.expiresOn, 1);
    expired = { ...connected, contractStatus: 'TERMINATED', terminatedOn, lastUpdatedAt: japanMidnight(terminatedOn) };
    expect(res.body).toEqual(expired);
  });

  it('keeps it TERMINATED after a reset; events now answer 409 ESIM_TERMINATED', async () => {
    const reset = await call(server, 'POST', '/v1/sandbox/clock/reset');
    expect(reset.status).toBe(200);
    expect(reset.body.offsetSeconds).toBe(0);
    expect((await call(server, 'GET', `/v1/esims/${iccid}`)).body).toEqual(expired);
    const refused = await call(server, 'POST', `/v1/sandbox/esims/${iccid}/events`, { event: 'connect', imei: IMEI });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('ESIM_TERMINATED');
  });

  it("a second process on the same file sees the reseller's clock and the stored change at once; other resellers' clocks stay", async () => {
    second = await startServer({ env });
    const fresh = (await call(server, 'POST', '/v1/orders', { planCode: 'KD0001', quantity: 1 })).body.esims[0];
    const advanced = await call(server, 'POST', '/v1/sandbox/clock/advance', { days: 400 });
    expect(advanced.status).toBe(200);

    const seen = await call(second, 'GET', '/v1/sandbox/clock');
    expect(seen.body.offsetSeconds).toBe(400 * 86_400);
    expect((await call(second, 'GET', '/v1/sandbox/clock', undefined, OTHER_KEY)).body.offsetSeconds).toBe(0);

    // KD0001 gives 180 days to install: 400 days later the never-installed eSIM is cancelled.
    const read = await call(second, 'GET', `/v1/esims/${fresh.iccid}`);
    expect(read.body).toEqual({
      ...fresh,
      contractStatus: 'TERMINATED',
      profileProvisionStatus: 'CANCELED',
      terminatedOn: japanDate(fresh.activationDeadline),
      lastUpdatedAt: fresh.activationDeadline,
    });
    expect((await call(server, 'POST', '/v1/sandbox/clock/reset')).status).toBe(200);
    expect((await call(server, 'GET', `/v1/esims/${fresh.iccid}`)).body).toEqual(read.body);
  });
});
