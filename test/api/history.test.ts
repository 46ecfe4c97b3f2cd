/**
 * Each eSIM's history (`GET /v1/sandbox/esims/{iccid}/history`) on the real app and store:
 * one entry per change, its creation included, with when it took effect, the cause, the
 * request id, the fields before and after and the webhook deliveries it queued; nothing for
 * a change that changes nothing; clock rules recorded with the request that found them due
 * (or null for real time's sweep); cursor pagination; 404 and 400 as for the status read.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GLOBEX_KEY, startTestApp, type TestApp } from '../helpers/app.js';
import { startReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';
import {
  catalogPlan,
  DAY_MS,
  expectProblem,
  expectViolation,
  HOUR_MS,
  homeCountryOf,
  manualClock,
  resetClock,
  roamingCountriesOf,
  UNKNOWN_ICCID,
  withDatabase,
  type Esim,
} from './support.js';

const IMEI = '490154203237518';
const OTHER_IMEI = '356938035643809';
// 16:00 UTC on 1 March is 01:00 on 2 March in Japan.
const START = '2026-03-01T16:00:00.000Z';
const PLAN = catalogPlan('KD0001');
const DEADLINE_DAYS = Number(PLAN.unusedTerminationDays);
const real = manualClock(START);

interface Entry {
  id: number;
  at: string;
  recordedAt: string;
  cause: Record<string, unknown>;
  requestId: string | null;
  changes: { field: string; from: unknown; to: unknown }[];
  webhookDeliveryIds: string[];
}
interface HistoryPage {
  iccid: string;
  items: Entry[];
  nextCursor: string | null;
}

let t: TestApp;
let hooks: WebhookReceiver;
beforeAll(async () => {
  hooks = await startReceiver();
  t = await startTestApp({ RATE_LIMITS: 'off' }, real.now);
});
afterAll(async () => {
  await t.close();
  await hooks.close();
});
beforeEach(async () => {
  real.set(START);
  await resetClock(t);
  await t.call('DELETE', '/v1/sandbox/webhook');
});

/** Sends a request with an X-Request-Id and asserts its status. */
async function send(
  method: string,
  url: string,
  requestId: string,
  body?: unknown,
  status = 200,
  key?: string,
): Promise<Esim> {
  const res = await t.call(method, url, {
    headers: { 'x-request-id': requestId },
    ...(body !== undefined ? { body } : {}),
    ...(key ? { key } : {}),
  });
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['x-request-id']).toBe(requestId);
  return res.json<Esim>();
}

async function order(requestId: string, key?: string): Promise<Esim> {
  const res = await t.call('POST', '/v1/orders', {
    headers: { 'x-request-id': requestId },
    body: { planCode: 'KD0001', quantity: 1 },
    ...(key ? { key } : {}),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ esims: Esim[] }>().esims[0]!;
}

async function history(iccid: string, query = '', key?: string): Promise<HistoryPage> {
  const res = await t.call('GET', `/v1/sandbox/esims/${iccid}/history${query}`, key ? { key } : {});
  expect(res.statusCode, res.body).toBe(200);
  const page = res.json<HistoryPage>();
  expect(page.iccid).toBe(iccid);
  return page;
}

/** The creation entry's changes for an eSIM ordered at `at`: every field that is not null, from null. */
function creationChanges(esim: Esim, at: string) {
  return [
    { field: 'homeCountry', from: null, to: homeCountryOf(PLAN) },
    { field: 'roamingCountries', from: null, to: roamingCountriesOf(PLAN) },
    { field: 'contractStatus', from: null, to: 'ACTIVE' },
    { field: 'profileProvisionStatus', from: null, to: 'AVAILABLE' },
    { field: 'profileInstallStatus', from: null, to: 'READY' },
    { field: 'isServiceRestricted', from: null, to: false },
    { field: 'smdpAddress', from: null, to: 'smdp.sandbox.example' },
    { field: 'activationCode', from: null, to: esim.activationCode },
    { field: 'activationDeadline', from: null, to: new Date(Date.parse(at) + DEADLINE_DAYS * DAY_MS).toISOString() },
    { field: 'dataUsageDailyList', from: null, to: [] },
    { field: 'totalDataUsage', from: null, to: 0 },
  ];
}

describe("an eSIM's life, entry by entry", () => {
  it('records the order, lifecycle events, suspend / release, usage and the expiry, and nothing for retries', async () => {
    const ordered = await order('h-order');
    const { iccid } = ordered;
    const control = `/v1/esims/${iccid}/emergency-control`;
    const events = `/v1/sandbox/esims/${iccid}/events`;
    const usage = `/v1/sandbox/esims/${iccid}/data-usage`;

    const t1 = real.advance(HOUR_MS);
    await send('POST', events, 'h-download', { event: 'download' });
    const t2 = real.advance(HOUR_MS);
    await send('POST', events, 'h-install', { event: 'install', imei: IMEI });
    // 19:00 UTC on 1 March: 2 March in Japan, so 2 to 8 March for a 7-day plan.
    const t3 = real.advance(HOUR_MS);
    expect(PLAN.validityDays).toBe(7);
    await send('POST', events, 'h-connect', { event: 'connect', imei: OTHER_IMEI });
    real.advance(HOUR_MS);
    await send('POST', events, 'h-connect-again', { event: 'connect', imei: IMEI });
    const t5 = real.advance(HOUR_MS);
    await send('POST', control, 'h-suspend', { action: 'suspend' });
    real.advance(HOUR_MS);
    await send('POST', control, 'h-suspend-again', { action: 'suspend' });
    const t7 = real.advance(HOUR_MS);
    await send('POST', control, 'h-release', { action: 'release' });
    const t8 = real.advance(HOUR_MS);
    const list = [
      { day: '2026-03-02', usage: '1024' },
      { day: '2026-03-03', usage: '2048' },
    ];
    await send('PUT', usage, 'h-usage', list);
    real.advance(HOUR_MS);
    await send('PUT', usage, 'h-usage-again', list);

    // 7 days on: 2026-03-09T00:00Z, past 00:00 on 9 March in Japan (2026-03-08T15:00Z).
    await send('POST', '/v1/sandbox/clock/advance', 'h-advance', { days: 7 });
    const readAt = real.iso();
    const expired = await send('GET', `/v1/esims/${iccid}`, 'h-read');
    expect(expired).toMatchObject({ contractStatus: 'TERMINATED', terminatedOn: '2026-03-09' });
    await send('GET', `/v1/esims/${iccid}`, 'h-read-again');

    const page = await history(iccid);
    expect(page.nextCursor).toBeNull();
    const entries = page.items;
    expect(entries.map((e) => e.requestId)).toEqual([
      'h-order',
      'h-download',
      'h-install',
      'h-connect',
      'h-suspend',
      'h-release',
      'h-usage',
      'h-read',
    ]);
    // Ids only grow, oldest first.
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.id).toBeGreaterThan(entries[i - 1]!.id);
    const [created, downloaded, installed, connected, suspended, released, used, expiry] = entries;

    expect(created).toEqual({
      id: created!.id,
      at: START,
      recordedAt: START,
      cause: { type: 'order' },
      requestId: 'h-order',
      changes: creationChanges(ordered, START),
      webhookDeliveryIds: [],
    });
    expect(downloaded).toEqual({
      id: downloaded!.id,
      at: t1,
      recordedAt: t1,
      cause: { type: 'lifecycle_event', event: 'download' },
      requestId: 'h-download',
      changes: [
        { field: 'profileProvisionStatus', from: 'AVAILABLE', to: 'DOWNLOADED' },
        { field: 'profileInstallStatus', from: 'READY', to: 'DOWNLOADED' },
        { field: 'downloadedAt', from: null, to: t1 },
      ],
      webhookDeliveryIds: [],
    });
    expect(installed).toEqual({
      id: installed!.id,
      at: t2,
      recordedAt: t2,
      cause: { type: 'lifecycle_event', event: 'install', imei: IMEI },
      requestId: 'h-install',
      changes: [
        { field: 'profileInstallStatus', from: 'DOWNLOADED', to: 'INSTALLED' },
        { field: 'initialInsertionDevice', from: null, to: IMEI },
        { field: 'initialInsertionAt', from: null, to: t2 },
      ],
      webhookDeliveryIds: [],
    });
    expect(connected).toEqual({
      id: connected!.id,
      at: t3,
      recordedAt: t3,
      cause: { type: 'lifecycle_event', event: 'connect', imei: OTHER_IMEI },
      requestId: 'h-connect',
      changes: [
        { field: 'activatedOn', from: null, to: '2026-03-02' },
        { field: 'expiresOn', from: null, to: '2026-03-08' },
        { field: 'initialConnectionDevice', from: null, to: OTHER_IMEI },
      ],
      webhookDeliveryIds: [],
    });
    expect(suspended).toEqual({
      id: suspended!.id,
      at: t5,
      recordedAt: t5,
      cause: { type: 'emergency_control', action: 'suspend' },
      requestId: 'h-suspend',
      changes: [
        { field: 'contractStatus', from: 'ACTIVE', to: 'SUSPENDED' },
        { field: 'isServiceRestricted', from: false, to: true },
      ],
      webhookDeliveryIds: [],
    });
    expect(released).toEqual({
      id: released!.id,
      at: t7,
      recordedAt: t7,
      cause: { type: 'emergency_control', action: 'release' },
      requestId: 'h-release',
      changes: [
        { field: 'contractStatus', from: 'SUSPENDED', to: 'ACTIVE' },
        { field: 'isServiceRestricted', from: true, to: false },
      ],
      webhookDeliveryIds: [],
    });
    expect(used).toEqual({
      id: used!.id,
      at: t8,
      recordedAt: t8,
      cause: { type: 'data_usage' },
      requestId: 'h-usage',
      changes: [
        { field: 'dataUsageDailyList', from: [], to: list },
        { field: 'totalDataUsage', from: 0, to: 3072 },
      ],
      webhookDeliveryIds: [],
    });
    // Took effect at 00:00 on 9 March in Japan (sandbox time), recorded at the read (real time).
    expect(expiry).toEqual({
      id: expiry!.id,
      at: '2026-03-08T15:00:00.000Z',
      recordedAt: readAt,
      cause: { type: 'clock_rule', rule: 'expiry' },
      requestId: 'h-read',
      changes: [
        { field: 'contractStatus', from: 'ACTIVE', to: 'TERMINATED' },
        { field: 'terminatedOn', from: null, to: '2026-03-09' },
      ],
      webhookDeliveryIds: [],
    });
    expect(expired.lastUpdatedAt).toBe(expiry!.at);
  });

  it('records the activation deadline with the request that found it due', async () => {
    const ordered = await order('d-order');
    await send('POST', '/v1/sandbox/clock/advance', 'd-advance', { days: DEADLINE_DAYS });
    const readAt = real.iso();
    const page = await t.call('GET', `/v1/sandbox/esims/${ordered.iccid}/history`, {
      headers: { 'x-request-id': 'd-history' },
    });
    expect(page.statusCode).toBe(200);
    const [, deadline, ...rest] = page.json<HistoryPage>().items;
    expect(rest).toEqual([]);
    // The history read is a read: it found the rule due and stored it, under its own request id.
    expect(deadline).toEqual({
      id: deadline!.id,
      at: ordered.activationDeadline,
      recordedAt: readAt,
      cause: { type: 'clock_rule', rule: 'activation_deadline' },
      requestId: 'd-history',
      changes: [
        { field: 'contractStatus', from: 'ACTIVE', to: 'TERMINATED' },
        { field: 'profileProvisionStatus', from: 'AVAILABLE', to: 'CANCELED' },
        { field: 'terminatedOn', from: null, to: '2026-08-29' },
      ],
      webhookDeliveryIds: [],
    });
    expect(await send('GET', `/v1/esims/${ordered.iccid}`, 'd-read')).toMatchObject({
      contractStatus: 'TERMINATED',
      lastUpdatedAt: ordered.activationDeadline,
    });
    expect((await history(ordered.iccid)).items).toHaveLength(2);
  });

  it('records a backdated first connect past its validity as two entries of one request: the event, then the expiry', async () => {
    const ordered = await order('b-order');
    const at = ordered.lastUpdatedAt;
    await send('POST', '/v1/sandbox/clock/advance', 'b-advance', { days: 20 });
    const events = `/v1/sandbox/esims/${ordered.iccid}/events`;
    await send('POST', events, 'b-install', { event: 'install', imei: IMEI, occurredAt: at });
    await send('POST', events, 'b-connect', { event: 'connect', imei: IMEI, occurredAt: at });
    const [, installed, connected, expiry, ...rest] = (await history(ordered.iccid)).items;
    expect(rest).toEqual([]);
    expect(installed).toMatchObject({
      at,
      cause: { type: 'lifecycle_event', event: 'install' },
      requestId: 'b-install',
    });
    expect(connected).toEqual({
      id: connected!.id,
      at,
      recordedAt: START,
      cause: { type: 'lifecycle_event', event: 'connect', imei: IMEI },
      requestId: 'b-connect',
      changes: [
        { field: 'activatedOn', from: null, to: '2026-03-02' },
        { field: 'expiresOn', from: null, to: '2026-03-08' },
        { field: 'initialConnectionDevice', from: null, to: IMEI },
      ],
      webhookDeliveryIds: [],
    });
    expect(expiry).toEqual({
      id: connected!.id + 1,
      at: '2026-03-08T15:00:00.000Z',
      recordedAt: START,
      cause: { type: 'clock_rule', rule: 'expiry' },
      requestId: 'b-connect',
      changes: [
        { field: 'contractStatus', from: 'ACTIVE', to: 'TERMINATED' },
        { field: 'terminatedOn', from: null, to: '2026-03-09' },
      ],
      webhookDeliveryIds: [],
    });
  });

  it('keeps the expiry found by a refused write (409): the clock_rule entry carries its request id', async () => {
    const ordered = await order('r-order');
    const events = `/v1/sandbox/esims/${ordered.iccid}/events`;
    await send('POST', events, 'r-install', { event: 'install', imei: IMEI });
    await send('POST', events, 'r-connect', { event: 'connect', imei: IMEI });
    await send('POST', '/v1/sandbox/clock/advance', 'r-advance', { days: 30 });
    await send('POST', `/v1/esims/${ordered.iccid}/emergency-control`, 'r-suspend', { action: 'suspend' }, 409);
    const items = (await history(ordered.iccid)).items;
    expect(items.map((e) => [e.cause, e.requestId])).toEqual([
      [{ type: 'order' }, 'r-order'],
      [{ type: 'lifecycle_event', event: 'install', imei: IMEI }, 'r-install'],
      [{ type: 'lifecycle_event', event: 'connect', imei: IMEI }, 'r-connect'],
      [{ type: 'clock_rule', rule: 'expiry' }, 'r-suspend'],
    ]);
  });

  it('adds nothing for an idempotent replay', async () => {
    const headers = { 'idempotency-key': 'history-replay-1' };
    const first = await t.call('POST', '/v1/orders', { headers, body: { planCode: 'KD0001', quantity: 2 } });
    const replay = await t.call('POST', '/v1/orders', { headers, body: { planCode: 'KD0001', quantity: 2 } });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const [a, b] = first.json<{ esims: Esim[] }>().esims;
    expect((await history(a!.iccid)).items.map((e) => e.requestId)).toEqual([first.headers['x-request-id']]);
    expect((await history(b!.iccid)).items.map((e) => e.requestId)).toEqual([first.headers['x-request-id']]);
  });
});

describe('webhookDeliveryIds', () => {
  interface Delivery {
    id: string;
    eventType: string;
    iccid: string | null;
  }
  const deliveries = async (): Promise<Delivery[]> =>
    (await t.call('GET', '/v1/sandbox/webhook/deliveries?limit=200')).json<{ items: Delivery[] }>().items.reverse();

  it('are the deliveries the change queued, as the delivery list shows them; the clock advance that applies a rule records itself', async () => {
    const put = await t.call('PUT', '/v1/sandbox/webhook', { body: { url: hooks.url } });
    expect(put.statusCode).toBe(201);
    const before = (await deliveries()).length;
    const ordered = await order('w-order');
    const { iccid } = ordered;
    await send('POST', `/v1/esims/${iccid}/emergency-control`, 'w-suspend', { action: 'suspend' });
    await send('POST', `/v1/esims/${iccid}/emergency-control`, 'w-release', { action: 'release' });
    await send('PUT', `/v1/sandbox/esims/${iccid}/data-usage`, 'w-usage', [{ day: '2026-03-02', usage: '5' }]);
    // With an endpoint taking esim.status_changed, the advance itself applies the deadline.
    await send('POST', '/v1/sandbox/clock/advance', 'w-advance', { days: DEADLINE_DAYS });

    // Other tests' eSIMs of this reseller may fall due on the advance too: keep this one's.
    const queued = (await deliveries()).slice(before).filter((d) => d.iccid === iccid || d.iccid === null);
    expect(queued.map((d) => [d.eventType, d.iccid])).toEqual([
      ['order.completed', null],
      ['esim.status_changed', iccid],
      ['esim.status_changed', iccid],
      ['esim.usage_updated', iccid],
      ['esim.status_changed', iccid],
    ]);
    const items = (await history(iccid)).items;
    expect(items.map((e) => [e.cause, e.requestId, e.webhookDeliveryIds])).toEqual([
      [{ type: 'order' }, 'w-order', [queued[0]!.id]],
      [{ type: 'emergency_control', action: 'suspend' }, 'w-suspend', [queued[1]!.id]],
      [{ type: 'emergency_control', action: 'release' }, 'w-release', [queued[2]!.id]],
      [{ type: 'data_usage' }, 'w-usage', [queued[3]!.id]],
      [{ type: 'clock_rule', rule: 'activation_deadline' }, 'w-advance', [queued[4]!.id]],
    ]);
  });

  it("are empty for a change whose events the endpoint does not take, and every eSIM of an order lists the order's delivery", async () => {
    await t.call('PUT', '/v1/sandbox/webhook', { body: { url: hooks.url, events: ['esim.usage_updated'] } });
    const res = await t.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 2 } });
    const [a, b] = res.json<{ esims: Esim[] }>().esims;
    await send('POST', `/v1/esims/${a!.iccid}/emergency-control`, 'e-suspend', { action: 'suspend' });
    await send('PUT', `/v1/sandbox/esims/${a!.iccid}/data-usage`, 'e-usage', [{ day: '2026-03-02', usage: '7' }]);
    const [usageDelivery] = (await deliveries()).slice(-1);
    expect(usageDelivery).toMatchObject({ eventType: 'esim.usage_updated', iccid: a!.iccid });
    expect((await history(a!.iccid)).items.map((e) => e.webhookDeliveryIds)).toEqual([[], [], [usageDelivery!.id]]);

    await t.call('PUT', '/v1/sandbox/webhook', { body: { url: hooks.url, events: ['order.completed'] } });
    const two = await t.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 2 } });
    const [completed] = (await deliveries()).slice(-1);
    expect(completed).toMatchObject({ eventType: 'order.completed', iccid: null });
    for (const esim of two.json<{ esims: Esim[] }>().esims)
      expect((await history(esim.iccid)).items.map((e) => e.webhookDeliveryIds)).toEqual([[completed!.id]]);
    expect((await history(b!.iccid)).items.map((e) => e.webhookDeliveryIds)).toEqual([[]]);
  });
});

describe('paging', () => {
  it('pages oldest first by cursor; an entry added between pages comes on the next page, none repeated or skipped', async () => {
    const { iccid } = await order('p-order');
    const control = `/v1/esims/${iccid}/emergency-control`;
    for (const [i, action] of ['suspend', 'release', 'suspend', 'release'].entries()) {
      real.advance(HOUR_MS);
      await send('POST', control, `p-${i}`, { action });
    }
    const first = await history(iccid, '?limit=3');
    expect(first.items.map((e) => e.requestId)).toEqual(['p-order', 'p-0', 'p-1']);
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    await send('POST', control, 'p-4', { action: 'suspend' });
    const second = await history(iccid, `?limit=3&cursor=${first.nextCursor}`);
    expect(second.items.map((e) => e.requestId)).toEqual(['p-2', 'p-3', 'p-4']);
    expect(second.items[0]!.id).toBeGreaterThan(first.items[2]!.id);
    // Six entries, three a page: the second page is the last.
    expect(second.nextCursor).toBeNull();
    // The default page holds up to 100 entries: the whole history here.
    expect((await history(iccid)).items).toHaveLength(6);
  });

  it('refuses a malformed cursor, or one of another eSIM, at query.cursor, and a limit outside 1-100', async () => {
    const a = await order('c-a');
    const b = await order('c-b');
    await send('POST', `/v1/esims/${a.iccid}/emergency-control`, 'c-s', { action: 'suspend' });
    const { nextCursor } = await history(a.iccid, '?limit=1');
    expect(nextCursor).not.toBeNull();
    const url = (iccid: string, query: string) => `/v1/sandbox/esims/${iccid}/history${query}`;
    expectViolation(await t.call('GET', url(b.iccid, `?cursor=${nextCursor}`)), 'query.cursor', /another listing/);
    expectViolation(await t.call('GET', url(a.iccid, '?cursor=Zm9v')), 'query.cursor', /not a cursor of this listing/);
    expectViolation(await t.call('GET', url(a.iccid, '?cursor=a%2Bb')), 'query.cursor', /pattern/);
    expectViolation(await t.call('GET', url(a.iccid, '?limit=0')), 'query.limit', />= 1/);
    expectViolation(await t.call('GET', url(a.iccid, '?limit=101')), 'query.limit', /<= 100/);
    expectViolation(await t.call('GET', url(a.iccid, '?limit=1e1')), 'query.limit', /decimal digits/);
    expectViolation(await t.call('GET', url(a.iccid, '?since=2026-01-01')), 'query.since', /not a known property/);
  });
});

describe('concurrent changes', () => {
  it("of one reseller's eSIMs each record exactly one entry, with ids all distinct", async () => {
    const res = await t.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 8 } });
    const iccids = res.json<{ esims: Esim[] }>().esims.map((e) => e.iccid);
    const writes = iccids.flatMap((iccid, i) => [
      t.call('POST', `/v1/esims/${iccid}/emergency-control`, { body: { action: 'suspend' } }),
      t.call('PUT', `/v1/sandbox/esims/${iccid}/data-usage`, { body: [{ day: '2026-03-02', usage: String(i + 1) }] }),
    ]);
    for (const write of await Promise.all(writes)) expect(write.statusCode, write.body).toBe(200);
    const ids: number[] = [];
    for (const iccid of iccids) {
      const items = (await history(iccid)).items;
      expect(items.map((e) => e.cause.type).sort()).toEqual(['data_usage', 'emergency_control', 'order']);
      ids.push(...items.map((e) => e.id));
    }
    expect(new Set(ids).size).toBe(iccids.length * 3);
  });
});

describe('isolation and the ICCID path', () => {
  it("answers 404 ESIM_NOT_FOUND for an unknown or another reseller's eSIM, and 400 for an invalid ICCID, as the status read", async () => {
    const acme = await order('i-acme');
    const globex = await order('i-globex', GLOBEX_KEY);
    const globexRead = await t.call('GET', `/v1/sandbox/esims/${acme.iccid}/history`, { key: GLOBEX_KEY });
    expect(expectProblem(globexRead, 404, 'ESIM_NOT_FOUND').detail).toBe(`no eSIM with ICCID ${acme.iccid}`);
    expectProblem(await t.call('GET', `/v1/sandbox/esims/${globex.iccid}/history`), 404, 'ESIM_NOT_FOUND');
    expectProblem(await t.call('GET', `/v1/sandbox/esims/${UNKNOWN_ICCID}/history`), 404, 'ESIM_NOT_FOUND');
    const badLuhn = `${acme.iccid.slice(0, 18)}${(Number(acme.iccid[18]) + 1) % 10}`;
    expectViolation(await t.call('GET', `/v1/sandbox/esims/${badLuhn}/history`), 'path.iccid', /check digit/);
    expectViolation(await t.call('GET', '/v1/sandbox/esims/1234/history'), 'path.iccid');
    expect((await history(globex.iccid, '', GLOBEX_KEY)).items.map((e) => e.requestId)).toEqual(['i-globex']);
  });

  it('needs the API key and allows 600 reads a minute', async () => {
    const { iccid } = await order('l-order');
    expectProblem(await t.call('GET', `/v1/sandbox/esims/${iccid}/history`, { key: null }), 401, 'UNAUTHORIZED');
    const limited = await startTestApp();
    try {
      const res = await limited.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 1 } });
      const esim = res.json<{ esims: Esim[] }>().esims[0]!;
      const read = await limited.call('GET', `/v1/sandbox/esims/${esim.iccid}/history`);
      expect(read.statusCode).toBe(200);
      expect(read.headers['x-ratelimit-limit']).toBe('600');
      expect(read.headers['x-ratelimit-remaining']).toBe('599');
    } finally {
      await limited.close();
    }
  });
});

describe("real time's sweep", () => {
  it('records a clock rule it applies with requestId null', async () => {
    const clock = manualClock('2026-03-01T00:00:00.000Z');
    const app = await startTestApp({ RATE_LIMITS: 'off' }, clock.now, { clockSweepMs: 50 });
    try {
      await app.call('PUT', '/v1/sandbox/webhook', { body: { url: hooks.url, events: ['esim.status_changed'] } });
      const res = await app.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 1 } });
      const esim = res.json<{ esims: Esim[] }>().esims[0]!;
      const deadline = String(esim.activationDeadline);
      clock.set(deadline);
      const count = () =>
        withDatabase(
          app,
          (db) =>
            (db.prepare('SELECT count(*) AS n FROM esim_history WHERE iccid = ?').get(esim.iccid) as { n: number }).n,
        );
      for (let look = 0; look < 200 && Number(count()) < 2; look++) await new Promise((r) => setTimeout(r, 25));
      const page = (await app.call('GET', `/v1/sandbox/esims/${esim.iccid}/history`)).json<HistoryPage>();
      expect(page.items).toHaveLength(2);
      expect(page.items[1]).toEqual({
        id: page.items[1]!.id,
        at: deadline,
        recordedAt: deadline,
        cause: { type: 'clock_rule', rule: 'activation_deadline' },
        requestId: null,
        changes: [
          { field: 'contractStatus', from: 'ACTIVE', to: 'TERMINATED' },
          { field: 'profileProvisionStatus', from: 'AVAILABLE', to: 'CANCELED' },
          { field: 'terminatedOn', from: null, to: '2026-08-28' },
        ],
        webhookDeliveryIds: [expect.stringMatching(/^[0-9a-f-]{36}$/)],
      });
    } finally {
      await app.close();
    }
  });
});
