/**
 * The webhook routes on the real app (issue 6): registration (201 / 200 keeping the
 * secret / a new secret after delete), validation of the URL and events, one endpoint per
 * reseller, the outbox (written with the change, only for subscribed events, nothing for a
 * refused or empty change), the delivery log and redelivery. Deliveries go to a real
 * local receiver; what it receives over the wire is the e2e suite's business.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GLOBEX_KEY, startTestApp, type TestApp } from '../helpers/app.js';
import { startReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';
import { expectProblem, expectViolation, manualClock, orderOne, placeOrder, sendEvent, UUID_V4 } from './support.js';

let t: TestApp;
let hooks: WebhookReceiver;
beforeAll(async () => {
  hooks = await startReceiver();
  t = await startTestApp({ RATE_LIMITS: 'off' });
});
afterAll(async () => {
  await t.close();
  await hooks.close();
});
beforeEach(async () => {
  for (const key of [undefined, GLOBEX_KEY]) await t.call('DELETE', '/v1/sandbox/webhook', key ? { key } : {});
});

interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  iccid: string | null;
  status: string;
  redeliveryOf: string | null;
}

async function deliveries(
  key?: string,
): Promise<{ items: Delivery[]; meta: { total: number; page: number; limit: number; totalPages: number } }> {
  const res = await t.call('GET', '/v1/sandbox/webhook/deliveries?limit=200', key ? { key } : {});
  expect(res.statusCode).toBe(200);
  return res.json();
}

describe('PUT /v1/sandbox/webhook', () => {
  it('answers 201 with a new secret, then 200 keeping the secret when replaced', async () => {
    const created = await t.call('PUT', '/v1/sandbox/webhook', { body: { url: hooks.url } });
    expect(created.statusCode).toBe(201);
    const endpoint = created.json();
    expect(endpoint).toMatchObject({
      url: hooks.url,
      events: ['order.completed', 'esim.status_changed', 'esim.usage_updated'],
    });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(endpoint.createdAt).toBe(endpoint.updatedAt);

    const replaced = await t.call('PUT', '/v1/sandbox/webhook', {
      body: { url: `${hooks.url}/v2`, events: ['esim.usage_updated', 'order.completed'] },
    });
    expect(replaced.statusCode).toBe(200);
    // Events come back in the documented order, whatever order they were given in.
    expect(replaced.json()).toMatchObject({
      url: `${hooks.url}/v2`,
      events: ['order.completed', 'esim.usage_updated'],
      secret: endpoint.secret,
      createdAt: endpoint.createdAt,
    });
    expect((await t.call('GET', '/v1/sandbox/webhook')).json()).toEqual(replaced.json());
  });

  it('makes a new secret after DELETE (204), and GET / DELETE answer 404 in between', async () => {
    const first = (await t.call('PUT', '/v1/sandbox/webhook', { body: { url: hooks.url } })).json();
    const deleted = await t.call('DELETE', '/v1/sandbox/webhook');
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expectProblem(await t.call('GET', '/v1/sandbox/webhook'), 404, 'WEBHOOK_NOT_FOUND');
    expectProblem(await t.call('DELETE', '/v1/sandbox/webhook'), 404, 'WEBHOOK_NOT_FOUND');
    const second = await t.call('PUT', '/v1/sandbox/webhook', { body: { url: hooks.url } });
    expect(second.statusCode).toBe(201);
    expect(second.json().secret).not.toBe(first.secret);
  });

  it('keeps one endpoint per reseller: another reseller neither sees nor replaces it', async () => {
    await t.call('PUT', '/v1/sandbox/webhook', { body: { url: hooks.url } });
    expectProblem(await t.call('GET', '/v1/sandbox/webhook', { key: GLOBEX_KEY }), 404, 'WEBHOOK_NOT_FOUND');
    const theirs = await t.call('PUT', '/v1/sandbox/webhook', {
      key: GLOBEX_KEY,
      body: { url: 'https://globex.example/hooks' },
    });
    expect(theirs.statusCode).toBe(201);
    expect((await t.call('GET', '/v1/sandbox/webhook')).json().url).toBe(hooks.url);
  });

  it.each([
    ['relative', 'hooks', /absolute URL/],
    ['ftp', 'ftp://example.com/hooks', /http or https, got ftp/],
    ['credentials', 'https://user:pass@example.com/hooks', /user name or password/],
    ['fragment', 'https://example.com/hooks#x', /fragment/],
    ['too long', `https://example.com/${'a'.repeat(2048)}`, /2048 characters/],
    ['empty', '', /must NOT have fewer than 1 characters|at least 1/],
  ])('refuses a %s URL at body.url', async (_name, url, message) => {
    expectViolation(await t.call('PUT', '/v1/sandbox/webhook', { body: { url } }), 'body.url', message);
    expectProblem(await t.call('GET', '/v1/sandbox/webhook'), 404, 'WEBHOOK_NOT_FOUND');
  });

  it('refuses unknown, repeated or no events, a missing url and unknown properties', async () => {
    expectViolation(
      await t.call('PUT', '/v1/sandbox/webhook', { body: { url: hooks.url, events: ['order.created'] } }),
      'body.events[0]',
    );
    expectViolation(
      await t.call('PUT', '/v1/sandbox/webhook', {
        body: { url: hooks.url, events: ['order.completed', 'order.completed'] },
      }),
      'body.events',
    );
    expectViolation(
      await t.call('PUT', '/v1/sandbox/webhook', { body: { url: hooks.url, events: [] } }),
      'body.events',
    );
    expectViolation(await t.call('PUT', '/v1/sandbox/webhook', { body: { events: ['order.completed'] } }), 'body.url');
    expectViolation(
      await t.call('PUT', '/v1/sandbox/webhook', { body: { url: hooks.url, secret: 'mine' } }),
      'body.secret',
    );
  });
});

describe('operations without parameters', () => {
  it('refuse a body on DELETE and on redeliver, and take {}', async () => {
    await t.call('PUT', '/v1/sandbox/webhook', { body: { url: hooks.url, events: ['order.completed'] } });
    await orderOne(t);
    const [delivery] = (await deliveries()).items;
    expectViolation(
      await t.call('DELETE', '/v1/sandbox/webhook', { body: { url: hooks.url } }),
      'body',
      /must be empty or \{\}: delete takes no parameters/,
    );
    expectViolation(
      await t.call('POST', `/v1/sandbox/webhook/deliveries/${delivery!.id}/redeliver`, { body: { at: 'now' } }),
      'body',
      /redeliver takes no parameters/,
    );
    expect((await t.call('GET', '/v1/sandbox/webhook')).statusCode).toBe(200);
    expect(
      (await t.call('POST', `/v1/sandbox/webhook/deliveries/${delivery!.id}/redeliver`, { body: {} })).statusCode,
    ).toBe(202);
    expect((await t.call('DELETE', '/v1/sandbox/webhook', { body: {} })).statusCode).toBe(204);
  });
});

describe('the outbox', () => {
  it('queues nothing while no endpoint is registered', async () => {
    const before = (await deliveries()).meta.total;
    await orderOne(t);
    expect((await deliveries()).meta.total).toBe(before);
  });

  it('queues only the subscribed events, one delivery per event, with the eSIM they concern', async () => {
    await t.call('PUT', '/v1/sandbox/webhook', { body: { url: hooks.url, events: ['esim.status_changed'] } });
    const before = (await deliveries()).meta.total;
    const esim = await orderOne(t); // order.completed: not subscribed
    expect(
      (await t.call('POST', `/v1/esims/${esim.iccid}/emergency-control`, { body: { action: 'suspend' } })).statusCode,
    ).toBe(200);
    expect(
      (await t.call('PUT', `/v1/sandbox/esims/${esim.iccid}/data-usage`, { body: [{ day: '2026-01-01', usage: '1' }] }))
        .statusCode,
    ).toBe(200);
    const list = await deliveries();
    expect(list.meta.total).toBe(before + 1);
    expect(list.items[0]).toMatchObject({ eventType: 'esim.status_changed', iccid: esim.iccid, redeliveryOf: null });
    expect(list.items[0]!.eventId).toMatch(UUID_V4);
  });

  it('queues nothing for a change that changes nothing or is refused', async () => {
    await t.call('PUT', '/v1/sandbox/webhook', { body: { url: hooks.url } });
    const esim = await orderOne(t);
    const before = (await deliveries()).meta.total;
    // Releasing an ACTIVE eSIM changes nothing; connect before install is refused (409).
    expect(
      (await t.call('POST', `/v1/esims/${esim.iccid}/emergency-control`, { body: { action: 'release' } })).statusCode,
    ).toBe(200);
    expectProblem(
      await sendEvent(t, esim.iccid, { event: 'connect', imei: '490154203237518' }),
      409,
      'INVALID_TRANSITION',
    );
    expect((await deliveries()).meta.total).toBe(before);
  });

  it('announces an order of 3 as one order.completed event', async () => {
    await t.call('PUT', '/v1/sandbox/webhook', { body: { url: hooks.url, events: ['order.completed'] } });
    const before = (await deliveries()).meta.total;
    await placeOrder(t, 'KD0001', 3);
    const list = await deliveries();
    expect(list.meta.total).toBe(before + 1);
    expect(list.items[0]).toMatchObject({ eventType: 'order.completed', iccid: null });
  });
});

describe('GET /v1/sandbox/webhook/deliveries', () => {
  it('pages newest first, and shows a reseller only its own deliveries', async () => {
    await t.call('PUT', '/v1/sandbox/webhook', { body: { url: hooks.url, events: ['order.completed'] } });
    await orderOne(t);
    await orderOne(t);
    const all = await deliveries();
    const page = await t.call('GET', '/v1/sandbox/webhook/deliveries?page=2&limit=1');
    expect(page.statusCode).toBe(200);
    expect(page.json().meta).toEqual({ total: all.meta.total, page: 2, limit: 1, totalPages: all.meta.total });
    expect(page.json().items.map((d: Delivery) => d.id)).toEqual([all.items[1]!.id]);
    const past = await t.call('GET', `/v1/sandbox/webhook/deliveries?page=${all.meta.total + 1}&limit=1`);
    expect(past.json().items).toEqual([]);
    expect((await deliveries(GLOBEX_KEY)).items.every((d) => !all.items.some((mine) => mine.id === d.id))).toBe(true);
  });

  it('refuses bad paging and unknown parameters', async () => {
    expectViolation(await t.call('GET', '/v1/sandbox/webhook/deliveries?limit=201'), 'query.limit');
    expectViolation(await t.call('GET', '/v1/sandbox/webhook/deliveries?page=0'), 'query.page');
    expectViolation(await t.call('GET', '/v1/sandbox/webhook/deliveries?status=failed'), 'query.status');
  });
});

describe('POST /v1/sandbox/webhook/deliveries/{deliveryId}/redeliver', () => {
  it('queues the same event again as a new delivery (202)', async () => {
    await t.call('PUT', '/v1/sandbox/webhook', { body: { url: hooks.url, events: ['order.completed'] } });
    await orderOne(t);
    const [original] = (await deliveries()).items;
    const res = await t.call('POST', `/v1/sandbox/webhook/deliveries/${original!.id.toUpperCase()}/redeliver`);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({
      eventId: original!.eventId,
      eventType: 'order.completed',
      redeliveryOf: original!.id,
      attempts: [],
    });
    expect(res.json().id).not.toBe(original!.id);
    expect((await deliveries()).items[0]!.id).toBe(res.json().id);
  });

  it("answers 404 for an unknown or another reseller's delivery, 400 for a malformed id, 409 without an endpoint", async () => {
    await t.call('PUT', '/v1/sandbox/webhook', { body: { url: hooks.url, events: ['order.completed'] } });
    await orderOne(t);
    const [mine] = (await deliveries()).items;
    expectProblem(
      await t.call('POST', '/v1/sandbox/webhook/deliveries/6b1f0c3e-2d4a-4e8f-8c9b-5a7d3e1f2b60/redeliver'),
      404,
      'DELIVERY_NOT_FOUND',
    );
    expectProblem(
      await t.call('POST', `/v1/sandbox/webhook/deliveries/${mine!.id}/redeliver`, { key: GLOBEX_KEY }),
      404,
      'DELIVERY_NOT_FOUND',
    );
    expectViolation(await t.call('POST', '/v1/sandbox/webhook/deliveries/not-a-uuid/redeliver'), 'path.deliveryId');
    await t.call('DELETE', '/v1/sandbox/webhook');
    expectProblem(
      await t.call('POST', `/v1/sandbox/webhook/deliveries/${mine!.id}/redeliver`),
      409,
      'WEBHOOK_NOT_REGISTERED',
    );
  });
});

describe('WEBHOOK_ALLOW_PRIVATE', () => {
  it('accepts a loopback receiver by default (local use)', async () => {
    expect((await t.call('PUT', '/v1/sandbox/webhook', { body: { url: 'http://127.0.0.1:9/hooks' } })).statusCode).toBe(
      201,
    );
  });

  it('refuses it when false, naming the address and the setting', async () => {
    const shared = await startTestApp({ RATE_LIMITS: 'off', WEBHOOK_ALLOW_PRIVATE: 'false' });
    try {
      expectViolation(
        await shared.call('PUT', '/v1/sandbox/webhook', { body: { url: 'http://127.0.0.1:9/hooks' } }),
        'body.url',
        /loopback address; refused because WEBHOOK_ALLOW_PRIVATE=false/,
      );
      expectViolation(
        await shared.call('PUT', '/v1/sandbox/webhook', { body: { url: 'http://172.16.5.4/hooks' } }),
        'body.url',
        /private address/,
      );
      expectViolation(
        await shared.call('PUT', '/v1/sandbox/webhook', { body: { url: 'https://no-such-host.invalid/hooks' } }),
        'body.url',
        /resolves/,
      );
    } finally {
      await shared.close();
    }
  });
});

describe('clock rules made due by real time', () => {
  it('are applied and announced without anyone reading the eSIM', async () => {
    const real = manualClock('2026-03-01T00:00:00.000Z');
    const app = await startTestApp({ RATE_LIMITS: 'off' }, real.now, { clockSweepMs: 50 });
    try {
      await app.call('PUT', '/v1/sandbox/webhook', { body: { url: hooks.url, events: ['esim.status_changed'] } });
      const esim = await orderOne(app);
      real.set(new Date(Date.parse(String(esim.activationDeadline)) + 1).toISOString());
      let list: { items: Delivery[] } = { items: [] };
      // Inject resolves without yielding to timers: sleep between looks, so the sweep can run.
      for (let look = 0; look < 200 && list.items.length === 0; look++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        list = (await app.call('GET', '/v1/sandbox/webhook/deliveries')).json();
      }
      expect(list.items).toHaveLength(1);
      expect(list.items[0]).toMatchObject({ eventType: 'esim.status_changed', iccid: esim.iccid });
      // Stored, so the status read shows it as the event said, stamped at the deadline.
      const read = (await app.call('GET', `/v1/esims/${esim.iccid}`)).json();
      expect(read).toMatchObject({
        contractStatus: 'TERMINATED',
        profileProvisionStatus: 'CANCELED',
        lastUpdatedAt: esim.activationDeadline,
      });
    } finally {
      await app.close();
    }
  });
});
