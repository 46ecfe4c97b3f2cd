/**
 * SIGTERM on a real server process: it stops accepting, finishes the requests in flight,
 * closes the database and exits 0 within the bound (10 s).
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server-process.js';

const KEY = 'acme-shutdown-key-0001';
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const SHUTDOWN_BOUND_MS = 10_000;

/** A POST whose body is sent in two halves, the second when `finish()` is called: in flight until then. */
function slowOrder(baseUrl: string): {
  finish(): void;
  response: Promise<{ status: number; body: { esims?: unknown[] } }>;
} {
  const body = JSON.stringify({ planCode: 'KD0001', quantity: 100 });
  const request = http.request(`${baseUrl}/v1/orders`, {
    method: 'POST',
    agent: false,
    headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
  });
  const response = new Promise<{ status: number; body: { esims?: unknown[] } }>((resolve, reject) => {
    request.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { esims?: unknown[] } }));
    });
    request.on('error', reject);
  });
  request.write(body.slice(0, 10));
  return { finish: () => request.end(body.slice(10)), response };
}

describe('SIGTERM', () => {
  it('finishes the requests in flight, refuses new connections, then exits 0 within the bound', async () => {
    const server = await startServer({ env: { SANDBOX_API_KEYS: `acme:${KEY}`, RATE_LIMITS: 'off' } });
    try {
      // Five orders whose bodies are half sent: the server has them (it logged them) and waits for the rest.
      const orders = Array.from({ length: 5 }, () => slowOrder(server.baseUrl));
      const deadline = Date.now() + 5_000;
      while (server.logs().filter((l) => l.msg === 'incoming request').length < 5 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      expect(server.logs().filter((l) => l.msg === 'incoming request')).toHaveLength(5);

      const sent = Date.now();
      const exited = server.stop();
      await new Promise((r) => setTimeout(r, 300));
      // Still running, waiting for them; and no longer accepting connections.
      expect(server.child.exitCode, server.output()).toBeNull();
      await expect(fetch(`${server.baseUrl}/healthz`)).rejects.toThrow();

      for (const order of orders) order.finish();
      const results = await Promise.all(orders.map((o) => o.response));
      const exit = await exited;
      const took = Date.now() - sent;

      expect(results.map((r) => r.status)).toEqual(Array(5).fill(201));
      expect(results.every((r) => r.body.esims?.length === 100)).toBe(true);
      expect(exit, server.output()).toEqual({ code: 0, signal: null });
      expect(took).toBeLessThan(SHUTDOWN_BOUND_MS);
      const messages = server.logs().map((l) => l.msg);
      expect(messages.some((m) => m.startsWith('SIGTERM: closing'))).toBe(true);
      expect(messages.some((m) => /^closed in \d+ ms$/.test(m))).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('exits 1 after 10 s when a request never finishes (the bound)', async () => {
    const server = await startServer({ env: { SANDBOX_API_KEYS: `acme:${KEY}`, RATE_LIMITS: 'off' } });
    try {
      slowOrder(server.baseUrl).response.catch(() => {}); // never finished: the connection dies with the process
      const deadline = Date.now() + 5_000;
      while (!server.logs().some((l) => l.msg === 'incoming request') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      const sent = Date.now();
      const exit = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
      server.child.kill('SIGTERM'); // not stop(): it would SIGKILL after 5 s
      expect(await exit).toBe(1);
      const took = Date.now() - sent;
      expect(took).toBeGreaterThanOrEqual(SHUTDOWN_BOUND_MS - 100);
      expect(took).toBeLessThan(SHUTDOWN_BOUND_MS + 3_000);
    } finally {
      await server.stop();
    }
    expect(server.logs().map((l) => l.msg)).toContain(`shutdown took longer than ${SHUTDOWN_BOUND_MS} ms; exiting`);
  }, 20_000);
});
