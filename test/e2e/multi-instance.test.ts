/**
 * Several instances, one behaviour (issue 4): two server processes on one store (SQLite
 * file, or a PostgreSQL schema when TEST_DATABASE_URL is set) and one Redis. Orders
 * spread over both never share an ICCID, a change on one is seen by the next read on the
 * other, and killing one mid-burst loses nothing that was committed.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServerDatabase, startServer, type ServerProcess } from '../helpers/server-process.js';

const KEY = 'acme-multi-instance-key-0001';
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const dir = mkdtempSync(join(tmpdir(), 'esim-sandbox-multi-'));
const databaseUrl = `sqlite:${join(dir, 'sandbox.db')}`;
const env = {
  DATABASE_URL: databaseUrl,
  SANDBOX_API_KEYS: `acme:${KEY}`,
  RATE_LIMITS: 'off',
  REDIS_KEY_PREFIX: `esim-sandbox-test:${randomUUID()}:`,
};
let a: ServerProcess;
let b: ServerProcess;

interface Order {
  transactionId: string;
  esims: { iccid: string }[];
}

const order = async (server: ServerProcess, quantity: number) => {
  const res = await fetch(`${server.baseUrl}/v1/orders`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ planCode: 'KD0001', quantity }),
  });
  return { status: res.status, body: res.status === 201 ? ((await res.json()) as Order) : undefined };
};

beforeAll(async () => {
  a = await startServer({ env });
  b = await startServer({ env });
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('two instances on one store', () => {
  it('20 parallel orders of 100 spread over both give 2,000 distinct ICCIDs', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => order(i % 2 === 0 ? a : b, 100)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const iccids = results.flatMap((r) => r.body!.esims.map((e) => e.iccid));
    expect(iccids).toHaveLength(2000);
    expect(new Set(iccids).size).toBe(2000);
  });

  it('a suspend on one instance is seen by the next read on the other', async () => {
    const { body } = await order(a, 1);
    const iccid = body!.esims[0]!.iccid;
    const suspend = await fetch(`${a.baseUrl}/v1/esims/${iccid}/emergency-control`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ action: 'suspend' }),
    });
    expect(suspend.status).toBe(200);
    const read = await fetch(`${b.baseUrl}/v1/esims/${iccid}`, { headers });
    expect(await read.json()).toMatchObject({ iccid, contractStatus: 'SUSPENDED', isServiceRestricted: true });
  });

  it('SIGKILL of one instance during a burst of orders loses nothing committed', async () => {
    const victim = await startServer({ env });
    const burst = Array.from({ length: 40 }, (_, i) =>
      order(i % 2 === 0 ? victim : b, 50).catch(() => ({ status: 0, body: undefined })),
    );
    await new Promise((resolve) => setTimeout(resolve, 60));
    victim.child.kill('SIGKILL');
    const results = await Promise.all(burst);
    await victim.stop();

    const received = results.filter((r) => r.status === 201).map((r) => r.body!);
    // The surviving instance answered all of its half (the victim may have answered some).
    expect(received.length).toBeGreaterThanOrEqual(20);
    for (const placed of received) {
      const res = await fetch(`${b.baseUrl}/v1/orders/${placed.transactionId}`, { headers });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { iccids: string[] }).iccids).toEqual(placed.esims.map((e) => e.iccid));
    }
    const db = openServerDatabase(databaseUrl);
    try {
      const orphans = db
        .prepare(
          'select count(*) as n from esims e left join orders o on o.transaction_id = e.transaction_id where o.transaction_id is null',
        )
        .get() as { n: number | string };
      expect(Number(orphans.n)).toBe(0);
      const partial = db
        .prepare(
          'select o.transaction_id from orders o left join esims e on e.transaction_id = o.transaction_id group by o.transaction_id, o.quantity having count(e.iccid) <> o.quantity',
        )
        .all();
      expect(partial).toEqual([]);
    } finally {
      db.close();
    }
  });
});
