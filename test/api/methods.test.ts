/**
 * Methods a known path does not serve (RFC 9110 section 15.5.6: 405 with `Allow`), OPTIONS
 * (section 9.3.7: the methods in `Allow`), HEAD (section 9.3.2: the GET's answer without a
 * body) and the base URL (a redirect to the reference page).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOME_LOCATION } from '../../src/http/routes/home.js';
import { ACME_KEY, startTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem, orderOne } from './support.js';

let t: TestApp;
let iccid: string;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMITS: 'off' });
  iccid = (await orderOne(t)).iccid;
});
afterAll(async () => t.close());

describe('405 METHOD_NOT_ALLOWED for a method a known path does not serve', () => {
  it.each([
    ['DELETE', '/v1/plans', 'GET, HEAD, OPTIONS'],
    ['PUT', '/v1/orders', 'POST, OPTIONS'],
    ['GET', '/v1/orders', 'POST, OPTIONS'],
    ['POST', '/v1/plans', 'GET, HEAD, OPTIONS'],
    ['PATCH', '/v1/sandbox/webhook', 'GET, HEAD, PUT, DELETE, OPTIONS'],
    ['DELETE', '/v1/esims/8900000000000000001', 'GET, HEAD, OPTIONS'],
    ['GET', '/v1/sandbox/clock/advance', 'POST, OPTIONS'],
    ['POST', '/healthz', 'GET, HEAD, OPTIONS'],
    ['PUT', '/openapi.json', 'GET, HEAD, OPTIONS'],
  ])('%s %s -> 405 with Allow: %s', async (method, url, allow) => {
    const res = await t.call(method, url);
    const body = expectProblem(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers.allow).toBe(allow);
    expect(body.detail).toBe(`${method} is not served at ${url}; it serves ${allow}`);
  });

  it('answers 405 before authentication: the method is wrong whoever asks', async () => {
    const res = await t.call('DELETE', '/v1/plans', { key: null });
    expectProblem(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers['www-authenticate']).toBeUndefined();
  });

  it('ignores the query string when matching the path', async () => {
    const res = await t.call('DELETE', '/v1/plans?country=JP');
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
  });

  it.each([
    ['DELETE', '/v1/nothing'],
    ['GET', '/v1/esim'],
    ['PUT', '/v1/plans/'],
    ['GET', '/v2/plans'],
  ])('%s %s (no such path) stays 404 NOT_FOUND', async (method, url) => {
    const res = await t.call(method, url);
    expectProblem(res, 404, 'NOT_FOUND');
    expect(res.headers.allow).toBeUndefined();
  });

  it('a missing file under a route that serves GET (the reference page files) is 404, not 405', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/static/nope.js' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect(res.headers.allow).toBeUndefined();
  });
});

describe('OPTIONS', () => {
  it('on a known path: 204 with Allow and no body, no API key needed', async () => {
    const res = await t.app.inject({ method: 'OPTIONS', url: `/v1/esims/${iccid}` });
    expect(res.statusCode).toBe(204);
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(res.body).toBe('');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('on an unknown path: 404 NOT_FOUND', async () => {
    expectProblem(await t.call('OPTIONS', '/v1/nothing'), 404, 'NOT_FOUND');
  });
});

describe('HEAD', () => {
  it('of a GET route answers its status and headers without a body', async () => {
    const get = await t.call('GET', `/v1/esims/${iccid}`);
    const head = await t.app.inject({
      method: 'HEAD',
      url: `/v1/esims/${iccid}`,
      headers: { authorization: `Bearer ${ACME_KEY}` },
    });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
  });
});

describe('the base URL', () => {
  it('GET / redirects (302 Found) to the console', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/console');
    expect(HOME_LOCATION).toBe('/console');
  });

  it('HEAD / redirects too', async () => {
    const res = await t.app.inject({ method: 'HEAD', url: '/' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/console');
  });

  it('POST / is 405 with Allow: GET, HEAD, OPTIONS', async () => {
    const res = await t.call('POST', '/');
    expectProblem(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
  });
});
