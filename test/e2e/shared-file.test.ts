/**
 * Two server processes on one SQLite file (a developer who starts a second `npm start`
 * with another PORT): writes from both queue on the file's lock instead of failing with
 * "database is locked", and each process sees the other's commits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../helpers/server-process.js';

const KEY = 'acme-shared-key-0001';
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
let dir: string;
let a: ServerProcess;
let b: ServerProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'esim-sandbox-shared-'));
  const env = {
    DATABASE_URL: `sqlite:${join(dir, 'sandbox.db')}`,
    SANDBOX_API_KEYS: `acme:${KEY}`,
    RATE_LIMITS: 'off',
  };
  a = await startServer({ env });
  b = await startServer({ env });
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('two processes on one SQLite file', () => {
  it('serves 200 parallel writes split over both with no error and distinct ICCIDs', async () => {
    const order = (server: ServerProcess) =>
      fetch(`${server.baseUrl}/v1/orders`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ planCode: 'KD0001', quantity: 5 }),
      });
    const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => order(i % 2 === 0 ? a : b)));
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(201));
    const orders = (await Promise.all(responses.map((r) => r.json()))) as { esims: { iccid: string }[] }[];
    const iccids = orders.flatMap((o) => o.esims.map((e) => e.iccid));
    expect(new Set(iccids).size).toBe(500);

    const usage = (server: ServerProcess, iccid: string, kb: number) =>
      fetch(`${server.baseUrl}/v1/sandbox/esims/${iccid}/data-usage`, {
        method: 'PUT',
        headers,
        body: JSON.stringify([{ day: '2025-12-10', usage: String(kb) }]),
      });
    const puts = await Promise.all(iccids.slice(0, 100).map((iccid, i) => usage(i % 2 === 0 ? b : a, iccid, i + 1)));
    expect(puts.map((r) => r.status)).toEqual(Array(100).fill(200));

    const readBack = await fetch(`${a.baseUrl}/v1/esims/${iccids[99]}`, { headers });
    expect(((await readBack.json()) as { totalDataUsage: number }).totalDataUsage).toBe(100);
  });
});
