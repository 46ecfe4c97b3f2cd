/**
 * CORS_ORIGINS over real HTTP (the built server as a child process): a browser app on a
 * listed origin gets correct preflight answers and may read the sandbox's headers; another
 * origin, or a server without CORS_ORIGINS, gets no CORS header; a bad origin stops start-up
 * naming the variable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServerToExit, startServer, type ServerProcess } from '../helpers/server-process.js';

const KEY = 'acme-cors-key-0001';
const APP = 'http://localhost:5173';
let server: ServerProcess;
let plain: ServerProcess;

beforeAll(async () => {
  // One after the other: two starting at once on a loaded machine may miss the start timeout.
  server = await startServer({ env: { SANDBOX_API_KEYS: `acme:${KEY}`, CORS_ORIGINS: `${APP}, https://app.example` } });
  plain = await startServer({ env: { SANDBOX_API_KEYS: `acme:${KEY}` } });
});
afterAll(async () => {
  await Promise.all([server?.stop(), plain?.stop()]);
});

const preflight = (base: string, origin: string, method = 'POST') =>
  fetch(`${base}/v1/orders`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': 'authorization, content-type, idempotency-key, sandbox-fault',
    },
  });

describe('CORS_ORIGINS set', () => {
  it('answers a preflight from a listed origin: 204, the origin, methods, headers and max age, no API key needed', async () => {
    const res = await preflight(server.baseUrl, APP);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, HEAD, POST, PUT, DELETE');
    expect(res.headers.get('access-control-allow-headers')).toBe(
      'Authorization, Content-Type, Idempotency-Key, Sandbox-Fault, X-Request-Id',
    );
    expect(res.headers.get('access-control-max-age')).toBe('600');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('vary')).toContain('Origin');
  });

  it('lets the listed origin read the rate-limit, request-id and replay headers of an answer', async () => {
    const res = await fetch(`${server.baseUrl}/v1/plans`, {
      headers: { origin: 'https://app.example', authorization: `Bearer ${KEY}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(res.headers.get('access-control-expose-headers')).toBe(
      'X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, Idempotent-Replayed, WWW-Authenticate, Location',
    );
    expect(res.headers.get('x-ratelimit-limit')).toBe('60');
  });

  it('a 401 carries the CORS headers too, so the app can read why', async () => {
    const res = await fetch(`${server.baseUrl}/v1/plans`, { headers: { origin: APP } });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('gives an origin that is not listed no CORS header (the browser then refuses the answer)', async () => {
    const res = await preflight(server.baseUrl, 'http://evil.example');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-methods')).toBeNull();
    const read = await fetch(`${server.baseUrl}/healthz`, { headers: { origin: 'http://evil.example' } });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('an OPTIONS without Origin is not a preflight: 204 with Allow, no CORS header', async () => {
    const res = await fetch(`${server.baseUrl}/v1/orders`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toBe('POST, OPTIONS');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS_ORIGINS unset', () => {
  it('sends no CORS header, even to a preflight', async () => {
    const res = await preflight(plain.baseUrl, APP);
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toBe('POST, OPTIONS');
    expect([...res.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    const read = await fetch(`${plain.baseUrl}/v1/plans`, { headers: { origin: APP, authorization: `Bearer ${KEY}` } });
    expect([...read.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });
});

describe('a bad CORS_ORIGINS', () => {
  it.each(['http://localhost:5173/', 'localhost:5173', 'ftp://files.example', 'https://app.example/path'])(
    '%s stops start-up naming CORS_ORIGINS',
    async (value) => {
      const result = await runServerToExit({ env: { CORS_ORIGINS: value } });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`configuration error: CORS_ORIGINS: "${value}" is not an origin`);
    },
  );
});
