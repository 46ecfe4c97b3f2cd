/**
 * Idempotency keys over real HTTP (issue 6): concurrent requests with one key, on one
 * server process and on two processes sharing one store (a SQLite file, or a PostgreSQL
 * schema with TEST_DATABASE_URL), give exactly one order; a restarted process still
 * replays the stored response byte for byte.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRawResponse, sendRaw } from '../helpers/raw-http.js';
import { openServerDatabase, startServer, type ServerProcess } from '../helpers/server-process.js';

const KEY = 'acme-idempotency-key-0001';
const dir = mkdtempSync(join(tmpdir(), 'esim-sandbox-idempotency-'));
const databaseUrl = `sqlite:${join(dir, 'sandbox.db')}`;
const env = { DATABASE_URL: databaseUrl, SANDBOX_API_KEYS: `acme:${KEY}`, RATE_LIMITS: 'off' };
const QUANTITY = 50;
let a: ServerProcess;
let b: ServerProcess;

interface Answer {
  status: number;
  replayed: string | null;
  contentType: string | null;
  body: string;
}

async function order(server: ServerProcess, idempotencyKey: string): Promise<Answer> {
  const res = await fetch(`${server.baseUrl}/v1/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    body: JSON.stringify({ planCode: 'KD0001', quantity: QUANTITY }),
  });
  return {
    status: res.status,
    replayed: res.headers.get('idempotent-replayed'),
    contentType: res.headers.get('content-type'),
    body: await res.text(),
  };
}

function countEsims(): number {
  const db = openServerDatabase(databaseUrl);
  try {
    return Number((db.prepare('SELECT count(*) AS n FROM esims').get() as { n: number | string }).n);
  } finally {
    db.close();
  }
}

/**
 * Asserts that concurrent answers for one key describe one order: one first 201, every
 * other 201 a replay of it byte for byte, the rest 409 IDEMPOTENCY_KEY_IN_USE.
 * @returns the first 201.
 */
function expectOneOrder(answers: Answer[]): Answer {
  const created = answers.filter((r) => r.status === 201);
  const first = created.filter((r) => r.replayed === null);
  expect(first, JSON.stringify(answers.map((r) => [r.status, r.replayed]))).toHaveLength(1);
  for (const replay of created.filter((r) => r.replayed !== null)) {
    expect(replay.replayed).toBe('true');
    expect(replay.body).toBe(first[0]!.body);
  }
  for (const refused of answers.filter((r) => r.status !== 201)) {
    expect(refused.status, refused.body).toBe(409);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_USE' });
  }
  const transactionIds = new Set(created.map((r) => (JSON.parse(r.body) as { transactionId: string }).transactionId));
  expect(transactionIds.size).toBe(1);
  return first[0]!;
}

beforeAll(async () => {
  a = await startServer({ env });
  b = await startServer({ env });
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('concurrent requests with one Idempotency-Key', () => {
  it('20 in parallel on one process: one order of 50 eSIMs, every other answer a replay or 409', async () => {
    const before = countEsims();
    const answers = await Promise.all(Array.from({ length: 20 }, () => order(a, 'one-process')));
    const first = expectOneOrder(answers);
    expect((JSON.parse(first.body) as { esims: unknown[] }).esims).toHaveLength(QUANTITY);
    expect(countEsims()).toBe(before + QUANTITY);
    // Once settled, every retry is a replay.
    const later = await order(a, 'one-process');
    expect(later).toEqual({ ...first, replayed: 'true' });
  });

  it('20 in parallel over two processes on one store: one order', async () => {
    const before = countEsims();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => order(i % 2 === 0 ? a : b, 'two-processes')),
    );
    const first = expectOneOrder(answers);
    expect(countEsims()).toBe(before + QUANTITY);
    expect(await order(b, 'two-processes')).toEqual({ ...first, replayed: 'true' });
    expect(await order(a, 'two-processes')).toEqual({ ...first, replayed: 'true' });
  });
});

describe('the header on the wire', () => {
  it('is trimmed of surrounding whitespace by Node (one key), and UTF-8 text in it is a 400 naming its first byte', async () => {
    const first = await order(a, 'padded-key');
    expect(first.status).toBe(201);
    expect(await order(a, '   padded-key\t')).toEqual({ ...first, replayed: 'true' });

    const res = await fetch(`${a.baseUrl}/v1/orders`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${KEY}`,
        'content-type': 'application/json',
        'idempotency-key': Buffer.from('clé', 'utf8').toString('latin1'),
      },
      body: JSON.stringify({ planCode: 'KD0001', quantity: 1 }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: unknown[] }).errors).toEqual([
      { path: 'header.idempotency-key', message: 'must be printable ASCII (0x20-0x7E): character 3 is 0xC3' },
    ]);
  });
});

describe('the header given twice', () => {
  /** POST /v1/orders over a raw socket with `headerLines` as written (fetch would join them into one line). */
  async function orderWithLines(headerLines: string[], body: unknown = { planCode: 'KD0001', quantity: 1 }) {
    const { hostname, port } = new URL(a.baseUrl);
    const payload = JSON.stringify(body);
    const head = [
      'POST /v1/orders HTTP/1.1',
      `Host: ${hostname}:${port}`,
      'Connection: close',
      `Authorization: Bearer ${KEY}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(payload)}`,
      ...headerLines,
    ];
    const response = parseRawResponse(await sendRaw(a.baseUrl, `${head.join('\r\n')}\r\n\r\n${payload}`));
    return {
      statusLine: response.statusLine,
      headers: response.headers,
      body: JSON.parse(response.body.toString('utf8')) as Record<string, unknown>,
    };
  }

  it('is a 400 at header.idempotency-key (Node would join the values into the valid key "a, b"), in any case, and stores nothing', async () => {
    const before = countEsims();
    for (const lines of [
      ['Idempotency-Key: twice-a', 'Idempotency-Key: twice-b'],
      ['Idempotency-Key: twice-a', 'idempotency-key: twice-a'],
      ['IDEMPOTENCY-KEY: twice-a', 'Idempotency-Key: twice-b', 'Idempotency-Key: twice-c'],
    ]) {
      const res = await orderWithLines(lines);
      expect(res.statusLine).toBe('HTTP/1.1 400 Bad Request');
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(res.body).toMatchObject({
        code: 'VALIDATION_ERROR',
        detail: `header.idempotency-key must be given once, got ${lines.length} values`,
      });
      expect(res.body.errors).toEqual([
        { path: 'header.idempotency-key', message: `must be given once, got ${lines.length} values` },
      ]);
    }
    expect(countEsims()).toBe(before);
    // Nothing stored under either key, nor under the joined one: each is a first use.
    for (const key of ['twice-a', 'twice-b', 'twice-a, twice-b']) {
      const first = await order(a, key);
      expect(first.status, first.body).toBe(201);
      expect(first.replayed).toBeNull();
    }
  });

  it("is listed with the request's other invalid fields", async () => {
    const res = await orderWithLines(['Idempotency-Key: both-a', 'Idempotency-Key: both-b'], {
      planCode: 'KD0001',
      quantity: 0,
    });
    expect(res.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(res.body.errors).toEqual([
      { path: 'body.quantity', message: 'must be >= 1' },
      { path: 'header.idempotency-key', message: 'must be given once, got 2 values' },
    ]);
  });

  it('once, a key holding ", " is one valid key', async () => {
    const res = await orderWithLines(['Idempotency-Key: one, key'], { planCode: 'KD0001', quantity: QUANTITY });
    expect(res.statusLine).toBe('HTTP/1.1 201 Created');
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    const again = await order(a, 'one, key');
    expect(again.status).toBe(201);
    expect(again.replayed).toBe('true');
    expect(JSON.parse(again.body)).toEqual(res.body);
  });
});

describe('a restart', () => {
  it('keeps the stored response: the restarted process replays it exactly and allocates nothing', async () => {
    const first = await order(a, 'before-restart');
    expect(first.status).toBe(201);
    expect(first.replayed).toBeNull();
    const before = countEsims();
    const exit = await a.stop();
    expect(exit.code).toBe(0);
    a = await startServer({ env });
    expect(await order(a, 'before-restart')).toEqual({ ...first, replayed: 'true' });
    expect(countEsims()).toBe(before);
  });
});
