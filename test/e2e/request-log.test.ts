/**
 * End to end over real HTTP against two `node dist/server.js` processes on one database (a
 * SQLite file, or with TEST_DATABASE_URL one PostgreSQL schema): an integration session on
 * instance A (an order with an Idempotency-Key and its replay, a suspend whose response is
 * dropped by `Sandbox-Fault: drop-response`, a release, a 400, a 429 with limits on, a webhook
 * endpoint with its secret) read back field by field from instance B's request log and live
 * stream; Last-Event-ID resume; the 6th stream refused; isolation from a second reseller; no
 * API key and no signing secret anywhere in the database; shutdown with a stream open.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../helpers/database.js';
import { callApi, type CallOptions, type Reply } from '../helpers/call.js';
import { openServerDatabase, startServer, type ServerProcess } from '../helpers/server-process.js';
import { openSse, type SseStream } from '../helpers/sse.js';
import { startReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const KEY = 'acme-e2e-reqlog-key-0001';
const OTHER_KEY = 'globex-e2e-reqlog-key-0002';
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let dir: string;
let dbUrl: string;
let a: ServerProcess;
let b: ServerProcess;
let hooks: WebhookReceiver;
let live: SseStream;

function call(server: ServerProcess, method: string, path: string, options: Partial<CallOptions> = {}): Promise<Reply> {
  return callApi(server.baseUrl, method, path, { key: KEY, ...options });
}

/** The entry of a request id as instance B reads it, polled for at most `withinMs`. */
async function entryOf(requestId: string, withinMs = 1_000): Promise<any> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const page = await call(b, 'GET', `/v1/sandbox/requests?requestId=${requestId}`);
    expect(page.status).toBe(200);
    if (page.body.items.length > 0) return page.body.items[0];
    if (Date.now() > deadline) throw new Error(`no entry for ${requestId} on the other instance within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const masked = (key: string) => `Bearer …${key.slice(-4)}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'esim-sandbox-reqlog-'));
  dbUrl = `sqlite:${join(dir, 'sandbox.db')}`;
  hooks = await startReceiver();
  const env = { DATABASE_URL: dbUrl, SANDBOX_API_KEYS: `acme:${KEY},globex:${OTHER_KEY}`, RATE_LIMITS: 'on' };
  a = await startServer({ env });
  b = await startServer({ env });
  live = await openSse(b.baseUrl, KEY);
});

afterAll(async () => {
  live?.close();
  await Promise.all([a?.stop(), b?.stop()]);
  await hooks?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('an integration session, read back from the other instance', () => {
  const ids: Record<string, any> = {};
  let order: any;
  let iccid: string;
  let secret: string;
  let started: number;

  it('runs the session on instance A', async () => {
    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    started = Date.now();
    const orderBody = { planCode: 'KD0001', quantity: 2 };
    const key = { 'idempotency-key': 'reqlog-e2e-order' };
    const first = await call(a, 'POST', '/v1/orders', { body: orderBody, headers: key, requestId: 's-order' });
    expect(first.status).toBe(201);
    order = first.body;
    iccid = order.esims[0].iccid;
    const replay = await call(a, 'POST', '/v1/orders', { body: orderBody, headers: key, requestId: 's-replay' });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    // The suspend commits, and its response is dropped: fetch sees the connection close.
    await expect(
      fetch(`${a.baseUrl}/v1/esims/${iccid}/emergency-control`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${KEY}`,
          'content-type': 'application/json',
          'sandbox-fault': 'drop-response',
          'x-request-id': 's-drop',
        },
        body: JSON.stringify({ action: 'suspend' }),
      }),
    ).rejects.toThrow();
    expect(
      (
        await call(a, 'POST', `/v1/esims/${iccid}/emergency-control`, {
          body: { action: 'release' },
          requestId: 's-release',
        })
      ).status,
    ).toBe(200);
    expect(
      (await call(a, 'POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 0 }, requestId: 's-400' })).status,
    ).toBe(400);
    // GET /v1/orders/{transactionId} allows 10 a minute: the 11th is a 429.
    for (let i = 1; i <= 10; i++)
      expect((await call(a, 'GET', `/v1/orders/${order.transactionId}`, { requestId: `s-read-${i}` })).status).toBe(
        200,
      );
    expect((await call(a, 'GET', `/v1/orders/${order.transactionId}`, { requestId: 's-429' })).status).toBe(429);
    const put = await call(a, 'PUT', '/v1/sandbox/webhook', { body: { url: hooks.url }, requestId: 's-webhook' });
    expect(put.status).toBe(201);
    secret = put.body.secret;
    expect(secret.length).toBeGreaterThan(20);
    expect((await call(a, 'GET', '/v1/sandbox/webhook', { requestId: 's-webhook-get' })).body.secret).toBe(secret);
    // With the endpoint registered, a change is delivered: its attempt shows in the stream.
    expect(
      (
        await call(a, 'POST', `/v1/esims/${iccid}/emergency-control`, {
          body: { action: 'suspend' },
          requestId: 's-suspend',
        })
      ).status,
    ).toBe(200);
    for (const id of ['s-order', 's-replay', 's-drop', 's-release', 's-400', 's-429', 's-webhook', 's-webhook-get'])
      ids[id] = await entryOf(id);
  });

  it('logged the order field by field', () => {
    const entry = ids['s-order'];
    expect(entry).toEqual({
      id: expect.stringMatching(/^[1-9][0-9]*$/),
      requestId: 's-order',
      receivedAt: expect.stringMatching(ISO_MS),
      sandboxTime: entry.receivedAt,
      method: 'POST',
      path: '/v1/orders',
      query: {},
      operationId: 'orderEsims',
      status: 201,
      durationMs: expect.any(Number),
      idempotencyKey: 'reqlog-e2e-order',
      idempotentReplayed: false,
      fault: null,
      problemCode: null,
      requestHeaders: expect.objectContaining({
        authorization: masked(KEY),
        'content-type': 'application/json',
        'idempotency-key': 'reqlog-e2e-order',
        'x-request-id': 's-order',
      }),
      requestBody: { planCode: 'KD0001', quantity: 2 },
      responseHeaders: expect.objectContaining({
        'content-type': 'application/json; charset=utf-8',
        'x-request-id': 's-order',
        'x-ratelimit-limit': '10',
      }),
      responseBody: order,
      truncated: { request: false, response: false },
      iccids: order.esims.map((e: any) => e.iccid),
      transactionId: order.transactionId,
    });
    expect(Date.parse(entry.receivedAt)).toBeGreaterThanOrEqual(started - 5);
    expect(entry.durationMs).toBeGreaterThan(0);
  });

  it('logged the replay, the dropped suspend as committed, the release, the 400 and the 429', () => {
    const replay = ids['s-replay'];
    expect(replay).toMatchObject({
      status: 201,
      idempotencyKey: 'reqlog-e2e-order',
      idempotentReplayed: true,
      responseBody: order,
      transactionId: order.transactionId,
    });
    expect(replay.responseHeaders['idempotent-replayed']).toBe('true');
    expect(Number(replay.id)).toBeGreaterThan(Number(ids['s-order'].id));

    expect(ids['s-drop']).toMatchObject({
      method: 'POST',
      path: `/v1/esims/${iccid}/emergency-control`,
      operationId: 'emergencyControl',
      status: 200,
      fault: 'drop-response',
      problemCode: null,
      requestBody: { action: 'suspend' },
      responseBody: { iccid, contractStatus: 'SUSPENDED', isServiceRestricted: true },
      iccids: [iccid],
    });
    expect(ids['s-drop'].requestHeaders['sandbox-fault']).toBe('drop-response');
    expect(ids['s-release']).toMatchObject({
      status: 200,
      fault: null,
      responseBody: { iccid, contractStatus: 'ACTIVE', isServiceRestricted: false },
    });
    expect(ids['s-400']).toMatchObject({
      status: 400,
      problemCode: 'VALIDATION_ERROR',
      requestBody: { planCode: 'KD0001', quantity: 0 },
      responseBody: { status: 400, code: 'VALIDATION_ERROR', requestId: 's-400' },
      iccids: [],
      transactionId: null,
    });
    expect(ids['s-429']).toMatchObject({
      method: 'GET',
      path: `/v1/orders/${order.transactionId}`,
      operationId: 'getOrderIccids',
      status: 429,
      problemCode: 'RATE_LIMITED',
      transactionId: order.transactionId,
      requestBody: null,
    });
    expect(ids['s-429'].responseHeaders['retry-after']).toMatch(/^\d+$/);
  });

  it('keeps the signing secret out of the log: "[redacted]" in the PUT and GET answers', () => {
    expect(ids['s-webhook'].responseBody).toMatchObject({ url: hooks.url, secret: '[redacted]' });
    expect(ids['s-webhook-get'].responseBody).toMatchObject({ url: hooks.url, secret: '[redacted]' });
  });

  it('filters by status class and code, method, operationId, iccid, transactionId, idempotencyKey, since', async () => {
    const list = async (query: string) => {
      const page = await call(b, 'GET', `/v1/sandbox/requests?limit=100&${query}`);
      expect(page.status).toBe(200);
      return (page.body.items as any[]).map((e) => e.requestId);
    };
    expect(await list('status=4xx')).toEqual(['s-429', 's-400']);
    expect(await list('status=429')).toEqual(['s-429']);
    expect(await list('method=post&operationId=emergencyControl')).toEqual(['s-suspend', 's-release', 's-drop']);
    // The order's reads list its ICCIDs too.
    expect(await list(`iccid=${order.esims[1].iccid}`)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `s-read-${10 - i}`),
      's-replay',
      's-order',
    ]);
    expect(await list('idempotencyKey=reqlog-e2e-order')).toEqual(['s-replay', 's-order']);
    expect((await list(`transactionId=${order.transactionId}`)).slice(-3)).toEqual(['s-read-1', 's-replay', 's-order']);
    expect(await list(`since=${encodeURIComponent(ids['s-webhook'].receivedAt)}`)).toEqual([
      's-suspend',
      's-webhook-get',
      's-webhook',
    ]);
    const bad = await call(b, 'GET', '/v1/sandbox/requests?status=4x');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('query.status');
  });

  it('pages newest first with cursors, never repeating or skipping while entries arrive', async () => {
    const all = (await call(b, 'GET', '/v1/sandbox/requests?limit=100')).body.items.map((e: any) => e.id);
    expect(all.length).toBe(19);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Reply = await call(b, 'GET', `/v1/sandbox/requests?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items.map((e: any) => e.id));
      cursor = page.body.nextCursor;
      // An entry arriving meanwhile is newer than the first page: never on a later one.
      if (seen.length === 4) await call(a, 'GET', '/v1/sandbox/clock', { requestId: 's-during-paging' });
    } while (cursor !== null);
    expect(seen).toEqual(all);
  });

  it('leaves the inspection reads out of the log', async () => {
    await call(a, 'GET', `/v1/sandbox/esims/${iccid}/history`, { requestId: 's-history' });
    await call(a, 'GET', '/v1/sandbox/orders', { requestId: 's-orders' });
    await call(a, 'GET', '/v1/sandbox/esims', { requestId: 's-esims' });
    await call(a, 'GET', `/v1/sandbox/requests/${ids['s-order'].id}`, { requestId: 's-one' });
    await entryOf('s-during-paging');
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const id of ['s-history', 's-orders', 's-esims', 's-one'])
      expect((await call(b, 'GET', `/v1/sandbox/requests?requestId=${id}`)).body.items).toEqual([]);
  });

  it('reads one entry by id; another reseller gets 404 and an empty log', async () => {
    const one = await call(b, 'GET', `/v1/sandbox/requests/${ids['s-order'].id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(ids['s-order']);
    const theirs = await call(b, 'GET', `/v1/sandbox/requests/${ids['s-order'].id}`, { key: OTHER_KEY });
    expect(theirs.status).toBe(404);
    expect(theirs.body).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(theirs.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect((await call(b, 'GET', '/v1/sandbox/requests', { key: OTHER_KEY })).body).toEqual({
      items: [],
      nextCursor: null,
    });
    expect((await call(b, 'GET', `/v1/sandbox/requests?iccid=${iccid}`, { key: OTHER_KEY })).body.items).toEqual([]);
  });

  it("streamed instance A's requests, changes, events and attempts to instance B's stream", async () => {
    const events = await live.waitFor(
      (list) =>
        list.some((e) => e.event === 'request' && e.data.requestId === 's-suspend') &&
        list.some((e) => e.event === 'webhook.attempt'),
      10_000,
    );
    const requests = events.filter((e) => e.event === 'request').map((e) => e.data.requestId);
    expect(requests.slice(0, 4)).toEqual(['s-order', 's-replay', 's-drop', 's-release']);
    const orderEvent = events.find((e) => e.event === 'request' && e.data.requestId === 's-order')!;
    const { requestBody: _q, responseBody: _r, ...summary } = ids['s-order'];
    expect(orderEvent.data).toEqual(summary);
    expect('requestBody' in orderEvent.data).toBe(false);

    const changes = events.filter((e) => e.event === 'esim.changed' && e.data.iccid === iccid);
    expect(changes.map((e) => e.data.cause)).toEqual([
      { type: 'order' },
      { type: 'emergency_control', action: 'suspend' },
      { type: 'emergency_control', action: 'release' },
      { type: 'emergency_control', action: 'suspend' },
    ]);
    expect(changes[1]!.data.requestId).toBe('s-drop');
    expect(changes[1]!.data.changes).toContainEqual({ field: 'contractStatus', from: 'ACTIVE', to: 'SUSPENDED' });

    // order.completed was generated with no endpoint registered: recorded all the same.
    const completed = events.find((e) => e.event === 'webhook.event' && e.data.type === 'order.completed')!;
    expect(completed.data.payload).toMatchObject({
      type: 'order.completed',
      data: { transactionId: order.transactionId },
    });
    expect(completed.data.payload.id).toBe(completed.data.id);

    const delivered = await hooks.waitFor((list) => list.length >= 1);
    const attempt = events.find((e) => e.event === 'webhook.attempt')!;
    expect(attempt.data).toMatchObject({
      eventId: delivered[0]!.event.id,
      eventType: 'esim.status_changed',
      iccid,
      attempt: 1,
      statusCode: 200,
      error: null,
    });
    const sent = events.find((e) => e.event === 'webhook.event' && e.data.id === delivered[0]!.event.id)!;
    expect(JSON.stringify(sent.data.payload)).toBe(delivered[0]!.body);
    // Every id is a position that only grows.
    for (const event of events) expect(event.id).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('resumes with Last-Event-ID: what happened while disconnected, nothing before', async () => {
    const first = await openSse(b.baseUrl, KEY, { query: 'types=request' });
    await call(a, 'GET', '/v1/sandbox/clock', { requestId: 's-before-cut' });
    const [before] = await first.waitFor((list) => list.some((e) => e.data.requestId === 's-before-cut'));
    first.close();
    await call(a, 'GET', '/v1/sandbox/clock', { requestId: 's-missed-1' });
    await call(a, 'GET', `/v1/esims/${iccid}`, { requestId: 's-missed-2' });
    await entryOf('s-missed-2');
    const resumed = await openSse(a.baseUrl, KEY, { query: 'types=request', lastEventId: before!.id! });
    const got = await resumed.waitFor((list) => list.length >= 2);
    expect(got.map((e) => e.data.requestId)).toEqual(['s-missed-1', 's-missed-2']);
    expect(got[1]!.data.iccids).toEqual([iccid]);
    resumed.close();
    const wrong = await openSse(a.baseUrl, KEY, { lastEventId: 'not-a-position' });
    expect(wrong.status).toBe(400);
    expect(wrong.refusal.errors[0].path).toBe('header.last-event-id');
  });

  it('filters the stream by iccid and type, and never shows another reseller anything', async () => {
    const mine = await openSse(b.baseUrl, KEY, { query: `types=esim.changed,request&iccid=${order.esims[1].iccid}` });
    const theirs = await openSse(b.baseUrl, OTHER_KEY);
    await call(a, 'POST', `/v1/esims/${iccid}/emergency-control`, {
      body: { action: 'release' },
      requestId: 's-other-esim',
    });
    await call(a, 'POST', `/v1/esims/${order.esims[1].iccid}/emergency-control`, {
      body: { action: 'suspend' },
      requestId: 's-second-esim',
    });
    const got = await mine.waitFor((list) => list.some((e) => e.event === 'request'));
    expect(got.map((e) => e.event).sort()).toEqual(['esim.changed', 'request']);
    expect(got.find((e) => e.event === 'request')!.data.requestId).toBe('s-second-esim');
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(theirs.events).toEqual([]);
    mine.close();
    theirs.close();
  });

  it('refuses the 6th open stream of a key with a 429 problem, counting the streams of both instances', async () => {
    // The streams the tests above closed give their leases back asynchronously.
    await new Promise((resolve) => setTimeout(resolve, 300));
    // `live`, on instance B, is the key's first; four more on A make five.
    const open = [];
    for (let i = 0; i < 4; i++) open.push(await openSse(a.baseUrl, KEY));
    expect(open.map((s) => s.status)).toEqual([200, 200, 200, 200]);
    for (const server of [a, b]) {
      const sixth = await openSse(server.baseUrl, KEY);
      expect(sixth.status).toBe(429);
      expect(sixth.refusal).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
      expect(sixth.refusal.detail).toContain('at most 5 streams');
    }
    const other = await openSse(b.baseUrl, OTHER_KEY);
    expect(other.status).toBe(200);
    open[0]!.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // A's closed stream freed a place that B sees.
    const again = await openSse(b.baseUrl, KEY);
    expect(again.status).toBe(200);
    for (const s of [...open, again, other]) s.close();
  });

  it('stores no API key and no signing secret in any table: the endpoint keeps its secret sealed (AES-256-GCM)', () => {
    const db = openServerDatabase(dbUrl);
    try {
      const tables = testDatabaseUrl()
        ? (db
            .prepare('select table_name as name from information_schema.tables where table_schema = current_schema()')
            .all() as { name: string }[])
        : (db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]);
      expect(tables.map((t) => t.name)).toEqual(
        expect.arrayContaining(['request_log', 'request_log_iccids', 'webhook_events']),
      );
      for (const { name } of tables) {
        const rows = db.prepare(`select * from "${name}"`).all() as Record<string, unknown>[];
        for (const row of rows) {
          const text = JSON.stringify(row);
          for (const needle of [KEY, OTHER_KEY, secret])
            expect(text.includes(needle), `${name}: ${needle}`).toBe(false);
        }
      }
      expect(db.prepare('select count(*) as n from request_log').get()).toEqual({ n: expect.any(Number) });
      const stored = db.prepare('select secret from webhook_endpoints').all() as { secret: string }[];
      expect(stored.map((row) => /^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/.test(row.secret))).toEqual([true]);
    } finally {
      db.close();
    }
    if (!testDatabaseUrl()) {
      // The file's bytes too (and the WAL's): neither key is anywhere, not even in free pages.
      for (const file of readdirSync(dir).filter((f) => f.startsWith('sandbox.db'))) {
        const bytes = readFileSync(join(dir, file));
        for (const needle of [KEY, OTHER_KEY, secret]) expect(bytes.includes(needle), `${file}: ${needle}`).toBe(false);
      }
    }
  });

  it('ends an open stream on SIGTERM and exits 0 without waiting for the client', async () => {
    // A server of its own, and a plain node:http client: fetch's pool may hold spare
    // connections that never send a request, which any server waits out on close.
    const server = await startServer({ env: { SANDBOX_API_KEYS: `acme:${KEY}` } });
    const { status, ended } = await new Promise<{ status: number; ended: Promise<string> }>((resolve, reject) => {
      const request = get(
        `${server.baseUrl}/v1/sandbox/stream`,
        { headers: { authorization: `Bearer ${KEY}` } },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          resolve({ status: res.statusCode!, ended: new Promise((done) => res.on('close', () => done(text))) });
        },
      );
      request.on('error', reject);
    });
    expect(status).toBe(200);
    const exit = await server.stop();
    expect(exit, server.output().slice(-2000)).toEqual({ code: 0, signal: null });
    expect(await ended).toBe(': connected\n\n');
    const closed = server.logs().find((line) => line.msg.startsWith('closed in'));
    expect(Number(/closed in (\d+) ms/.exec(closed!.msg)![1])).toBeLessThan(2_000);
  });
});
