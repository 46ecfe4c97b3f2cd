import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GLOBEX_KEY, startTestApp, type TestApp } from '../helpers/app.js';
import { esimRow, expectProblem, getEsim, placeOrder, UNKNOWN_ICCID, withDatabase, type Order } from './support.js';

let t: TestApp;
let acmeOrder: Order;
let acmeIccid: string;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMITS: 'off' });
  acmeOrder = await placeOrder(t, 'KD0001', 2);
  acmeIccid = acmeOrder.esims[0]!.iccid;
});
afterAll(async () => t.close());

const UNKNOWN_TRANSACTION = 'a1b2c3d4-e5f6-4890-abcd-ef1234567890';

/** A 404 body with what must differ removed: the request id, and the identifier named in the detail. */
function comparable(res: LightMyRequestResponse, identifier: string) {
  const { requestId: _requestId, ...body } = res.json<{ requestId: string; detail: string }>();
  return { ...body, detail: body.detail.replaceAll(identifier, '<id>') };
}

/** Sends the same request for another reseller's identifier and for an unknown one; both must be the same 404. */
async function expectSameNotFound(
  code: string,
  send: (id: string) => Promise<LightMyRequestResponse>,
  foreign: string,
  unknown: string,
) {
  const [foreignRes, unknownRes] = [await send(foreign), await send(unknown)];
  const foreignBody = expectProblem(foreignRes, 404, code);
  expectProblem(unknownRes, 404, code);
  expect(foreignBody.detail).toContain(foreign);
  expect(comparable(foreignRes, foreign)).toEqual(comparable(unknownRes, unknown));
  expect(Object.keys(foreignRes.headers).sort()).toEqual(Object.keys(unknownRes.headers).sort());
}

describe("another reseller's resources answer 404 exactly like unknown ones", () => {
  it('GET /v1/esims/{iccid}', async () => {
    await expectSameNotFound(
      'ESIM_NOT_FOUND',
      (id) => t.call('GET', `/v1/esims/${id}`, { key: GLOBEX_KEY }),
      acmeIccid,
      UNKNOWN_ICCID,
    );
  });

  it('GET /v1/orders/{transactionId}', async () => {
    await expectSameNotFound(
      'ORDER_NOT_FOUND',
      (id) => t.call('GET', `/v1/orders/${id}`, { key: GLOBEX_KEY }),
      acmeOrder.transactionId,
      UNKNOWN_TRANSACTION,
    );
  });

  it.each(['suspend', 'release'])('POST emergency-control %s, leaving the eSIM unchanged', async (action) => {
    const before = esimRow(t, acmeIccid);
    const send = (id: string) =>
      t.call('POST', `/v1/esims/${id}/emergency-control`, { key: GLOBEX_KEY, body: { action } });
    await expectSameNotFound('ESIM_NOT_FOUND', send, acmeIccid, UNKNOWN_ICCID);
    expect(esimRow(t, acmeIccid)).toEqual(before);
    expect(await getEsim(t, acmeIccid)).toEqual(acmeOrder.esims[0]);
  });

  it('PUT data-usage, leaving the eSIM unchanged', async () => {
    const before = esimRow(t, acmeIccid);
    const send = (id: string) =>
      t.call('PUT', `/v1/sandbox/esims/${id}/data-usage`, {
        key: GLOBEX_KEY,
        body: [{ day: '2025-12-10', usage: '102400' }],
      });
    await expectSameNotFound('ESIM_NOT_FOUND', send, acmeIccid, UNKNOWN_ICCID);
    expect(esimRow(t, acmeIccid)).toEqual(before);
    expect(await getEsim(t, acmeIccid)).toEqual(acmeOrder.esims[0]);
  });
});

describe("another reseller's eSIM in the sandbox scenarios", () => {
  it.each([{ event: 'download' }, { event: 'install', imei: '490154203237518' }, { event: 'terminate' }])(
    'POST events $event answers 404 like an unknown ICCID, leaving the eSIM unchanged',
    async (body) => {
      const before = esimRow(t, acmeIccid);
      const send = (id: string) => t.call('POST', `/v1/sandbox/esims/${id}/events`, { key: GLOBEX_KEY, body });
      await expectSameNotFound('ESIM_NOT_FOUND', send, acmeIccid, UNKNOWN_ICCID);
      expect(esimRow(t, acmeIccid)).toEqual(before);
      expect(await getEsim(t, acmeIccid)).toEqual(acmeOrder.esims[0]);
    },
  );

  it('a TERMINATED eSIM of another reseller answers events with 404, not 409', async () => {
    const esim = (await placeOrder(t, 'KD0001', 1)).esims[0]!;
    expect(
      (await t.call('POST', `/v1/sandbox/esims/${esim.iccid}/events`, { body: { event: 'terminate' } })).statusCode,
    ).toBe(200);
    expectProblem(
      await t.call('POST', `/v1/sandbox/esims/${esim.iccid}/events`, { key: GLOBEX_KEY, body: { event: 'download' } }),
      404,
      'ESIM_NOT_FOUND',
    );
    expectProblem(
      await t.call('POST', `/v1/sandbox/esims/${esim.iccid}/events`, { body: { event: 'download' } }),
      409,
      'ESIM_TERMINATED',
    );
  });

  it("globex's clock moves do not reach acme's eSIMs", async () => {
    const esim = (await placeOrder(t, 'KD0001', 1)).esims[0]!;
    const advance = await t.call('POST', '/v1/sandbox/clock/advance', { key: GLOBEX_KEY, body: { days: 400 } });
    expect(advance.json().offsetSeconds).toBe(400 * 86_400);
    expect(await getEsim(t, esim.iccid)).toEqual(esim);
    expect((await t.call('GET', '/v1/sandbox/clock')).json().offsetSeconds).toBe(0);
    expect((await t.call('POST', '/v1/sandbox/clock/reset', { key: GLOBEX_KEY })).json().offsetSeconds).toBe(0);
  });
});

describe('another reseller never learns an eSIM state', () => {
  it("acting on another reseller's TERMINATED eSIM is 404, not 409", async () => {
    const esim = (await placeOrder(t, 'KD0001', 1)).esims[0]!;
    withDatabase(t, (db) =>
      db
        .prepare("UPDATE esims SET contract_status = 'TERMINATED', terminated_on = '2026-01-01' WHERE iccid = ?")
        .run(esim.iccid),
    );
    const foreign = await t.call('POST', `/v1/esims/${esim.iccid}/emergency-control`, {
      key: GLOBEX_KEY,
      body: { action: 'suspend' },
    });
    expectProblem(foreign, 404, 'ESIM_NOT_FOUND');
    expectProblem(
      await t.call('POST', `/v1/esims/${esim.iccid}/emergency-control`, { body: { action: 'suspend' } }),
      409,
      'ESIM_TERMINATED',
    );
  });
});

describe('each reseller sees its own', () => {
  it("globex's order is globex's: acme gets 404 and globex gets it", async () => {
    const globexOrder = await placeOrder(t, 'KD0001', 1, GLOBEX_KEY);
    const globexIccid = globexOrder.esims[0]!.iccid;
    expectProblem(await t.call('GET', `/v1/esims/${globexIccid}`), 404, 'ESIM_NOT_FOUND');
    expectProblem(await t.call('GET', `/v1/orders/${globexOrder.transactionId}`), 404, 'ORDER_NOT_FOUND');
    expect(await getEsim(t, globexIccid, GLOBEX_KEY)).toEqual(globexOrder.esims[0]);
    const res = await t.call('GET', `/v1/orders/${globexOrder.transactionId}`, { key: GLOBEX_KEY });
    expect(res.json()).toEqual({ transactionId: globexOrder.transactionId, iccids: [globexIccid] });
  });

  it('ICCIDs are unique across resellers', async () => {
    const [a, g] = [await placeOrder(t, 'KD0001', 3), await placeOrder(t, 'KD0001', 3, GLOBEX_KEY)];
    const iccids = [...a.esims, ...g.esims].map((e) => e.iccid);
    expect(new Set(iccids).size).toBe(6);
  });

  it("acme can still act on its eSIM after globex's attempts", async () => {
    const res = await t.call('POST', `/v1/esims/${acmeOrder.esims[1]!.iccid}/emergency-control`, {
      body: { action: 'suspend' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ contractStatus: 'SUSPENDED', isServiceRestricted: true });
  });
});
