/**
 * The request log through the app (real SQLite file, or PostgreSQL schema): every ICCID of an
 * order of 1,000 in its entry and behind the iccid filter, a response over 16 KiB kept as its
 * first 16 KiB of text, and a store that refuses the log's writes (a real trigger) failing no
 * request while the lost entries are counted in /metrics, and writing again once it accepts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withDatabase } from './support.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ RATE_LIMITS: 'off' });
});
afterEach(async () => t.close());

const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

async function entries(query = ''): Promise<any[]> {
  const response = await t.call('GET', `/v1/sandbox/requests?limit=100${query}`);
  expect(response.statusCode).toBe(200);
  return response.json<{ items: any[] }>().items;
}

describe('the request log through the app', () => {
  it('names all 1,000 ICCIDs of a large order and finds the entry by the last one; cuts a body over 16 KiB', async () => {
    const ordered = await t.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 1000 } });
    expect(ordered.statusCode).toBe(201);
    const order = ordered.json<{ transactionId: string; esims: { iccid: string }[] }>();
    const read = await t.call('GET', `/v1/orders/${order.transactionId}`);
    expect(read.statusCode).toBe(200);
    // Written off the request path: wait (at most 5 s) for both entries.
    for (let i = 0; i < 50 && (await entries()).length < 2; i++) await settle();
    const [readEntry, orderEntry] = await entries();
    expect(orderEntry.iccids).toEqual(order.esims.map((e) => e.iccid));
    expect(orderEntry.iccids.length).toBe(1000);
    expect(orderEntry.truncated).toEqual({ request: false, response: true });
    expect(typeof orderEntry.responseBody).toBe('string');
    expect(Buffer.byteLength(orderEntry.responseBody as string, 'utf8')).toBe(16 * 1024);
    expect(ordered.body.startsWith(orderEntry.responseBody as string)).toBe(true);
    expect(orderEntry.transactionId).toBe(order.transactionId);
    expect(readEntry.operationId).toBe('getOrderIccids');
    expect(readEntry.transactionId).toBe(order.transactionId);
    const last = order.esims[999]!.iccid;
    expect((await entries(`&iccid=${last}`)).map((e) => e.id)).toEqual([readEntry.id, orderEntry.id]);
  });

  it('fails no request when the store refuses the writes, counts the lost entries, and writes again after', async () => {
    const sqlite = t.store.kind === 'sqlite';
    withDatabase(t, (db) => {
      if (sqlite)
        db.exec(
          "CREATE TRIGGER refuse_log BEFORE INSERT ON request_log BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
        );
      else {
        db.exec(
          "CREATE FUNCTION refuse_log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$",
        );
        db.exec('CREATE TRIGGER refuse_log BEFORE INSERT ON request_log FOR EACH ROW EXECUTE FUNCTION refuse_log()');
      }
    });
    for (let i = 0; i < 3; i++) expect((await t.call('GET', '/v1/sandbox/clock')).statusCode).toBe(200);
    await settle();
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/^sandbox_request_log_write_failures_total 3$/m);
    expect(await entries()).toEqual([]);
    withDatabase(t, (db) => db.exec(sqlite ? 'DROP TRIGGER refuse_log' : 'DROP TRIGGER refuse_log ON request_log'));
    expect((await t.call('GET', '/v1/sandbox/clock', { headers: { 'x-request-id': 'after-outage' } })).statusCode).toBe(
      200,
    );
    await settle();
    expect((await entries()).map((e) => e.requestId)).toEqual(['after-outage']);
  });
});
