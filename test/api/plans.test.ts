import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMITS: 'off' });
});
afterAll(async () => t.close());

describe('GET /v1/plans', () => {
  it('lists Japanese plans ordered by planCode with true metadata', async () => {
    const res = await t.call('GET', '/v1/plans?countryCode=JP&limit=200');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const codes = body.items.map((p: { planCode: string }) => p.planCode);
    expect(codes).toContain('KD0001');
    expect([...codes].sort()).toEqual(codes);
    expect(body.meta).toEqual({ total: codes.length, page: 1, limit: 200, totalPages: 1 });
  });
});
