/**
 * Regression tests for what the fuzz suite (test/fuzz/) found answering 500: each input
 * here once did, and now gets the 400 (or the success) the contract gives it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { expectViolation } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMITS: 'off' });
});
afterAll(async () => t.close());

describe('inputs that answered 500', () => {
  it.each([
    ['/v1/plans', 'page'],
    ['/v1/plans', 'limit'],
    ['/v1/sandbox/webhook/deliveries', 'page'],
  ])('%s?%s= with 400 digits (Infinity as a number) is a 400 naming the maximum', async (path, name) => {
    const res = await t.call('GET', `${path}?${name}=${'7'.repeat(400)}`);
    const body = expectViolation(res, `query.${name}`, /^must be <= \d+$/);
    expect(body.errors).toEqual([
      { path: `query.${name}`, message: name === 'limit' ? 'must be <= 200' : 'must be <= 9007199254740991' },
    ]);
  });
});
