/**
 * End to end over real HTTP against `node dist/server.js`: an integration session (an order
 * with an Idempotency-Key and its replay, lifecycle events, suspend twice, a suspend whose
 * response is dropped by `Sandbox-Fault: drop-response`, usage twice, the clock advanced past
 * expiry with a webhook endpoint registered), then the eSIM's history read back entry by
 * entry and linked to the webhook deliveries, the listings, and isolation from a second
 * reseller. Runs on SQLite, or on PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, type CallOptions, type Reply } from '../helpers/call.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { startReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const KEY = 'acme-e2e-inspection-01';
const OTHER_KEY = 'globex-e2e-inspection-02';
const IMEI = '490154203237518';

let server: ServerProcess;
let hooks: WebhookReceiver;

function call(method: string, path: string, options: Partial<CallOptions> = {}): Promise<Reply> {
  return callApi(server.baseUrl, method, path, { key: KEY, ...options });
}

beforeAll(async () => {
  hooks = await startReceiver();
  server = await startServer({ env: { SANDBOX_API_KEYS: `acme:${KEY},globex:${OTHER_KEY}`, RATE_LIMITS: 'on' } });
});
afterAll(async () => {
  await server?.stop();
  await hooks?.close();
});

describe('an integration session, seen through the inspection reads', () => {
  let iccid: string;
  let transactionId: string;
  let ordered: any;

  it('runs the session', async () => {
    expect((await call('PUT', '/v1/sandbox/webhook', { body: { url: hooks.url } })).status).toBe(201);
    const headers = { 'idempotency-key': 'e2e-inspection-order' };
    const first = await call('POST', '/v1/orders', {
      body: { planCode: 'KD0001', quantity: 1 },
      headers,
      requestId: 's-order',
    });
    expect(first.status).toBe(201);
    const replay = await call('POST', '/v1/orders', {
      body: { planCode: 'KD0001', quantity: 1 },
      headers,
      requestId: 's-replay',
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    ({ transactionId } = first.body);
    ordered = first.body.esims[0];
    iccid = ordered.iccid;

    const events = `/v1/sandbox/esims/${iccid}/events`;
    const control = `/v1/esims/${iccid}/emergency-control`;
    const usage = `/v1/sandbox/esims/${iccid}/data-usage`;
    const list = [{ day: '2026-03-02', usage: '4096' }];
    const steps: [string, string, unknown, string][] = [
      ['POST', events, { event: 'download' }, 's-download'],
      ['POST', events, { event: 'install', imei: IMEI }, 's-install'],
      ['POST', events, { event: 'connect', imei: IMEI }, 's-connect'],
      ['POST', control, { action: 'suspend' }, 's-suspend'],
      ['POST', control, { action: 'suspend' }, 's-suspend-again'],
      ['POST', control, { action: 'release' }, 's-release'],
      ['PUT', usage, list, 's-usage'],
      ['PUT', usage, list, 's-usage-again'],
    ];
    for (const [method, path, body, requestId] of steps)
      expect((await call(method, path, { body, requestId })).status, requestId).toBe(200);

    // The suspend commits; its response never comes.
    const dropped = await call('POST', control, {
      body: { action: 'suspend' },
      requestId: 's-dropped',
      headers: { 'sandbox-fault': 'drop-response' },
    }).catch((error: unknown) => error);
    expect(dropped).toBeInstanceOf(Error);
    expect((await call('POST', control, { body: { action: 'release' }, requestId: 's-release-2' })).status).toBe(200);

    // With an endpoint taking esim.status_changed, the advance stores the expiry itself.
    expect(
      (await call('POST', '/v1/sandbox/clock/advance', { body: { days: 10 }, requestId: 's-advance' })).status,
    ).toBe(200);
  });

  it("reads the eSIM's history back, entry by entry, linked to the deliveries it queued", async () => {
    const res = await call('GET', `/v1/sandbox/esims/${iccid}/history`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBe('600');
    expect(res.body.iccid).toBe(iccid);
    expect(res.body.nextCursor).toBeNull();
    const items: any[] = res.body.items;
    expect(items.map((e) => [e.cause, e.requestId])).toEqual([
      [{ type: 'order' }, 's-order'],
      [{ type: 'lifecycle_event', event: 'download' }, 's-download'],
      [{ type: 'lifecycle_event', event: 'install', imei: IMEI }, 's-install'],
      [{ type: 'lifecycle_event', event: 'connect', imei: IMEI }, 's-connect'],
      [{ type: 'emergency_control', action: 'suspend' }, 's-suspend'],
      [{ type: 'emergency_control', action: 'release' }, 's-release'],
      [{ type: 'data_usage' }, 's-usage'],
      [{ type: 'emergency_control', action: 'suspend' }, 's-dropped'],
      [{ type: 'emergency_control', action: 'release' }, 's-release-2'],
      [{ type: 'clock_rule', rule: 'expiry' }, 's-advance'],
    ]);
    const connected = items[3];
    const expiresOn = connected.changes.find((c: any) => c.field === 'expiresOn').to as string;
    const dayAfter = new Date(Date.parse(`${expiresOn}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);
    expect(items[9]).toMatchObject({
      at: new Date(Date.parse(`${dayAfter}T00:00:00.000Z`) - 9 * 3_600_000).toISOString(),
      changes: [
        { field: 'contractStatus', from: 'ACTIVE', to: 'TERMINATED' },
        { field: 'terminatedOn', from: null, to: dayAfter },
      ],
    });
    expect(items[6].changes).toEqual([
      { field: 'dataUsageDailyList', from: [], to: [{ day: '2026-03-02', usage: '4096' }] },
      { field: 'totalDataUsage', from: 0, to: 4096 },
    ]);
    expect(items[0].changes).toContainEqual({ field: 'activationCode', from: null, to: ordered.activationCode });
    expect(items[0].at).toBe(ordered.lastUpdatedAt);

    const deliveries = (await call('GET', '/v1/sandbox/webhook/deliveries?limit=200')).body.items as any[];
    const byId = new Map(deliveries.map((d) => [d.id, d]));
    const linked = items.map((e) => e.webhookDeliveryIds.map((id: string) => byId.get(id)?.eventType));
    expect(linked).toEqual([
      ['order.completed'],
      ['esim.status_changed'],
      ['esim.status_changed'],
      [],
      ['esim.status_changed'],
      ['esim.status_changed'],
      ['esim.usage_updated'],
      ['esim.status_changed'],
      ['esim.status_changed'],
      ['esim.status_changed'],
    ]);
    // Every delivery of the session is linked from exactly one entry (the order's is shared by its eSIMs).
    expect(new Set(items.flatMap((e) => e.webhookDeliveryIds)).size).toBe(deliveries.length);
    // And the receiver got the events of those deliveries.
    const received = await hooks.waitFor((got) => got.length >= deliveries.length);
    expect(new Set(received.map((r) => r.headers['sandbox-delivery-id']))).toEqual(new Set(byId.keys()));
  });

  it('lists the order and the eSIM, the eSIM as the status read shows it', async () => {
    const orders = await call('GET', '/v1/sandbox/orders');
    expect(orders.body).toEqual({
      items: [
        { transactionId, planCode: 'KD0001', quantity: 1, createdAt: ordered.lastUpdatedAt, requestId: 's-order' },
      ],
      nextCursor: null,
    });
    const esims = await call('GET', '/v1/sandbox/esims?contractStatus=TERMINATED');
    const status = await call('GET', `/v1/esims/${iccid}`);
    expect(esims.body).toEqual({ items: [status.body], nextCursor: null });
    expect((await call('GET', '/v1/sandbox/esims?contractStatus=ACTIVE')).body).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('shows the other reseller nothing of it', async () => {
    const history = await call('GET', `/v1/sandbox/esims/${iccid}/history`, { key: OTHER_KEY });
    expect(history.status).toBe(404);
    expect(history.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(history.body).toMatchObject({ code: 'ESIM_NOT_FOUND', status: 404 });
    expect((await call('GET', '/v1/sandbox/orders', { key: OTHER_KEY })).body).toEqual({ items: [], nextCursor: null });
    expect((await call('GET', '/v1/sandbox/esims', { key: OTHER_KEY })).body).toEqual({ items: [], nextCursor: null });
  });
});
