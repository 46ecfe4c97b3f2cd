import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  esimRow,
  expectProblem,
  expectViolation,
  getEsim,
  luhnDigit,
  manualClock,
  orderOne,
  placeOrder,
  UNKNOWN_ICCID,
  withDatabase,
  type Esim,
} from './support.js';

const clock = manualClock('2026-03-01T09:00:00.000Z');
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMITS: 'off' }, clock.now);
});
afterAll(async () => t.close());

const control = (iccid: string, body: unknown) => t.call('POST', `/v1/esims/${iccid}/emergency-control`, { body });

// The seed reference's own sample ICCIDs: 8981... (not a sandbox prefix) and 8900...1 (wrong Luhn digit).
const SEED_FOREIGN_ICCID = '8981100000000000001';
const SEED_BAD_LUHN_ICCID = '8900100000000000001';

describe('path iccid validation (400 naming path.iccid and the rule that failed)', () => {
  it('the seed sample 8900100000000000001 really has a wrong Luhn digit', () => {
    expect(luhnDigit(SEED_BAD_LUHN_ICCID.slice(0, -1))).not.toBe('1');
  });

  const cases: [string, string, RegExp][] = [
    ['18 digits', '890010000000000000', /19 digits/],
    ['20 digits', '89001000000000000000', /19 digits/],
    ['letters', '8900ABCDEFGHIJKLMNO', /digits/],
    ['digits and a letter', '890010000000000000X', /digits/],
    ['the seed prefix 8981', SEED_FOREIGN_ICCID, /8900/],
    ['a wrong Luhn digit (the seed 8900100000000000001)', SEED_BAD_LUHN_ICCID, /check digit/],
  ];

  it.each(cases)('GET with %s -> 400', async (_name, iccid, rule) => {
    expectViolation(await t.call('GET', `/v1/esims/${iccid}`), 'path.iccid', rule);
  });

  it.each(cases)('emergency control with %s -> 400', async (_name, iccid, rule) => {
    expectViolation(await control(iccid, { action: 'suspend' }), 'path.iccid', rule);
  });

  it('says which digit the Luhn rule expects', async () => {
    const body = expectViolation(await t.call('GET', `/v1/esims/${SEED_BAD_LUHN_ICCID}`), 'path.iccid');
    expect(body.errors![0]!.message).toContain(`is ${luhnDigit(SEED_BAD_LUHN_ICCID.slice(0, -1))}, not 1`);
  });
});

describe('GET /v1/esims/{iccid}', () => {
  it('answers 404 ESIM_NOT_FOUND for a valid but unknown ICCID, naming it', async () => {
    const body = expectProblem(await t.call('GET', `/v1/esims/${UNKNOWN_ICCID}`), 404, 'ESIM_NOT_FOUND');
    expect(body.detail).toContain(UNKNOWN_ICCID);
  });

  it('answers the own eSIM exactly as the order returned it', async () => {
    const order = await placeOrder(t, 'KD0001', 2);
    for (const esim of order.esims) expect(await getEsim(t, esim.iccid)).toEqual(esim);
  });
});

describe('POST /v1/esims/{iccid}/emergency-control', () => {
  describe('body validation', () => {
    let iccid: string;
    beforeAll(async () => {
      iccid = (await orderOne(t)).iccid;
    });

    const invalid: [string, unknown, string, RegExp][] = [
      ['action "SUSPEND"', { action: 'SUSPEND' }, 'body.action', /suspend.*release/],
      ['action "terminate"', { action: 'terminate' }, 'body.action', /suspend.*release/],
      ['action ""', { action: '' }, 'body.action', /suspend.*release/],
      ['action 1', { action: 1 }, 'body.action', /suspend.*release/],
      ['action null', { action: null }, 'body.action', /suspend.*release/],
      ['action missing', {}, 'body.action', /required/],
      ['an extra property', { action: 'suspend', reason: 'fraud' }, 'body.reason', /not a known property/],
      ['an array body', [{ action: 'suspend' }], 'body', /object/],
      ['a string body', 'suspend', 'body', /object/],
    ];

    it.each(invalid.map(([name, body, path, message]) => ({ name, body, path, message })))(
      '$name -> 400 at $path, and the eSIM is unchanged',
      async ({ body, path, message }) => {
        const before = esimRow(t, iccid);
        expectViolation(await control(iccid, body), path, message);
        expect(esimRow(t, iccid)).toEqual(before);
      },
    );
  });

  it('answers 404 ESIM_NOT_FOUND for a valid but unknown ICCID', async () => {
    const body = expectProblem(await control(UNKNOWN_ICCID, { action: 'suspend' }), 404, 'ESIM_NOT_FOUND');
    expect(body.detail).toContain(UNKNOWN_ICCID);
  });

  it('suspends, retries safely, releases and retries safely', async () => {
    const ordered = await orderOne(t);
    expect(ordered.lastUpdatedAt).toBe(clock.iso());

    const suspendedAt = clock.advance(60_000);
    const suspend = await control(ordered.iccid, { action: 'suspend' });
    expect(suspend.statusCode).toBe(200);
    const suspended = suspend.json<Esim>();
    expect(suspended).toEqual({
      ...ordered,
      contractStatus: 'SUSPENDED',
      isServiceRestricted: true,
      lastUpdatedAt: suspendedAt,
    });
    expect(await getEsim(t, ordered.iccid)).toEqual(suspended);

    // The clock moves, but repeating the action in force changes nothing, not even lastUpdatedAt.
    clock.advance(60_000);
    const again = await control(ordered.iccid, { action: 'suspend' });
    expect(again.statusCode).toBe(200);
    expect(again.body).toBe(suspend.body);

    const releasedAt = clock.advance(60_000);
    const release = await control(ordered.iccid, { action: 'release' });
    expect(release.statusCode).toBe(200);
    const released = release.json<Esim>();
    expect(released).toEqual({
      ...ordered,
      contractStatus: 'ACTIVE',
      isServiceRestricted: false,
      lastUpdatedAt: releasedAt,
    });

    clock.advance(60_000);
    const releaseAgain = await control(ordered.iccid, { action: 'release' });
    expect(releaseAgain.statusCode).toBe(200);
    expect(releaseAgain.body).toBe(release.body);
    expect(await getEsim(t, ordered.iccid)).toEqual(released);
  });

  it('answers 200 unchanged when releasing an eSIM that was never suspended', async () => {
    const ordered = await orderOne(t);
    clock.advance(60_000);
    const res = await control(ordered.iccid, { action: 'release' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(ordered);
  });

  it('acts on one eSIM only, not on the others of its order', async () => {
    const order = await placeOrder(t, 'KD0001', 2);
    const [first, second] = order.esims as [Esim, Esim];
    clock.advance(1000);
    expect((await control(first.iccid, { action: 'suspend' })).json()).toMatchObject({ contractStatus: 'SUSPENDED' });
    expect(await getEsim(t, second.iccid)).toEqual(second);
  });

  describe.each(['ACTIVE', 'SUSPENDED'])('on a TERMINATED eSIM (terminated while %s)', (from) => {
    it.each(['suspend', 'release'])('%s -> 409 ESIM_TERMINATED and the row is unchanged', async (action) => {
      const esim = await orderOne(t);
      if (from === 'SUSPENDED') expect((await control(esim.iccid, { action: 'suspend' })).statusCode).toBe(200);
      // No API terminates an eSIM yet: terminate it in the real database.
      const changes = withDatabase(
        t,
        (db) =>
          db
            .prepare("UPDATE esims SET contract_status = 'TERMINATED', terminated_on = '2026-01-01' WHERE iccid = ?")
            .run(esim.iccid).changes,
      );
      expect(changes).toBe(1);
      const before = esimRow(t, esim.iccid);
      const terminated = await getEsim(t, esim.iccid);
      expect(terminated).toMatchObject({ contractStatus: 'TERMINATED', terminatedOn: '2026-01-01' });

      clock.advance(60_000);
      const body = expectProblem(await control(esim.iccid, { action }), 409, 'ESIM_TERMINATED');
      expect(body.detail).toContain(esim.iccid);
      expect(esimRow(t, esim.iccid)).toEqual(before);
      expect(await getEsim(t, esim.iccid)).toEqual(terminated);
    });
  });
});

describe('ICCIDs of odd lengths', () => {
  it('answers an over-long ICCID with a 400 naming the length rule, not the router 414', async () => {
    const res = await t.call('GET', `/v1/esims/${'9'.repeat(2000)}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ path: 'path.iccid', message: 'must be 19 digits long, got 2000' }]);
  });
});
