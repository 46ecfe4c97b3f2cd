/**
 * Webhooks end to end (issue 6): a real server process sends signed events to a real HTTP
 * receiver. Signatures are checked here with node:crypto, independently of src/. A
 * receiver answering 500 gets the event again; one eSIM's events arrive in order; a
 * server killed between the commit and the delivery delivers after its restart; private
 * destinations are refused when WEBHOOK_ALLOW_PRIVATE=false, at registration and at delivery.
 * Deliveries match the served document's `webhooks` (headers and body).
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { assertDeliveryMatchesContract, type OpenApiDocument } from '../helpers/contract.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { startReceiver, type ReceivedWebhook, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const KEY = 'acme-e2e-webhooks-0001';
const dirs: string[] = [];
const servers: ServerProcess[] = [];
const receivers: WebhookReceiver[] = [];

interface Reply {
  status: number;
  body: any;
}

async function call(server: ServerProcess, method: string, path: string, body?: unknown): Promise<Reply> {
  const headers: Record<string, string> = { authorization: `Bearer ${KEY}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** A new database file and the environment of a server on it (fast retries: first wait 100 ms). */
function newEnv(extra: Record<string, string> = {}): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'esim-sandbox-e2e-webhooks-'));
  dirs.push(dir);
  return {
    DATABASE_URL: `sqlite:${join(dir, 'sandbox.db')}`,
    SANDBOX_API_KEYS: `acme:${KEY}`,
    RATE_LIMITS: 'off',
    WEBHOOK_BACKOFF_MS: '100',
    ...extra,
  };
}

async function serve(env: Record<string, string>): Promise<ServerProcess> {
  const server = await startServer({ env });
  servers.push(server);
  return server;
}

async function receiver(port?: number): Promise<WebhookReceiver> {
  const started = await startReceiver(port);
  receivers.push(started);
  return started;
}

/** Checks a delivery's signature as a receiver would, with the recipe of docs/webhooks.md. */
function signatureValid(webhook: ReceivedWebhook, secret: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(webhook.headers['sandbox-signature']));
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${webhook.body}`).digest('hex');
  return expected === match[2] && Math.abs(Date.now() / 1000 - Number(match[1])) < 300;
}

const ofType = (type: string) => (received: ReceivedWebhook[]) => received.filter((r) => r.event.type === type);

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('signed deliveries to a real receiver', () => {
  it('sends order.completed, esim.status_changed and esim.usage_updated, each signed with the secret', async () => {
    const hooks = await receiver();
    const server = await serve(newEnv());
    const registered = await call(server, 'PUT', '/v1/sandbox/webhook', { url: hooks.url });
    expect(registered.status).toBe(201);
    const secret: string = registered.body.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);

    const order = await call(server, 'POST', '/v1/orders', { planCode: 'KD0001', quantity: 2 });
    expect(order.status).toBe(201);
    const [first, second] = order.body.esims.map((esim: { iccid: string }) => esim.iccid) as [string, string];
    const [completed] = await hooks.waitFor((r) => ofType('order.completed')(r).length === 1);
    expect(completed!.event.data).toEqual({
      transactionId: order.body.transactionId,
      planCode: 'KD0001',
      quantity: 2,
      iccids: [first, second],
    });
    // The order's time on the reseller's clock, which is also its eSIMs' lastUpdatedAt.
    expect(completed!.event.createdAt).toBe(order.body.esims[0].lastUpdatedAt);
    expect(completed!.headers['content-type']).toBe('application/json');
    expect(completed!.headers['sandbox-event-type']).toBe('order.completed');
    expect(completed!.headers['sandbox-event-id']).toBe(completed!.event.id);
    expect(completed!.headers['sandbox-delivery-attempt']).toBe('1');
    expect(signatureValid(completed!, secret)).toBe(true);
    expect(signatureValid(completed!, `${secret}x`)).toBe(false);

    expect((await call(server, 'POST', `/v1/esims/${first}/emergency-control`, { action: 'suspend' })).status).toBe(
      200,
    );
    expect(
      (await call(server, 'PUT', `/v1/sandbox/esims/${first}/data-usage`, [{ day: '2026-11-01', usage: '2048' }]))
        .status,
    ).toBe(200);
    const received = await hooks.waitFor((r) => r.length === 3);
    const suspended = received[1]!;
    expect(suspended.event.type).toBe('esim.status_changed');
    expect(suspended.event.data.iccid).toBe(first);
    expect(suspended.event.data.previous).toEqual({
      contractStatus: 'ACTIVE',
      profileProvisionStatus: 'AVAILABLE',
      profileInstallStatus: 'READY',
      isServiceRestricted: false,
    });
    expect(suspended.event.data.current).toEqual({
      contractStatus: 'SUSPENDED',
      profileProvisionStatus: 'AVAILABLE',
      profileInstallStatus: 'READY',
      isServiceRestricted: true,
    });
    expect((suspended.event.data.esim as { contractStatus: string }).contractStatus).toBe('SUSPENDED');
    expect(suspended.event.createdAt).toBe((suspended.event.data.esim as { lastUpdatedAt: string }).lastUpdatedAt);
    const usage = received[2]!;
    expect(usage.event.type).toBe('esim.usage_updated');
    expect(usage.event.data).toMatchObject({ iccid: first, previousTotalDataUsage: 0, totalDataUsage: 2048 });
    for (const webhook of received) expect(signatureValid(webhook, secret)).toBe(true);
    expect(new Set(received.map((r) => r.event.id)).size).toBe(3);
    // What came over the wire is what the server's own document declares under `webhooks`.
    const document = (await (await fetch(`${server.baseUrl}/openapi.json`)).json()) as OpenApiDocument;
    for (const webhook of received)
      expect(() => assertDeliveryMatchesContract(document, webhook.headers, webhook.body)).not.toThrow();

    // The clock passes the untouched eSIM's activation deadline: the change is announced at
    // the advance, stamped with the instant the rule took effect.
    expect((await call(server, 'POST', '/v1/sandbox/clock/advance', { days: 400 })).status).toBe(200);
    const clockEvents = ofType('esim.status_changed')(
      await hooks.waitFor((r) => ofType('esim.status_changed')(r).some((w) => w.event.data.iccid === second)),
    );
    const expired = clockEvents.find((w) => w.event.data.iccid === second)!;
    expect(expired.event.data.current).toMatchObject({
      contractStatus: 'TERMINATED',
      profileProvisionStatus: 'CANCELED',
    });
    expect(expired.event.createdAt).toBe(order.body.esims[1].activationDeadline);
  });
});

describe('retries', () => {
  it('sends the event again after a 500, and the delivery log shows both attempts', async () => {
    const hooks = await receiver();
    hooks.respond = (_request, n) => (n === 1 ? 500 : 200);
    const server = await serve(newEnv());
    await call(server, 'PUT', '/v1/sandbox/webhook', { url: hooks.url, events: ['order.completed'] });
    const order = await call(server, 'POST', '/v1/orders', { planCode: 'KD0001', quantity: 1 });
    const received = await hooks.waitFor((r) => r.length === 2);
    expect(received[0]!.event.id).toBe(received[1]!.event.id);
    expect(received[1]!.body).toBe(received[0]!.body);
    expect(received.map((r) => r.headers['sandbox-delivery-attempt'])).toEqual(['1', '2']);
    expect(received[1]!.event.data.transactionId).toBe(order.body.transactionId);

    let log: Reply;
    do log = await call(server, 'GET', '/v1/sandbox/webhook/deliveries');
    while (log.body.items[0].status === 'pending');
    expect(log.status).toBe(200);
    const [delivery] = log.body.items;
    expect(delivery).toMatchObject({
      eventId: received[0]!.event.id,
      eventType: 'order.completed',
      iccid: null,
      status: 'succeeded',
      nextAttemptAt: null,
    });
    expect(delivery.attempts.map((a: { attempt: number; statusCode: number }) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 200],
    ]);
    expect(delivery.attempts[0].url).toBe(hooks.url);
    expect(Date.parse(delivery.attempts[1].startedAt)).toBeGreaterThan(Date.parse(delivery.attempts[0].startedAt));

    // A redelivery sends the same event (same id, same bytes) once more, as a new delivery.
    const redelivered = await call(server, 'POST', `/v1/sandbox/webhook/deliveries/${delivery.id}/redeliver`);
    expect(redelivered.status).toBe(202);
    expect(redelivered.body).toMatchObject({
      eventId: delivery.eventId,
      redeliveryOf: delivery.id,
      status: 'pending',
      attempts: [],
    });
    const again = await hooks.waitFor((r) => r.length === 3);
    expect(again[2]!.body).toBe(received[0]!.body);
    expect(again[2]!.headers['sandbox-delivery-id']).toBe(redelivered.body.id);
  });

  it("delivers one eSIM's events in order: a later event waits while an earlier one is retried", async () => {
    const hooks = await receiver();
    const server = await serve(newEnv({ WEBHOOK_BACKOFF_MS: '300' }));
    await call(server, 'PUT', '/v1/sandbox/webhook', { url: hooks.url, events: ['esim.status_changed'] });
    const order = await call(server, 'POST', '/v1/orders', { planCode: 'KD0001', quantity: 1 });
    const iccid: string = order.body.esims[0].iccid;
    // The first delivery (the suspension) fails twice; the release is committed meanwhile.
    hooks.respond = (_request, n) => (n <= 2 ? 503 : 200);
    expect((await call(server, 'POST', `/v1/esims/${iccid}/emergency-control`, { action: 'suspend' })).status).toBe(
      200,
    );
    expect((await call(server, 'POST', `/v1/esims/${iccid}/emergency-control`, { action: 'release' })).status).toBe(
      200,
    );
    const received = await hooks.waitFor((r) => r.length === 4);
    expect(received.map((r) => (r.event.data.current as { contractStatus: string }).contractStatus)).toEqual([
      'SUSPENDED',
      'SUSPENDED',
      'SUSPENDED',
      'ACTIVE',
    ]);
    expect(received.map((r) => r.headers['sandbox-delivery-attempt'])).toEqual(['1', '2', '3', '1']);
  });
});

describe("an order's events", () => {
  it("deliver its eSIMs' events after its order.completed, even while that one is retried", async () => {
    const hooks = await receiver();
    let failed = false;
    hooks.respond = (request) => {
      if (request.event.type !== 'order.completed' || failed) return 200;
      failed = true;
      return 500;
    };
    const server = await serve(newEnv({ WEBHOOK_BACKOFF_MS: '300' }));
    await call(server, 'PUT', '/v1/sandbox/webhook', { url: hooks.url });
    const order = await call(server, 'POST', '/v1/orders', { planCode: 'KD0001', quantity: 1 });
    const iccid: string = order.body.esims[0].iccid;
    expect((await call(server, 'POST', `/v1/sandbox/esims/${iccid}/events`, { event: 'download' })).status).toBe(200);
    const received = await hooks.waitFor((r) => r.length === 3);
    expect(received.map((r) => [r.event.type, r.headers['sandbox-delivery-attempt']])).toEqual([
      ['order.completed', '1'],
      ['order.completed', '2'],
      ['esim.status_changed', '1'],
    ]);
  });
});

describe('durability', () => {
  it('delivers an event committed before the server was killed, once a restarted server runs', async () => {
    // A port that refuses connections for now: the first attempt fails, the event waits in the outbox.
    const probe = await startReceiver();
    const port = probe.port;
    await probe.close();
    const env = newEnv({ WEBHOOK_BACKOFF_MS: '400' });
    const first = await serve(env);
    await call(first, 'PUT', '/v1/sandbox/webhook', {
      url: `http://127.0.0.1:${port}/hooks`,
      events: ['order.completed'],
    });
    const order = await call(first, 'POST', '/v1/orders', { planCode: 'KD0001', quantity: 3 });
    expect(order.status).toBe(201);
    let log: Reply;
    do log = await call(first, 'GET', '/v1/sandbox/webhook/deliveries');
    while (log.body.items[0].attempts.length === 0);
    expect(log.body.items[0].attempts[0]).toMatchObject({ statusCode: null, error: 'connection refused' });
    first.child.kill('SIGKILL');
    await first.stop();

    const hooks = await receiver(port);
    const restarted = await serve(env);
    const [delivered] = await hooks.waitFor((r) => r.length >= 1);
    expect(delivered!.event.data.transactionId).toBe(order.body.transactionId);
    expect(delivered!.event.data.iccids).toEqual(order.body.esims.map((esim: { iccid: string }) => esim.iccid));
    expect(Number(delivered!.headers['sandbox-delivery-attempt'])).toBeGreaterThanOrEqual(2);
    expect(restarted.baseUrl).not.toBe('');
  });
});

describe('shutdown', () => {
  it('records an attempt cut short by SIGTERM, and the next start sends the event again', async () => {
    // A receiver that holds its first request open (no answer) and answers the others at once.
    const { createServer } = await import('node:http');
    const held: (() => void)[] = [];
    const bodies: string[] = [];
    const holder = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        bodies.push(body);
        if (bodies.length === 1) held.push(() => response.end());
        else response.end();
      });
    });
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(holder.address() as { port: number }).port}/hooks`;
    try {
      const env = newEnv();
      const first = await serve(env);
      await call(first, 'PUT', '/v1/sandbox/webhook', { url, events: ['order.completed'] });
      const order = await call(first, 'POST', '/v1/orders', { planCode: 'KD0001', quantity: 1 });
      while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await first.stop()).toEqual({ code: 0, signal: null });

      const restarted = await serve(env);
      let log: Reply;
      do log = await call(restarted, 'GET', '/v1/sandbox/webhook/deliveries');
      while (log.body.items[0].status === 'pending');
      expect(bodies).toHaveLength(2);
      expect(bodies[1]).toBe(bodies[0]);
      expect(JSON.parse(bodies[1]!).data.transactionId).toBe(order.body.transactionId);
      const [delivery] = log.body.items;
      expect(delivery.status).toBe('succeeded');
      expect(
        delivery.attempts.map((a: { attempt: number; statusCode: number | null }) => [a.attempt, a.statusCode]),
      ).toEqual([
        [1, null],
        [2, 200],
      ]);
      expect(delivery.attempts[0].error).toMatch(/shut down during the attempt/);
    } finally {
      for (const end of held) end();
      holder.closeAllConnections();
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});

describe('several instances on one database', () => {
  it('deliver each event exactly once between them', async () => {
    const hooks = await receiver();
    const env = newEnv();
    const a = await serve(env);
    const b = await serve(env);
    await call(a, 'PUT', '/v1/sandbox/webhook', { url: hooks.url, events: ['order.completed'] });
    const orders = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(i % 2 === 0 ? a : b, 'POST', '/v1/orders', { planCode: 'KD0001', quantity: 1 }),
      ),
    );
    expect(orders.map((o) => o.status)).toEqual(Array(20).fill(201));
    await hooks.waitFor((r) => r.length >= 20);
    // Anything still in flight would arrive within a few polls: give it the chance.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sent = hooks.received.map((r) => r.event.data.transactionId).sort();
    expect(sent).toEqual(orders.map((o) => o.body.transactionId).sort());
    expect(hooks.received.every((r) => r.headers['sandbox-delivery-attempt'] === '1')).toBe(true);
  });
});

describe('WEBHOOK_ALLOW_PRIVATE=false', () => {
  it('refuses loopback, private and link-local destinations at registration, after resolving names', async () => {
    const server = await serve(newEnv({ WEBHOOK_ALLOW_PRIVATE: 'false' }));
    const cases: [string, RegExp][] = [
      ['http://127.0.0.1:9/hooks', /127\.0\.0\.1 is a loopback address/],
      ['http://localhost:9/hooks', /localhost resolves to (127\.0\.0\.1|::1), which is a loopback address/],
      ['http://10.20.30.40/hooks', /private address/],
      ['http://192.168.1.10/hooks', /private address/],
      ['http://169.254.169.254/latest/meta-data', /link-local address/],
      ['http://[::1]:9/hooks', /loopback address/],
      ['http://[fe80::1]/hooks', /link-local address/],
      ['http://[::ffff:127.0.0.1]/hooks', /loopback address/],
    ];
    for (const [url, message] of cases) {
      const res = await call(server, 'PUT', '/v1/sandbox/webhook', { url });
      expect(res.status, url).toBe(400);
      expect(res.body.code).toBe('VALIDATION_ERROR');
      expect(res.body.errors[0].path).toBe('body.url');
      expect(res.body.errors[0].message, url).toMatch(message);
    }
    expect((await call(server, 'GET', '/v1/sandbox/webhook')).status).toBe(404);
  });

  it('refuses them at delivery too: an endpoint registered while allowed gets nothing once refused', async () => {
    const hooks = await receiver();
    const env = newEnv();
    const open = await serve(env);
    expect((await call(open, 'PUT', '/v1/sandbox/webhook', { url: hooks.url })).status).toBe(201);
    await open.stop();
    const shared = await serve({ ...env, WEBHOOK_ALLOW_PRIVATE: 'false' });
    expect((await call(shared, 'POST', '/v1/orders', { planCode: 'KD0001', quantity: 1 })).status).toBe(201);
    let log: Reply;
    do log = await call(shared, 'GET', '/v1/sandbox/webhook/deliveries');
    while (log.body.items[0].attempts.length < 2);
    expect(log.body.items[0].attempts[0]).toMatchObject({ statusCode: null, url: hooks.url });
    expect(log.body.items[0].attempts[0].error).toMatch(
      /127\.0\.0\.1 is a loopback address; refused because WEBHOOK_ALLOW_PRIVATE=false/,
    );
    expect(hooks.received).toEqual([]);
  });
});
