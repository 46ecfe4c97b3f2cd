/**
 * Sandbox-Fault over real HTTP against `node dist/server.js` (issue 6), watched on the wire
 * with raw TCP sockets: drop-response commits the order and closes the connection with zero
 * bytes sent; truncate-response sends the status line, the headers (Content-Length of the
 * whole body) and the first bytes of the body, from which the transactionId reconciles the
 * order; delay=<ms> answers the whole response late; the same process serves on, logs one
 * info line per cut response and no warning or error, and a SIGTERM sends a delayed
 * response at once instead of waiting it out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRawResponse } from '../helpers/raw-http.js';
import { openServerDatabase, startServer, type ServerProcess } from '../helpers/server-process.js';

const KEY = 'acme-e2e-faults-0001';

interface Wire {
  /** Every byte the server sent before the connection closed. */
  bytes: Buffer;
  /** The socket error the client saw, if any (ECONNRESET). */
  error?: string;
}

/** The text of one HTTP/1.1 request with the test's API key, `headers`, and a JSON `body` if given. */
function requestText(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): string {
  const payload = body === undefined ? '' : JSON.stringify(body);
  const lines = [
    `${method} ${path} HTTP/1.1`,
    `Host: ${new URL(baseUrl).host}`,
    ...Object.entries({ Authorization: `Bearer ${KEY}`, ...headers }).map(([name, value]) => `${name}: ${value}`),
    ...(body === undefined ? [] : ['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(payload)}`]),
  ];
  return `${lines.join('\r\n')}\r\n\r\n${payload}`;
}

/**
 * Writes `text` on a fresh TCP connection and collects every byte until the connection
 * closes: by the server, or here after `closeAfterMs` when given (a connection the server
 * keeps alive). Socket errors are kept, not thrown: a fault may reset the connection.
 */
function collect(baseUrl: string, text: string, closeAfterMs?: number): Promise<Wire> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let error: string | undefined;
    // write, not end: a half-closed client makes Node's server abort the request and end the connection.
    const socket = net.connect(Number(port), hostname, () => socket.write(text));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    const timer = closeAfterMs === undefined ? undefined : setTimeout(() => socket.destroy(), closeAfterMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ bytes: Buffer.concat(chunks), ...(error ? { error } : {}) });
    });
  });
}

/**
 * Sends one keep-alive request carrying `Sandbox-Fault: fault` and collects every byte until
 * the server closes the connection. Only for faults that close it: a keep-alive response
 * alone would leave it open.
 */
function rawRequest(
  server: ServerProcess,
  method: string,
  path: string,
  fault: string,
  body?: unknown,
  extra: Record<string, string> = {},
): Promise<Wire> {
  return collect(
    server.baseUrl,
    requestText(server.baseUrl, method, path, { Connection: 'keep-alive', 'Sandbox-Fault': fault, ...extra }, body),
  );
}

async function call(
  server: ServerProcess,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${KEY}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** The 14-digit sequence of a sandbox ICCID (`8900` + sequence + Luhn digit). */
const sequenceOf = (iccid: string) => Number(iccid.slice(4, 18));

let dir: string;
let databaseUrl: string;
let server: ServerProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'esim-sandbox-e2e-faults-'));
  databaseUrl = `sqlite:${join(dir, 'sandbox.db')}`;
  server = await startServer({
    // SECRETS_KEY set: on PostgreSQL its absence is a start-up warning of its own, and this
    // test counts the warnings.
    env: {
      DATABASE_URL: databaseUrl,
      SANDBOX_API_KEYS: `acme:${KEY}`,
      RATE_LIMITS: 'off',
      SECRETS_KEY: 'cd'.repeat(32),
    },
  });
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Sandbox-Fault on a real server', () => {
  it('drop-response: zero bytes and a closed connection, yet the order is stored', async () => {
    const wire = await rawRequest(server, 'POST', '/v1/orders', 'drop-response', { planCode: 'KD0001', quantity: 3 });
    expect(wire.bytes.length, wire.bytes.toString('latin1')).toBe(0);

    // The dropped order is in the database with its three eSIMs...
    const db = openServerDatabase(databaseUrl);
    let dropped: { transaction_id: string; quantity: number | string }[];
    let esims: { iccid: string }[];
    try {
      dropped = db.prepare('SELECT transaction_id, quantity FROM orders').all() as typeof dropped;
      esims = db.prepare('SELECT iccid FROM esims ORDER BY iccid').all() as typeof esims;
    } finally {
      db.close();
    }
    expect(dropped.map((o) => Number(o.quantity))).toEqual([3]);
    expect(esims.map((e) => sequenceOf(e.iccid))).toEqual([1, 2, 3]);
    // ... which reconciliation finds, and the next order's ICCIDs follow its three.
    const reconciled = await call(server, 'GET', `/v1/orders/${dropped[0]!.transaction_id}`);
    expect(reconciled).toEqual({
      status: 200,
      body: { transactionId: dropped[0]!.transaction_id, iccids: esims.map((e) => e.iccid) },
    });
    const next = await call(server, 'POST', '/v1/orders', { planCode: 'KD0001', quantity: 1 });
    expect(next.status).toBe(201);
    expect(sequenceOf(next.body.esims[0].iccid)).toBe(4);
  });

  it('truncate-response: 201, the full Content-Length, fewer body bytes, and the transactionId to reconcile with', async () => {
    const wire = await rawRequest(server, 'POST', '/v1/orders', 'truncate-response', {
      planCode: 'KD0001',
      quantity: 5,
    });
    const { statusLine, headers, body } = parseRawResponse(wire.bytes);
    expect(statusLine).toBe('HTTP/1.1 201 Created');
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
    expect(headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const length = Number(headers['content-length']);
    // Half the body, at least 100 bytes, never all of it.
    expect(body.length).toBe(Math.min(Math.max(Math.floor(length / 2), 100), length - 1));
    expect(body.length).toBeLessThan(length);

    const text = body.toString('utf8');
    const transactionId = /^\{"transactionId":"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"/.exec(
      text,
    )?.[1];
    expect(transactionId, text).toBeDefined();
    const reconciled = await call(server, 'GET', `/v1/orders/${transactionId}`);
    expect(reconciled.status).toBe(200);
    expect(reconciled.body.iccids).toHaveLength(5);
    // The ICCIDs the partial body shows are the first ones of the order, in its order.
    const seen = [...text.matchAll(/"iccid":"(\d{19})"/g)].map((m) => m[1]);
    expect(seen.length).toBeGreaterThan(0);
    expect(reconciled.body.iccids.slice(0, seen.length)).toEqual(seen);
  });

  it('delay=300: the whole response, at least 300 ms after the request', async () => {
    const started = Date.now();
    const res = await call(
      server,
      'POST',
      '/v1/orders',
      { planCode: 'KD0001', quantity: 2 },
      { 'sandbox-fault': 'delay=300' },
    );
    const elapsed = Date.now() - started;
    expect(res.status).toBe(201);
    expect(res.body.esims).toHaveLength(2);
    expect((await call(server, 'GET', `/v1/orders/${res.body.transactionId}`)).body.iccids).toEqual(
      res.body.esims.map((e: { iccid: string }) => e.iccid),
    );
    expect(elapsed).toBeGreaterThanOrEqual(300);
  });

  it('error=503 on the wire: the problem with Retry-After: 1', async () => {
    const response = await fetch(`${server.baseUrl}/v1/esims/8900000000000000011`, {
      headers: { authorization: `Bearer ${KEY}`, 'sandbox-fault': 'error=503' },
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(((await response.json()) as { code: string }).code).toBe('INJECTED_SERVICE_UNAVAILABLE');
  });

  it('the same process serves on: health, a normal order on a kept-alive connection, one info line per cut response, no warning', async () => {
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    const res = await call(server, 'POST', '/v1/orders', { planCode: 'KD0001', quantity: 1 });
    expect(res.status).toBe(201);
    expect(server.child.exitCode).toBeNull();

    const logs = server.logs();
    expect(logs.filter((l) => l.msg.startsWith('Sandbox-Fault: drop-response:')).map((l) => [l.level, l.msg])).toEqual([
      [30, 'Sandbox-Fault: drop-response: the 201 response was not sent; connection closed'],
    ]);
    const truncated = logs.filter((l) => l.msg.startsWith('Sandbox-Fault: truncate-response:'));
    expect(truncated).toHaveLength(1);
    expect(truncated[0]!.msg).toMatch(
      /^Sandbox-Fault: truncate-response: sent the 201 status line, headers and \d+ of \d+ body bytes; connection closed$/,
    );
    expect(logs.filter((l) => l.level >= 40).map((l) => l.msg)).toEqual(['RATE_LIMITS=off: rate limits are disabled']);
    expect(server.stderr()).toBe('');

    const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
    expect(metrics).toContain('sandbox_faults_injected_total{fault="drop-response"} 1\n');
    expect(metrics).toContain('sandbox_faults_injected_total{fault="truncate-response"} 1\n');
    // The dropped and truncated orders were created: they count as the 201s they were.
    expect(metrics).toContain('sandbox_orders_created_total 5\n');
  });

  it('SIGTERM sends a delayed response at once and exits 0', async () => {
    const delayed = call(server, 'GET', '/v1/sandbox/clock', undefined, { 'sandbox-fault': 'delay=30000' });
    const deadline = Date.now() + 5_000;
    const asked = () =>
      server
        .logs()
        .some(
          (l) => l.msg === 'incoming request' && (l.req as { url?: string } | undefined)?.url === '/v1/sandbox/clock',
        );
    while (!asked() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const exit = server.stop();
    const res = await delayed;
    expect(res.status).toBe(200);
    expect(res.body.offsetSeconds).toBe(0);
    expect(await exit).toEqual({ code: 0, signal: null });
  });
});

describe('a lost response, retried with the same Idempotency-Key (issue 6)', () => {
  // A server of its own: the one above is stopped by the SIGTERM test.
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({
      env: { DATABASE_URL: `sqlite:${join(dir, 'retries.db')}`, SANDBOX_API_KEYS: `acme:${KEY}`, RATE_LIMITS: 'off' },
    });
  });
  afterAll(async () => server?.stop());

  it('drop-response, then a retry: the same transactionId and ICCIDs, replayed, and no second order', async () => {
    const body = { planCode: 'KD0001', quantity: 2 };
    const key = { 'Idempotency-Key': 'lost-response-retry-0001' };
    const before = await call(server, 'POST', '/v1/orders', { planCode: 'KD0001', quantity: 1 });
    const lastSequence = sequenceOf(before.body.esims[0].iccid);

    const wire = await rawRequest(server, 'POST', '/v1/orders', 'drop-response', body, key);
    expect(wire.bytes.length).toBe(0);
    const response = await fetch(`${server.baseUrl}/v1/orders`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${KEY}`,
        'content-type': 'application/json',
        'idempotency-key': key['Idempotency-Key'],
      },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('idempotent-replayed')).toBe('true');
    const retried = (await response.json()) as { transactionId: string; esims: { iccid: string }[] };
    // The order the dropped response carried: allocated right after `before`, once.
    expect(retried.esims.map((esim) => sequenceOf(esim.iccid))).toEqual([lastSequence + 1, lastSequence + 2]);
    const reconciled = await call(server, 'GET', `/v1/orders/${retried.transactionId}`);
    expect(reconciled.body.iccids).toEqual(retried.esims.map((esim) => esim.iccid));
    const after = await call(server, 'POST', '/v1/orders', { planCode: 'KD0001', quantity: 1 });
    expect(sequenceOf(after.body.esims[0].iccid)).toBe(lastSequence + 3);
  });

  it('truncate-response, then a retry: the replay is the whole body the truncated one began', async () => {
    const body = { planCode: 'KD0001', quantity: 4 };
    const key = { 'Idempotency-Key': 'lost-response-retry-0002' };
    const wire = await rawRequest(server, 'POST', '/v1/orders', 'truncate-response', body, key);
    const cut = parseRawResponse(wire.bytes);
    const response = await fetch(`${server.baseUrl}/v1/orders`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${KEY}`,
        'content-type': 'application/json',
        'idempotency-key': key['Idempotency-Key'],
      },
      body: JSON.stringify(body),
    });
    const whole = Buffer.from(await response.arrayBuffer());
    expect(response.status).toBe(201);
    expect(whole.length).toBe(Number(cut.headers['content-length']));
    expect(whole.subarray(0, cut.body.length).equals(cut.body)).toBe(true);
  });

  it('error=503 with a key: nothing done and nothing stored, so the retry runs the order', async () => {
    const body = { planCode: 'KD0001', quantity: 1 };
    const headers = { 'idempotency-key': 'lost-response-retry-0003' };
    const refused = await call(server, 'POST', '/v1/orders', body, { ...headers, 'sandbox-fault': 'error=503' });
    expect(refused.status).toBe(503);
    const retried = await fetch(`${server.baseUrl}/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('a connection the fault ends (pipelined requests, empty bodies)', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({
      env: {
        DATABASE_URL: `sqlite:${join(dir, 'pipelining.db')}`,
        SANDBOX_API_KEYS: `acme:${KEY}`,
        RATE_LIMITS: 'off',
      },
    });
  });
  afterAll(async () => server?.stop());

  /** Writes `requests` in one go on one connection; the bytes received until it closes (here after 1 s if the server keeps it). */
  const pipeline = async (requests: string[]) =>
    (await collect(server.baseUrl, requests.join(''), 1000)).bytes.toString('latin1');
  const request = (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
    requestText(server.baseUrl, method, path, headers, body);
  const order = () => request('POST', '/v1/orders', {}, { planCode: 'KD0001', quantity: 1 });
  const nextSequence = async () => {
    const res = await call(server, 'POST', '/v1/orders', { planCode: 'KD0001', quantity: 1 });
    return sequenceOf(res.body.esims[0].iccid);
  };

  it.each(['drop-response', 'truncate-response'])(
    '%s: an order pipelined behind it is never processed (the connection ended first)',
    async (fault) => {
      const before = await nextSequence();
      const wire = await pipeline([request('GET', '/v1/sandbox/clock', { 'Sandbox-Fault': fault }), order()]);
      expect(wire).not.toContain('HTTP/1.1 201');
      await new Promise((resolve) => setTimeout(resolve, 300));
      // No ICCID was allocated between the two normal orders.
      expect(await nextSequence()).toBe(before + 1);
    },
  );

  it('a pipelined request behind a fault that did not apply (401) is answered', async () => {
    const unauthorized = request('GET', '/v1/sandbox/clock', {
      Authorization: 'Bearer not-a-key-123',
      'Sandbox-Fault': 'drop-response',
    });
    const wire = await pipeline([unauthorized, order()]);
    expect(wire).toMatch(/^HTTP\/1\.1 401 Unauthorized/);
    expect(wire).toContain('HTTP/1.1 201 Created');
  });

  it('truncate-response on a 204 sends it whole with Connection: close, and closes the connection', async () => {
    expect((await call(server, 'PUT', '/v1/sandbox/webhook', { url: 'https://reseller.example/hooks' })).status).toBe(
      201,
    );
    const wire = await pipeline([
      request('DELETE', '/v1/sandbox/webhook', { 'Sandbox-Fault': 'truncate-response' }),
      order(),
    ]);
    expect(wire).toMatch(/^HTTP\/1\.1 204 No Content\r\n/);
    expect(wire.toLowerCase()).toContain('connection: close');
    expect(wire).not.toContain('HTTP/1.1 201');
    expect((await call(server, 'GET', '/v1/sandbox/webhook')).status).toBe(404);
  });
});
