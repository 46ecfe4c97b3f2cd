/**
 * Shared helpers of the API tests: the catalogue as the data file holds it (read
 * independently of the server), an independent Luhn check, problem-details assertions,
 * ordering shortcuts and direct access to the test's store (SQLite file or PostgreSQL schema).
 *
 * Not a test file itself (vitest only collects `*.test.ts`).
 */
import { readFileSync } from 'node:fs';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { ACME_KEY, type TestApp } from '../helpers/app.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

// ---------------------------------------------------------------------------------------
// Catalogue

export interface CatalogPlan {
  planCode: string;
  providerCode: string;
  unusedTerminationDays: number;
  coverages: { code: string; networks: unknown[] }[];
  [field: string]: unknown;
}

interface CatalogFile {
  providers: { code: string; name: string; country: string }[];
  plans: CatalogPlan[];
}

const catalogFile = JSON.parse(
  readFileSync(new URL('../../src/catalog/plans.json', import.meta.url), 'utf8'),
) as CatalogFile;
const providerCountry = new Map(catalogFile.providers.map((p) => [p.code, p.country]));

/** Every plan of the shipped catalogue, ordered by planCode. */
export const catalogPlans: readonly CatalogPlan[] = [...catalogFile.plans].sort((a, b) =>
  a.planCode < b.planCode ? -1 : 1,
);

/** A plan of the catalogue by code. @throws Error when the catalogue has no such plan. */
export function catalogPlan(planCode: string): CatalogPlan {
  const plan = catalogPlans.find((p) => p.planCode === planCode);
  if (!plan) throw new Error(`the catalogue has no plan ${planCode}`);
  return plan;
}

/** A plan's home country: its provider's country (DESIGN.md section 3, Plans). */
export function homeCountryOf(plan: CatalogPlan): string {
  const country = providerCountry.get(plan.providerCode);
  if (!country) throw new Error(`${plan.planCode}: provider ${plan.providerCode} is not in the catalogue`);
  return country;
}

/** A plan's roaming countries: its coverage countries other than home, sorted. */
export function roamingCountriesOf(plan: CatalogPlan): string[] {
  const home = homeCountryOf(plan);
  return [...new Set(plan.coverages.map((c) => c.code))].filter((c) => c !== home).sort();
}

// ---------------------------------------------------------------------------------------
// Identifiers

export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Luhn check digit (ISO/IEC 7812-1) of a digit string, written here independently of src/. */
export function luhnDigit(payload: string): string {
  let sum = 0;
  [...payload].reverse().forEach((char, i) => {
    let d = Number(char);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  });
  return String((10 - (sum % 10)) % 10);
}

/** The 19-digit sandbox ICCID `8900` + 14-digit `sequence` + Luhn digit. */
export function sandboxIccid(sequence: number): string {
  const payload = `8900${String(sequence).padStart(14, '0')}`;
  return payload + luhnDigit(payload);
}

/** A valid sandbox ICCID that no test ever allocates (sequence 10^13). */
export const UNKNOWN_ICCID = sandboxIccid(10_000_000_000_000);

/** Asserts `iccid` is a sandbox ICCID: 19 digits, prefix 8900, valid Luhn check digit. */
export function expectSandboxIccid(iccid: string): void {
  expect(iccid).toMatch(/^8900\d{15}$/);
  expect(iccid.at(-1)).toBe(luhnDigit(iccid.slice(0, -1)));
}

// ---------------------------------------------------------------------------------------
// Problem details

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  errors?: { path: string; message: string }[];
}

/**
 * Asserts an RFC 9457 problem response: status, code, media type, exactly the contract's
 * members, and `requestId` equal to the `X-Request-Id` header.
 */
export function expectProblem(res: LightMyRequestResponse, status: number, code: string): ProblemBody {
  expect(res.statusCode, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json(;|$)/);
  const body = res.json<ProblemBody>();
  const members = ['type', 'title', 'status', 'detail', 'code', 'requestId'];
  expect(Object.keys(body).sort()).toEqual((body.errors ? [...members, 'errors'] : members).sort());
  expect(body).toMatchObject({ status, code });
  expect(body.type).toBe(`urn:esim-sandbox:problem:${code.toLowerCase().replace(/_/g, '-')}`);
  expect(body.title.length).toBeGreaterThan(0);
  expect(body.detail.length).toBeGreaterThan(0);
  expect(body.requestId).toBe(res.headers['x-request-id']);
  return body;
}

/**
 * Asserts a 400 VALIDATION_ERROR whose `errors` has an entry at `path` (with a message
 * matching `message` when given) and whose `detail` names that path.
 */
export function expectViolation(res: LightMyRequestResponse, path: string, message?: RegExp): ProblemBody {
  const body = expectProblem(res, 400, 'VALIDATION_ERROR');
  const paths = (body.errors ?? []).map((e) => e.path);
  expect(paths, res.body).toContain(path);
  if (message) {
    const messages = (body.errors ?? []).filter((e) => e.path === path).map((e) => e.message);
    expect(
      messages.some((m) => message.test(m)),
      `${path}: ${messages.join(' | ')}`,
    ).toBe(true);
  }
  expect(body.detail).toContain(path);
  return body;
}

// ---------------------------------------------------------------------------------------
// Orders and eSIMs

export interface Esim {
  iccid: string;
  contractStatus: string;
  isServiceRestricted: boolean;
  activationCode: string;
  qrCode: string;
  lastUpdatedAt: string;
  totalDataUsage: number;
  dataUsageDailyList: { day: string; usage: string }[];
  [field: string]: unknown;
}

export interface Order {
  transactionId: string;
  esims: Esim[];
}

/** Places an order (acme's by default) and asserts it succeeded. */
export async function placeOrder(
  t: TestApp,
  planCode = 'KD0001',
  quantity = 1,
  key: string = ACME_KEY,
): Promise<Order> {
  const res = await t.call('POST', '/v1/orders', { body: { planCode, quantity }, key });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Order>();
}

/** Orders one eSIM (acme's by default) and returns it. */
export async function orderOne(t: TestApp, planCode = 'KD0001', key: string = ACME_KEY): Promise<Esim> {
  const order = await placeOrder(t, planCode, 1, key);
  return order.esims[0]!;
}

/**
 * Every /v1 operation (sandbox routes included) as `[method, url, body]`, with a well-formed
 * request for it on the eSIM `iccid`; `body` undefined sends none.
 */
export function v1Operations(iccid: string): [string, string, unknown][] {
  return [
    ['GET', '/v1/plans?countryCode=JP&limit=1', undefined],
    ['POST', '/v1/orders', { planCode: 'KD0001', quantity: 3 }],
    ['GET', '/v1/orders/a1b2c3d4-e5f6-4890-abcd-ef1234567890', undefined],
    ['GET', `/v1/esims/${iccid}`, undefined],
    ['POST', `/v1/esims/${iccid}/emergency-control`, { action: 'suspend' }],
    ['PUT', `/v1/sandbox/esims/${iccid}/data-usage`, [{ day: '2025-12-10', usage: '1024' }]],
    ['POST', `/v1/sandbox/esims/${iccid}/events`, { event: 'terminate' }],
    ['GET', '/v1/sandbox/clock', undefined],
    ['POST', '/v1/sandbox/clock/advance', { days: 3 }],
    ['POST', '/v1/sandbox/clock/reset', undefined],
  ];
}

/** Reads an eSIM (acme's by default) and asserts it is found. */
export async function getEsim(t: TestApp, iccid: string, key: string = ACME_KEY): Promise<Esim> {
  const res = await t.call('GET', `/v1/esims/${iccid}`, { key });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Esim>();
}

/** Sends a lifecycle event (acme's by default); the response is returned unchecked. */
export function sendEvent(
  t: TestApp,
  iccid: string,
  body: unknown,
  key: string = ACME_KEY,
): Promise<LightMyRequestResponse> {
  return t.call('POST', `/v1/sandbox/esims/${iccid}/events`, { body, key });
}

/** Sends a lifecycle event (acme's by default), asserts 200 and returns the eSIM after it. */
export async function applyEvent(t: TestApp, iccid: string, body: unknown, key: string = ACME_KEY): Promise<Esim> {
  const res = await sendEvent(t, iccid, body, key);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Esim>();
}

/** Moves a reseller's sandbox clock (acme's by default), asserts 200 and returns the clock. */
export async function advanceClock(
  t: TestApp,
  move: { days?: number; hours?: number },
  key: string = ACME_KEY,
): Promise<{ now: string; offsetSeconds: number }> {
  const res = await t.call('POST', '/v1/sandbox/clock/advance', { body: move, key });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ now: string; offsetSeconds: number }>();
}

/** Resets a reseller's sandbox clock (acme's by default) and asserts it answers offset 0. */
export async function resetClock(t: TestApp, key: string = ACME_KEY): Promise<void> {
  const res = await t.call('POST', '/v1/sandbox/clock/reset', { key });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().offsetSeconds).toBe(0);
}

// ---------------------------------------------------------------------------------------
// The test's database

/**
 * Runs `work` on the test app's real store (a second connection: the SQLite file, or the
 * app's PostgreSQL schema through a synchronous bridge) and closes it. `work` gets the
 * better-sqlite3 API (`prepare(sql).get/all/run`, `exec`) with `?` placeholders, on both.
 */
export function withDatabase<T>(t: TestApp, work: (db: TestDatabase) => T): T {
  const db = openTestDatabase(t.store);
  try {
    db.pragma('busy_timeout = 5000');
    return work(db);
  } finally {
    db.close();
  }
}

/** The stored row of an eSIM, every column. */
export function esimRow(t: TestApp, iccid: string): Record<string, unknown> | undefined {
  return withDatabase(
    t,
    (db) => db.prepare('SELECT * FROM esims WHERE iccid = ?').get(iccid) as Record<string, unknown> | undefined,
  );
}

// ---------------------------------------------------------------------------------------
// Clock

/** A fake clock the test moves by hand: `clock.now` goes to startTestApp. */
export function manualClock(start: string) {
  let current = Date.parse(start);
  return {
    now: () => new Date(current),
    /** Moves the clock forward and returns the new instant as the API writes it. */
    advance(ms: number): string {
      current += ms;
      return new Date(current).toISOString();
    },
    iso: () => new Date(current).toISOString(),
    /** Puts the clock at an instant (earlier or later), for tests that need exact instants. */
    set(iso: string): void {
      current = Date.parse(iso);
    },
    /** The instant `ms` from the clock's current time, as the API writes it (the clock does not move). */
    plus: (ms: number) => new Date(current + ms).toISOString(),
  };
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** The Japan-time (UTC+9) calendar date of an ISO instant, computed here independently of src/. */
export function japanDate(iso: string): string {
  return new Date(Date.parse(iso) + 9 * HOUR_MS).toISOString().slice(0, 10);
}

/** `date` (YYYY-MM-DD) plus `days` calendar days. */
export function plusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
