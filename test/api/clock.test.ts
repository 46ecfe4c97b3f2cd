/**
 * The sandbox clock on the real app and SQLite file: its three routes, their validation,
 * what follows the clock (order times, deadlines, event defaults, the expiry and deadline
 * rules at their exact instants), stored derived changes, and one clock per reseller.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GLOBEX_KEY, startTestApp, type TestApp } from '../helpers/app.js';
import {
  advanceClock,
  applyEvent,
  catalogPlan,
  DAY_MS,
  esimRow,
  expectProblem,
  expectViolation,
  getEsim,
  HOUR_MS,
  japanDate,
  manualClock,
  orderOne,
  plusDays,
  resetClock,
  sendEvent,
} from './support.js';

const IMEI = '490154203237518';
// 16:00 UTC on 1 March is 01:00 on 2 March in Japan.
const START = '2026-03-01T16:00:00.000Z';
const real = manualClock(START);
const DEADLINE_DAYS = Number(catalogPlan('KD0001').unusedTerminationDays);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMITS: 'off' }, real.now);
});
afterAll(async () => t.close());
// Every test starts at the same real instant with both resellers' clocks at real time.
beforeEach(async () => {
  real.set(START);
  await resetClock(t);
  await resetClock(t, GLOBEX_KEY);
});

const getClock = async (key?: string) => {
  const res = await t.call('GET', '/v1/sandbox/clock', key ? { key } : {});
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ now: string; offsetSeconds: number }>();
};

describe('the clock routes', () => {
  it('GET answers real time and offset 0 before any move; advance adds days and hours; reset puts it back', async () => {
    expect(await getClock()).toEqual({ now: real.iso(), offsetSeconds: 0 });

    expect(await advanceClock(t, { days: 8 })).toEqual({ now: real.plus(8 * DAY_MS), offsetSeconds: 691_200 });
    expect(await getClock()).toEqual({ now: real.plus(8 * DAY_MS), offsetSeconds: 691_200 });
    expect(await advanceClock(t, { hours: 5 })).toEqual({
      now: real.plus(8 * DAY_MS + 5 * HOUR_MS),
      offsetSeconds: 709_200,
    });
    expect(await advanceClock(t, { days: 1, hours: 1 })).toEqual({
      now: real.plus(9 * DAY_MS + 6 * HOUR_MS),
      offsetSeconds: 799_200,
    });

    // Real time goes on under the offset.
    real.advance(1234);
    expect(await getClock()).toEqual({ now: real.plus(9 * DAY_MS + 6 * HOUR_MS), offsetSeconds: 799_200 });

    const reset = await t.call('POST', '/v1/sandbox/clock/reset');
    expect(reset.statusCode).toBe(200);
    expect(reset.json()).toEqual({ now: real.iso(), offsetSeconds: 0 });
    expect(await getClock()).toEqual({ now: real.iso(), offsetSeconds: 0 });
  });

  it('reset takes no body or {}; resetting a clock never moved is fine', async () => {
    expect((await t.call('POST', '/v1/sandbox/clock/reset', { body: {} })).json()).toEqual({
      now: real.iso(),
      offsetSeconds: 0,
    });
    expect((await t.call('POST', '/v1/sandbox/clock/reset')).statusCode).toBe(200);
    // Many clients send Content-Type: application/json on every call, body or not.
    const empty = await t.call('POST', '/v1/sandbox/clock/reset', {
      payload: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json()).toEqual({ now: real.iso(), offsetSeconds: 0 });
    // An operation that takes a body still refuses an empty one.
    expectViolation(
      await t.call('POST', '/v1/sandbox/clock/advance', {
        payload: '',
        headers: { 'content-type': 'application/json' },
      }),
      'body',
      /valid JSON/,
    );
    expectViolation(
      await t.call('POST', '/v1/sandbox/clock/reset', { body: { days: 1 } }),
      'body',
      /must be empty or \{\}/,
    );
    expectViolation(await t.call('POST', '/v1/sandbox/clock/reset', { body: [] }), 'body', /must be empty or \{\}/);
  });

  it('refuses query parameters', async () => {
    expectViolation(await t.call('GET', '/v1/sandbox/clock?reseller=globex'), 'query.reseller', /not a known property/);
  });

  describe('advance validation (400; the clock does not move)', () => {
    const invalid: [string, unknown, string, RegExp][] = [
      ['nothing', {}, 'body', /^must move the clock forward: give days or hours \(or both\), at least 1 hour in all$/],
      ['zero days', { days: 0 }, 'body', /must move the clock forward/],
      ['zero days and hours', { days: 0, hours: 0 }, 'body', /must move the clock forward/],
      ['negative days', { days: -1 }, 'body.days', /must be >= 0/],
      ['negative hours', { hours: -5 }, 'body.hours', /must be >= 0/],
      ['401 days', { days: 401 }, 'body.days', /must be <= 400/],
      ['9601 hours', { hours: 9601 }, 'body.hours', /must be <= 9600/],
      [
        '400 days and 1 hour',
        { days: 400, hours: 1 },
        'body',
        /^must move the clock at most 400 days \(9600 hours\) a call, got 9601 hours$/,
      ],
      ['1.5 days', { days: 1.5 }, 'body.days', /must be an integer/],
      ['days as a string', { days: '1' }, 'body.days', /must be an integer/],
      ['weeks', { weeks: 1 }, 'body.weeks', /is not a known property; allowed: days, hours/],
      ['an array', [{ days: 1 }], 'body', /JSON object/],
    ];

    it.each(invalid.map(([name, body, path, message]) => ({ name, body, path, message })))(
      '$name -> 400 at $path',
      async ({ body, path, message }) => {
        expectViolation(await t.call('POST', '/v1/sandbox/clock/advance', { body }), path, message);
        expect(await getClock()).toEqual({ now: real.iso(), offsetSeconds: 0 });
      },
    );

    it('1e400 days (Infinity once parsed) -> 400 naming a number too large, not null', async () => {
      const res = await t.call('POST', '/v1/sandbox/clock/advance', {
        payload: '{"days":1e400}',
        headers: { 'content-type': 'application/json' },
      });
      const body = expectViolation(res, 'body.days', /got a number too large to represent/);
      expect(body.detail).not.toContain('null');
      expect(await getClock()).toEqual({ now: real.iso(), offsetSeconds: 0 });
    });

    it('accepts exactly 400 days, or 9600 hours', async () => {
      expect((await advanceClock(t, { days: 400 })).offsetSeconds).toBe(400 * 86_400);
      expect((await advanceClock(t, { hours: 9600 })).offsetSeconds).toBe(800 * 86_400);
    });

    it('stops 100 years (36525 days) ahead of real time: a move past it is refused and the clock stays', async () => {
      for (let i = 0; i < 91; i++) await advanceClock(t, { days: 400 });
      const at = await advanceClock(t, { days: 125 });
      expect(at.offsetSeconds).toBe(36_525 * 86_400);
      const body = expectViolation(await t.call('POST', '/v1/sandbox/clock/advance', { body: { hours: 1 } }), 'body');
      expect(body.errors).toEqual([
        {
          path: 'body',
          message:
            'must not put the sandbox clock more than 36525 days (100 years) ahead of real time; it is 3155760000 seconds ahead now: reset it first',
        },
      ]);
      expect(await getClock()).toEqual(at);
    });
  });
});

describe('everything time-based follows the reseller clock', () => {
  it('order time, lastUpdatedAt and activationDeadline', async () => {
    await advanceClock(t, { days: 30, hours: 2 });
    const orderedAt = real.plus(30 * DAY_MS + 2 * HOUR_MS);
    const esim = await orderOne(t);
    expect(esim.lastUpdatedAt).toBe(orderedAt);
    expect(esim.activationDeadline).toBe(new Date(Date.parse(orderedAt) + DEADLINE_DAYS * DAY_MS).toISOString());
  });

  it('event defaults: downloadedAt, activatedOn and expiresOn on the advanced clock', async () => {
    const { iccid } = await orderOne(t);
    await advanceClock(t, { days: 2 });
    const at = real.plus(2 * DAY_MS);
    expect(await applyEvent(t, iccid, { event: 'download' })).toMatchObject({ downloadedAt: at, lastUpdatedAt: at });
    await applyEvent(t, iccid, { event: 'install', imei: IMEI });
    const connected = await applyEvent(t, iccid, { event: 'connect', imei: IMEI });
    // Real 2026-03-01T16:00Z + 2 days = 2026-03-03T16:00Z = 01:00 on 4 March in Japan.
    expect(connected).toMatchObject({ activatedOn: '2026-03-04', expiresOn: '2026-03-10', lastUpdatedAt: at });
  });

  it('occurredAt may not be later than the advanced clock, and may be anything up to it', async () => {
    const { iccid } = await orderOne(t);
    await advanceClock(t, { days: 3 });
    expectViolation(
      await sendEvent(t, iccid, { event: 'download', occurredAt: real.plus(3 * DAY_MS + 1) }),
      'body.occurredAt',
      /later than the sandbox clock/,
    );
    expect(await applyEvent(t, iccid, { event: 'download', occurredAt: real.plus(3 * DAY_MS) })).toMatchObject({
      downloadedAt: real.plus(3 * DAY_MS),
    });
  });
});

describe('expiry: the day after expiresOn (Japan time), read at once, stored, never undone', () => {
  it('ACTIVE through the last instant of expiresOn, TERMINATED at 00:00 JST the next day with terminatedOn = expiresOn + 1', async () => {
    const { iccid } = await orderOne(t);
    await applyEvent(t, iccid, { event: 'install', imei: IMEI });
    const connected = await applyEvent(t, iccid, { event: 'connect', imei: IMEI });
    // Connected at 2026-03-01T16:00Z = 01:00 on 2 March in Japan: 2 to 8 March.
    expect(connected).toMatchObject({ activatedOn: '2026-03-02', expiresOn: '2026-03-08' });

    // 8 March 23:00 JST = 14:00 UTC: still the last day of validity.
    await advanceClock(t, { days: 6, hours: 22 });
    expect((await getClock()).now).toBe('2026-03-08T14:00:00.000Z');
    expect(await getEsim(t, iccid)).toEqual(connected);

    // 14:59:59.999 UTC on 8 March is the last millisecond of 8 March in Japan.
    real.advance(HOUR_MS - 1);
    expect(await getEsim(t, iccid)).toEqual(connected);
    expect(esimRow(t, iccid)).toMatchObject({ contract_status: 'ACTIVE', terminated_on: null });

    // One millisecond later it is 9 March in Japan (still 8 March in UTC).
    real.advance(1);
    expect((await getClock()).now).toBe('2026-03-08T15:00:00.000Z');
    const expired = {
      ...connected,
      contractStatus: 'TERMINATED',
      terminatedOn: '2026-03-09',
      lastUpdatedAt: '2026-03-08T15:00:00.000Z',
    };
    expect(await getEsim(t, iccid)).toEqual(expired);
    expect(esimRow(t, iccid)).toMatchObject({
      contract_status: 'TERMINATED',
      terminated_on: '2026-03-09',
      last_updated_at: '2026-03-08T15:00:00.000Z',
    });

    // The change is stored: resetting the clock does not bring the eSIM back.
    await resetClock(t);
    expect(await getEsim(t, iccid)).toEqual(expired);
    expectProblem(await sendEvent(t, iccid, { event: 'connect', imei: IMEI }), 409, 'ESIM_TERMINATED');
  });

  it('a write on an expired eSIM stores the expiry even when it is refused (409), so a reset shows no flicker', async () => {
    const { iccid } = await orderOne(t);
    await applyEvent(t, iccid, { event: 'install', imei: IMEI });
    const connected = await applyEvent(t, iccid, { event: 'connect', imei: IMEI });
    await advanceClock(t, { days: 30 });
    const refused = expectProblem(
      await t.call('POST', `/v1/esims/${iccid}/emergency-control`, { body: { action: 'suspend' } }),
      409,
      'ESIM_TERMINATED',
    );
    expect(refused.detail).toContain(iccid);
    await resetClock(t);
    expect(await getEsim(t, iccid)).toEqual({
      ...connected,
      contractStatus: 'TERMINATED',
      terminatedOn: plusDays(connected.expiresOn as string, 1),
      lastUpdatedAt: '2026-03-08T15:00:00.000Z',
    });
  });

  it('a SUSPENDED eSIM expires too, and stays restricted', async () => {
    const { iccid } = await orderOne(t);
    await applyEvent(t, iccid, { event: 'install', imei: IMEI });
    await applyEvent(t, iccid, { event: 'connect', imei: IMEI });
    await t.call('POST', `/v1/esims/${iccid}/emergency-control`, { body: { action: 'suspend' } });
    await advanceClock(t, { days: 8 });
    expect(await getEsim(t, iccid)).toMatchObject({
      contractStatus: 'TERMINATED',
      isServiceRestricted: true,
      terminatedOn: '2026-03-09',
    });
  });

  it('a backdated first connect past its validity terminates in the same answer', async () => {
    const { iccid, lastUpdatedAt } = await orderOne(t);
    await advanceClock(t, { days: 20 });
    await applyEvent(t, iccid, { event: 'install', imei: IMEI, occurredAt: lastUpdatedAt });
    const res = await applyEvent(t, iccid, { event: 'connect', imei: IMEI, occurredAt: lastUpdatedAt });
    expect(res).toMatchObject({
      contractStatus: 'TERMINATED',
      activatedOn: japanDate(lastUpdatedAt),
      expiresOn: '2026-03-08',
      terminatedOn: '2026-03-09',
      lastUpdatedAt: '2026-03-08T15:00:00.000Z',
    });
  });
});

describe('activation deadline: never installed', () => {
  it('ACTIVE one millisecond before activationDeadline; at the deadline instant TERMINATED, profile CANCELED, terminatedOn its Japan date', async () => {
    const ordered = await orderOne(t);
    const deadline = ordered.activationDeadline as string;
    // 16:00 UTC is 01:00 the next day in Japan.
    expect(deadline).toBe(new Date(Date.parse('2026-03-01T16:00:00.000Z') + DEADLINE_DAYS * DAY_MS).toISOString());
    await applyEvent(t, ordered.iccid, { event: 'download' });
    const downloaded = await getEsim(t, ordered.iccid);

    await advanceClock(t, { days: DEADLINE_DAYS - 1, hours: 23 });
    real.advance(HOUR_MS - 1);
    expect((await getClock()).now).toBe(new Date(Date.parse(deadline) - 1).toISOString());
    expect(await getEsim(t, ordered.iccid)).toEqual(downloaded);

    real.advance(1);
    const cancelled = {
      ...downloaded,
      contractStatus: 'TERMINATED',
      profileProvisionStatus: 'CANCELED',
      terminatedOn: japanDate(deadline),
      lastUpdatedAt: deadline,
    };
    expect(cancelled.terminatedOn).not.toBe(deadline.slice(0, 10));
    expect(await getEsim(t, ordered.iccid)).toEqual(cancelled);
    await resetClock(t);
    expect(await getEsim(t, ordered.iccid)).toEqual(cancelled);
  });

  it('an installed eSIM is not cancelled by the deadline', async () => {
    const { iccid } = await orderOne(t);
    const installed = await applyEvent(t, iccid, { event: 'install', imei: IMEI });
    await advanceClock(t, { days: 400 });
    expect(await getEsim(t, iccid)).toEqual(installed);
  });

  it('reconciliation lists the ICCIDs whatever the clock did', async () => {
    const order = await t.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 2 } });
    const { transactionId, esims } = order.json<{ transactionId: string; esims: { iccid: string }[] }>();
    await advanceClock(t, { days: 400 });
    const res = await t.call('GET', `/v1/orders/${transactionId}`);
    expect(res.json()).toEqual({ transactionId, iccids: esims.map((e) => e.iccid) });
  });
});

describe('one clock per reseller', () => {
  it("acme's advance moves neither globex's clock, nor its order times, nor its eSIMs", async () => {
    const acmeEsim = await orderOne(t);
    const globexEsim = await orderOne(t, 'KD0001', GLOBEX_KEY);

    await advanceClock(t, { days: DEADLINE_DAYS });
    expect(await getClock(GLOBEX_KEY)).toEqual({ now: real.iso(), offsetSeconds: 0 });
    expect(await getClock()).toEqual({ now: real.plus(DEADLINE_DAYS * DAY_MS), offsetSeconds: DEADLINE_DAYS * 86_400 });

    // Same order instant, same deadline: only acme's clock has reached it.
    expect(globexEsim.activationDeadline).toBe(acmeEsim.activationDeadline);
    expect(await getEsim(t, acmeEsim.iccid)).toMatchObject({
      contractStatus: 'TERMINATED',
      profileProvisionStatus: 'CANCELED',
    });
    expect(await getEsim(t, globexEsim.iccid, GLOBEX_KEY)).toEqual(globexEsim);

    const globexLater = await orderOne(t, 'KD0001', GLOBEX_KEY);
    expect(globexLater.lastUpdatedAt).toBe(real.iso());
    const globexDownload = await applyEvent(t, globexEsim.iccid, { event: 'download' }, GLOBEX_KEY);
    expect(globexDownload.downloadedAt).toBe(real.iso());

    await advanceClock(t, { hours: 3 }, GLOBEX_KEY);
    expect((await getClock(GLOBEX_KEY)).offsetSeconds).toBe(10_800);
    expect((await getClock()).offsetSeconds).toBe(DEADLINE_DAYS * 86_400);

    await resetClock(t, GLOBEX_KEY);
    expect((await getClock()).offsetSeconds).toBe(DEADLINE_DAYS * 86_400);
  });

  it("events on another reseller's eSIM answer 404 like an unknown one and change nothing", async () => {
    const { iccid } = await orderOne(t);
    const before = esimRow(t, iccid);
    const body = expectProblem(await sendEvent(t, iccid, { event: 'terminate' }, GLOBEX_KEY), 404, 'ESIM_NOT_FOUND');
    expect(body.detail).toBe(`no eSIM with ICCID ${iccid}`);
    expect(esimRow(t, iccid)).toEqual(before);
  });
});
