/**
 * Every operation whose description states "Rate limit: N requests per minute" enforces
 * exactly N: its answer's X-RateLimit-Limit is N (the number and the limit come from one
 * constant, so a change of one cannot leave the other behind).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_KEY, startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMITS: 'on' });
});
afterAll(async () => t.close());

interface Operation {
  operationId?: string;
  description?: string;
}

describe('rate limits stated in the served document', () => {
  it('are the limits the server enforces, operation by operation', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, Operation>>;
    }>();
    const checked: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      if (!path.startsWith('/v1/')) continue;
      for (const [method, operation] of Object.entries(item)) {
        const stated = /Rate limit: (\d+) requests per minute/.exec(operation.description ?? '');
        // The stream answers an endless body: its limit is the inspection reads', checked on those.
        if (!stated || path === '/v1/sandbox/stream') continue;
        // A path parameter that fails validation still counts against the limit: the answer
        // (400 or 404) carries the headers.
        const url = path.replace(/\{[^}]+\}/g, '0');
        const res = await t.app.inject({
          method: method.toUpperCase() as 'GET',
          url,
          headers: { authorization: `Bearer ${ACME_KEY}`, 'content-type': 'application/json' },
          payload: method === 'get' ? undefined : '{}',
        });
        expect(res.headers['x-ratelimit-limit'], `${method.toUpperCase()} ${path}`).toBe(stated[1]);
        checked.push(operation.operationId ?? `${method} ${path}`);
      }
    }
    // Every /v1 operation but the health probes states its limit; at least the seed's five.
    expect(checked).toEqual(expect.arrayContaining(['listPlans', 'orderEsims', 'getEsim', 'emergencyControl']));
    expect(checked.length).toBeGreaterThanOrEqual(20);
  });
});
