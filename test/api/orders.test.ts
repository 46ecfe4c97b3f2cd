import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { FRESH_ESIM_FIELDS } from '../helpers/new-esim.js';
import {
  catalogPlan,
  expectProblem,
  expectSandboxIccid,
  expectViolation,
  homeCountryOf,
  placeOrder,
  roamingCountriesOf,
  UUID_V4,
  withDatabase,
  type Order,
} from './support.js';

const ORDER_TIME = '2026-01-15T03:04:05.678Z';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMITS: 'off' }, () => new Date(ORDER_TIME));
});
afterAll(async () => t.close());

const postOrder = (body: unknown) => t.call('POST', '/v1/orders', { body });

/** The eSIM DESIGN.md section 3 ("A new eSIM") describes, minus the generated iccid and activation code. */
function expectedNewEsim(planCode: string, smdpAddress: string, activationDeadline: string) {
  const plan = catalogPlan(planCode);
  return {
    homeCountry: homeCountryOf(plan),
    roamingCountries: roamingCountriesOf(plan),
    ...FRESH_ESIM_FIELDS,
    smdpAddress,
    activationDeadline,
    lastUpdatedAt: ORDER_TIME,
  };
}

function expectNewEsims(order: Order, planCode: string, smdpAddress: string, activationDeadline: string): void {
  const expected = expectedNewEsim(planCode, smdpAddress, activationDeadline);
  for (const esim of order.esims) {
    const { iccid, activationCode, qrCode, ...rest } = esim;
    expect(rest).toEqual(expected);
    expectSandboxIccid(iccid);
    // An SGP.22 matching ID: upper-case letters, digits and '-'.
    expect(activationCode).toMatch(/^[0-9A-Z]+(-[0-9A-Z]+)*$/);
    expect(qrCode).toBe(`LPA:1$${smdpAddress}$${activationCode}`);
  }
}

describe('POST /v1/orders', () => {
  describe('body validation (400 VALIDATION_ERROR, no coercion)', () => {
    const invalid: [string, unknown, string][] = [
      ['empty planCode', { planCode: '', quantity: 1 }, 'body.planCode'],
      ['planCode of 65 characters', { planCode: 'K'.repeat(65), quantity: 1 }, 'body.planCode'],
      ['planCode a number', { planCode: 1, quantity: 1 }, 'body.planCode'],
      ['planCode null', { planCode: null, quantity: 1 }, 'body.planCode'],
      ['planCode missing', { quantity: 1 }, 'body.planCode'],
      ['quantity 0', { planCode: 'KD0001', quantity: 0 }, 'body.quantity'],
      ['quantity 1001', { planCode: 'KD0001', quantity: 1001 }, 'body.quantity'],
      ['quantity -1', { planCode: 'KD0001', quantity: -1 }, 'body.quantity'],
      ['quantity "1" (a string)', { planCode: 'KD0001', quantity: '1' }, 'body.quantity'],
      ['quantity 1.5', { planCode: 'KD0001', quantity: 1.5 }, 'body.quantity'],
      ['quantity null', { planCode: 'KD0001', quantity: null }, 'body.quantity'],
      ['quantity true', { planCode: 'KD0001', quantity: true }, 'body.quantity'],
      ['quantity missing', { planCode: 'KD0001' }, 'body.quantity'],
      ['an unknown property', { planCode: 'KD0001', quantity: 1, coupon: 'X' }, 'body.coupon'],
      ['an array body', [{ planCode: 'KD0001', quantity: 1 }], 'body'],
      ['a string body', 'KD0001', 'body'],
      ['a number body', 1, 'body'],
      ['a null body', null, 'body'],
    ];
    it.each(invalid.map(([name, body, path]) => ({ name, body, path })))(
      '$name -> 400 at $path',
      async ({ body, path }) => {
        expectViolation(await postOrder(body), path);
      },
    );

    it('names the broken rule in the messages', async () => {
      expectViolation(await postOrder({ planCode: 'KD0001', quantity: 1001 }), 'body.quantity', /<= 1000/);
      expectViolation(await postOrder({ planCode: 'KD0001', quantity: '1' }), 'body.quantity', /integer/);
      expectViolation(await postOrder({ planCode: 'K'.repeat(65), quantity: 1 }), 'body.planCode', /64/);
      expectViolation(
        await postOrder({ planCode: 'KD0001', quantity: 1, coupon: 'X' }),
        'body.coupon',
        /not a known property/,
      );
      expectViolation(await postOrder({}), 'body.quantity', /required/);
    });

    it('lists every invalid field', async () => {
      const body = expectViolation(await postOrder({ planCode: '', quantity: 0 }), 'body.planCode');
      expect(body.errors!.map((e) => e.path).sort()).toEqual(['body.planCode', 'body.quantity']);
    });

    it('creates nothing when validation fails', async () => {
      const before = withDatabase(t, (db) => db.prepare('SELECT COUNT(*) AS n FROM esims').get());
      await postOrder({ planCode: 'KD0001', quantity: 1001 });
      await postOrder({ planCode: 'NO0000', quantity: 1 });
      expect(withDatabase(t, (db) => db.prepare('SELECT COUNT(*) AS n FROM esims').get())).toEqual(before);
    });
  });

  it('answers 404 PLAN_NOT_FOUND for an unknown plan, naming it', async () => {
    const body = expectProblem(await postOrder({ planCode: 'ZZ9999', quantity: 1 }), 404, 'PLAN_NOT_FOUND');
    expect(body.detail).toContain('ZZ9999');
    // A 64-character code passes validation and is simply unknown; plan codes are case-sensitive.
    expectProblem(await postOrder({ planCode: 'Z'.repeat(64), quantity: 1 }), 404, 'PLAN_NOT_FOUND');
    expectProblem(await postOrder({ planCode: 'kd0001', quantity: 1 }), 404, 'PLAN_NOT_FOUND');
  });

  it('orders one single-country eSIM exactly as DESIGN.md describes a new eSIM', async () => {
    const res = await postOrder({ planCode: 'KD0001', quantity: 1 });
    expect(res.statusCode).toBe(201);
    const order = res.json<Order>();
    expect(Object.keys(order).sort()).toEqual(['esims', 'transactionId']);
    expect(order.transactionId).toMatch(UUID_V4);
    expect(order.esims).toHaveLength(1);
    expect(catalogPlan('KD0001').unusedTerminationDays).toBe(180);
    expectNewEsims(order, 'KD0001', 'smdp.sandbox.example', '2026-07-14T03:04:05.678Z');
    expect(order.esims[0]).toMatchObject({ homeCountry: 'JP', roamingCountries: [] });
  });

  it('takes home and roaming countries from a regional plan', async () => {
    const plan = catalogPlan('CL0006');
    expect(plan.providerCode).toBe('CLARO_BR');
    expect(plan.unusedTerminationDays).toBe(365);
    const order = await placeOrder(t, 'CL0006', 2);
    expectNewEsims(order, 'CL0006', 'smdp.sandbox.example', '2027-01-15T03:04:05.678Z');
    expect(order.esims[0]).toMatchObject({ homeCountry: 'BR', roamingCountries: ['AR', 'CL', 'CO', 'MX', 'PE'] });
  });

  it('allocates `quantity` distinct ICCIDs and activation codes', async () => {
    const order = await placeOrder(t, 'KD0001', 5);
    expect(order.esims).toHaveLength(5);
    expect(new Set(order.esims.map((e) => e.iccid)).size).toBe(5);
    expect(new Set(order.esims.map((e) => e.activationCode)).size).toBe(5);
    order.esims.forEach((e) => expectSandboxIccid(e.iccid));
    // The document promises the eSIMs "in ICCID order".
    const iccids = order.esims.map((e) => e.iccid);
    expect([...iccids].sort()).toEqual(iccids);
  });

  it('never reuses an ICCID or a transactionId across orders', async () => {
    const orders = [
      await placeOrder(t, 'KD0001', 3),
      await placeOrder(t, 'CL0006', 2),
      await placeOrder(t, 'KD0001', 1),
    ];
    const iccids = orders.flatMap((o) => o.esims.map((e) => e.iccid));
    expect(new Set(iccids).size).toBe(6);
    expect(new Set(orders.map((o) => o.transactionId)).size).toBe(3);
  });

  it('accepts the maximum quantity of 1000 in one order', async () => {
    const order = await placeOrder(t, 'KD0001', 1000);
    expect(order.esims).toHaveLength(1000);
    expect(new Set(order.esims.map((e) => e.iccid)).size).toBe(1000);
    order.esims.forEach((e) => expectSandboxIccid(e.iccid));
    const res = await t.call('GET', `/v1/orders/${order.transactionId}`);
    expect(res.json()).toEqual({ transactionId: order.transactionId, iccids: order.esims.map((e) => e.iccid) });
  });

  it('persists what it returned: GET /v1/esims/{iccid} answers the same eSIM', async () => {
    const order = await placeOrder(t, 'CL0006', 2);
    for (const esim of order.esims) {
      const res = await t.call('GET', `/v1/esims/${esim.iccid}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(esim);
    }
  });
});

describe('GET /v1/orders/{transactionId}', () => {
  it("answers the order's ICCIDs in the order of the order response", async () => {
    const order = await placeOrder(t, 'KD0001', 4);
    const res = await t.call('GET', `/v1/orders/${order.transactionId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ transactionId: order.transactionId, iccids: order.esims.map((e) => e.iccid) });
  });

  it('finds an order by its UUID written in upper case (the same UUID)', async () => {
    const order = await placeOrder(t, 'KD0001', 2);
    const res = await t.call('GET', `/v1/orders/${order.transactionId.toUpperCase()}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ transactionId: order.transactionId, iccids: order.esims.map((e) => e.iccid) });
  });

  it('answers 404 ORDER_NOT_FOUND for an unknown UUID', async () => {
    const unknown = 'a1b2c3d4-e5f6-4890-abcd-ef1234567890';
    const body = expectProblem(await t.call('GET', `/v1/orders/${unknown}`), 404, 'ORDER_NOT_FOUND');
    expect(body.detail).toContain(unknown);
  });

  it('refuses the urn:uuid: form of a real order as not a UUID', async () => {
    const order = await placeOrder(t, 'KD0001', 1);
    expectViolation(await t.call('GET', `/v1/orders/urn:uuid:${order.transactionId}`), 'path.transactionId', /UUID/);
  });

  it.each([
    'not-a-uuid',
    '12345',
    'a1b2c3d4e5f64890abcdef1234567890',
    'a1b2c3d4-e5f6-4890-abcd-ef123456789',
    'g1b2c3d4-e5f6-4890-abcd-ef1234567890',
  ])('%s -> 400 naming path.transactionId', async (id) => {
    expectViolation(await t.call('GET', `/v1/orders/${id}`), 'path.transactionId', /UUID/);
  });
});

describe('SMDP_ADDRESS', () => {
  let custom: TestApp;
  beforeAll(async () => {
    custom = await startTestApp({ RATE_LIMITS: 'off', SMDP_ADDRESS: 'smdp.test.example' }, () => new Date(ORDER_TIME));
  });
  afterAll(async () => custom.close());

  it('puts the configured SM-DP+ address in smdpAddress and the QR code', async () => {
    const order = await placeOrder(custom, 'KD0001', 2);
    expectNewEsims(order, 'KD0001', 'smdp.test.example', '2026-07-14T03:04:05.678Z');
    expect(order.esims[0]!.qrCode).toBe(`LPA:1$smdp.test.example$${order.esims[0]!.activationCode}`);
  });
});
