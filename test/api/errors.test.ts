import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_KEY, startTestApp, type TestApp } from '../helpers/app.js';
import {
  expectProblem,
  expectViolation,
  orderOne,
  UNKNOWN_ICCID,
  UUID_V4,
  v1Operations,
  withDatabase,
} from './support.js';

let t: TestApp;
let iccid: string;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMITS: 'off' });
  iccid = (await orderOne(t)).iccid;
});
afterAll(async () => t.close());

const MIB = 1024 * 1024;

describe('authentication (401 UNAUTHORIZED with WWW-Authenticate: Bearer)', () => {
  const badCredentials: [string, Record<string, string>][] = [
    ['no Authorization header', {}],
    ['the Basic scheme', { authorization: `Basic ${Buffer.from(`acme:${ACME_KEY}`).toString('base64')}` }],
    ['the key without a scheme', { authorization: ACME_KEY }],
    ['Bearer without a token', { authorization: 'Bearer ' }],
    ['an unknown key', { authorization: 'Bearer unknown-key-0000' }],
    ['a key with a wrong case', { authorization: `Bearer ${ACME_KEY.toUpperCase()}` }],
    ['the key with a trailing comma', { authorization: `Bearer ${ACME_KEY},` }],
  ];

  it.each(badCredentials)('%s -> 401 on every operation', async (_name, headers) => {
    for (const [method, url, body] of v1Operations(iccid)) {
      const res = await t.call(method, url, { key: null, headers, ...(body === undefined ? {} : { body }) });
      const problem = expectProblem(res, 401, 'UNAUTHORIZED');
      expect(String(res.headers['www-authenticate'])).toMatch(/^Bearer( |$)/);
      expect(problem.detail).not.toContain(ACME_KEY);
    }
  });

  it('accepts the scheme in any case (RFC 7235)', async () => {
    const res = await t.call('GET', '/v1/plans', { key: null, headers: { authorization: `bearer ${ACME_KEY}` } });
    expect(res.statusCode).toBe(200);
  });

  it('checks the key before the request: a 401 wins over a 400 or 404', async () => {
    expectProblem(await t.call('GET', '/v1/plans?limit=0', { key: null }), 401, 'UNAUTHORIZED');
    expectProblem(await t.call('GET', '/v1/esims/123', { key: null }), 401, 'UNAUTHORIZED');
    expectProblem(await t.call('GET', `/v1/esims/${UNKNOWN_ICCID}`, { key: 'unknown-key-0000' }), 401, 'UNAUTHORIZED');
  });

  it.each(['/healthz', '/readyz'])('%s needs no key', async (url) => {
    const res = await t.call('GET', url, { key: null });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: url === '/healthz' ? 'ok' : 'ready' });
  });

  it('/openapi.json needs no key and describes every operation', async () => {
    // The document does not list itself, so the contract check of t.call cannot apply here.
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const document = res.json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/plans',
        '/v1/orders',
        '/v1/orders/{transactionId}',
        '/v1/esims/{iccid}',
        '/v1/esims/{iccid}/emergency-control',
        '/v1/sandbox/esims/{iccid}/data-usage',
      ]),
    );
  });
});

describe('unknown query properties on operations that take no query (400 naming query.<name>)', () => {
  // DESIGN.md section 2 (error table): 400 VALIDATION_ERROR for an "unknown query or body
  // property", also on operations that take no query: a typo must not order an eSIM.
  const requests: Record<string, () => [string, string, unknown]> = {
    'POST /v1/orders': () => ['POST', '/v1/orders', { planCode: 'KD0001', quantity: 1 }],
    'GET /v1/orders/{transactionId}': () => ['GET', '/v1/orders/a1b2c3d4-e5f6-4890-abcd-ef1234567890', undefined],
    'GET /v1/esims/{iccid}': () => ['GET', `/v1/esims/${iccid}`, undefined],
    'POST /v1/esims/{iccid}/emergency-control': () => [
      'POST',
      `/v1/esims/${iccid}/emergency-control`,
      { action: 'release' },
    ],
    'PUT /v1/sandbox/esims/{iccid}/data-usage': () => ['PUT', `/v1/sandbox/esims/${iccid}/data-usage`, []],
  };

  it.each(Object.keys(requests))('%s?dryRun=true -> 400 at query.dryRun', async (name) => {
    const [method, url, body] = requests[name]!();
    const res = await t.call(method, `${url}?dryRun=true`, body === undefined ? {} : { body });
    expectViolation(res, 'query.dryRun', /not a known property/);
  });
});

describe('unknown routes (404 NOT_FOUND)', () => {
  it.each([
    ['GET', '/nope'],
    ['GET', '/v1/unknown'],
    ['GET', '/v2/plans'],
    ['GET', '/v1/esims'],
  ])('%s %s -> 404 NOT_FOUND naming the route', async (method, url) => {
    const body = expectProblem(await t.call(method, url), 404, 'NOT_FOUND');
    expect(body.detail).toContain(url);
  });
});

describe('request bodies', () => {
  it('answers 413 PAYLOAD_TOO_LARGE to a body over 1 MiB', async () => {
    const filler = 'x'.repeat(MIB);
    const res = await t.call('POST', '/v1/orders', { body: { planCode: filler, quantity: 1 } });
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    const usage = await t.call('PUT', `/v1/sandbox/esims/${iccid}/data-usage`, {
      payload: `[${' '.repeat(MIB)}]`,
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(usage, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('reads a body of exactly 1 MiB (then validates it)', async () => {
    const envelope = JSON.stringify({ planCode: '', quantity: 1 });
    const payload = envelope.replace('""', `"${'x'.repeat(MIB - envelope.length)}"`);
    expect(Buffer.byteLength(payload)).toBe(MIB);
    const res = await t.call('POST', '/v1/orders', { payload, headers: { 'content-type': 'application/json' } });
    expectViolation(res, 'body.planCode');
  });

  it.each([
    ['POST', '/v1/orders', 'text/plain', '{"planCode":"KD0001","quantity":1}'],
    ['POST', '/v1/orders', 'application/x-www-form-urlencoded', 'planCode=KD0001&quantity=1'],
    [
      'POST',
      '/v1/orders',
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="planCode"\r\n\r\nKD0001\r\n--x--',
    ],
    ['POST', '/v1/orders', 'application/xml', '<order/>'],
    ['POST', 'emergency-control', 'text/plain', '{"action":"suspend"}'],
    ['PUT', 'data-usage', 'text/plain', '[]'],
    ['PUT', 'data-usage', 'application/x-www-form-urlencoded', 'day=2025-01-01'],
  ])('%s %s with %s -> 415 UNSUPPORTED_MEDIA_TYPE', async (method, route, contentType, payload) => {
    const url =
      route === 'emergency-control'
        ? `/v1/esims/${iccid}/emergency-control`
        : route === 'data-usage'
          ? `/v1/sandbox/esims/${iccid}/data-usage`
          : route;
    const body = expectProblem(
      await t.call(method, url, { payload, headers: { 'content-type': contentType } }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expect(body.detail).toContain(contentType.split(';')[0]);
  });

  it('answers 415 to a body without Content-Type', async () => {
    expectProblem(
      await t.call('POST', '/v1/orders', { payload: '{"planCode":"KD0001","quantity":1}' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('accepts application/json with a charset', async () => {
    const res = await t.call('POST', '/v1/orders', {
      payload: '{"planCode":"KD0001","quantity":1}',
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(res.statusCode).toBe(201);
  });

  it.each([
    ['truncated JSON', '{"planCode":"KD0001",'],
    ['single quotes', "{'planCode':'KD0001','quantity':1}"],
    ['a trailing comma', '{"planCode":"KD0001","quantity":1,}'],
    ['an empty body', ''],
  ])('answers 400 VALIDATION_ERROR to %s', async (_name, payload) => {
    const res = await t.call('POST', '/v1/orders', { payload, headers: { 'content-type': 'application/json' } });
    const body = expectViolation(res, 'body', /JSON/);
    expect(body.detail).toMatch(/JSON/);
  });

  it('answers 400 to invalid JSON on PUT too', async () => {
    const res = await t.call('PUT', `/v1/sandbox/esims/${iccid}/data-usage`, {
      payload: '[{"day":',
      headers: { 'content-type': 'application/json' },
    });
    expectViolation(res, 'body', /JSON/);
  });
});

describe('X-Request-Id', () => {
  it.each(['abc-123.x:y', 'A', 'x'.repeat(128), 'trace:1.2.3-4_5'])('echoes a valid caller id %s', async (id) => {
    const res = await t.call('GET', '/v1/plans', { headers: { 'x-request-id': id } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBe(id);
  });

  it.each(['bad id!', 'x'.repeat(129), 'a/b', 'ümlaut', ''])(
    'replaces an invalid caller id %j with a UUID',
    async (id) => {
      const res = await t.call('GET', '/v1/plans', { headers: { 'x-request-id': id } });
      expect(res.headers['x-request-id']).toMatch(UUID_V4);
    },
  );

  it('gives a fresh UUID per request when none is sent', async () => {
    const [a, b] = [await t.call('GET', '/healthz', { key: null }), await t.call('GET', '/healthz', { key: null })];
    expect(a.headers['x-request-id']).toMatch(UUID_V4);
    expect(b.headers['x-request-id']).toMatch(UUID_V4);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  it('puts the request id in every problem body: 400, 401, 404, 413, 415', async () => {
    const id = 'problem-trace-1';
    const headers = { 'x-request-id': id };
    const problems = [
      await t.call('GET', '/v1/plans?limit=0', { headers }),
      await t.call('GET', '/v1/plans', { headers, key: null }),
      await t.call('GET', '/v1/nothing', { headers }),
      await t.call('GET', `/v1/esims/${UNKNOWN_ICCID}`, { headers }),
      await t.call('POST', '/v1/orders', { headers, body: { planCode: 'x'.repeat(MIB), quantity: 1 } }),
      await t.call('POST', '/v1/orders', { headers: { ...headers, 'content-type': 'text/plain' }, payload: 'x' }),
    ];
    expect(problems.map((r) => r.statusCode)).toEqual([400, 401, 404, 404, 413, 415]);
    for (const res of problems) {
      expect(res.headers['x-request-id']).toBe(id);
      expect(res.json().requestId).toBe(id);
    }
  });
});

describe('500 INTERNAL', () => {
  let broken: TestApp;
  beforeAll(async () => {
    broken = await startTestApp({ RATE_LIMITS: 'off' });
  });
  afterAll(async () => broken.close());

  it('never leaks a stack trace or an internal message', async () => {
    const esim = await orderOne(broken);
    // Break the real database under the running app: its queries on esims now fail.
    withDatabase(broken, (db) => db.exec('ALTER TABLE esims RENAME TO esims_moved_away'));
    const res = await broken.call('GET', `/v1/esims/${esim.iccid}`, { headers: { 'x-request-id': 'boom-1' } });
    const body = expectProblem(res, 500, 'INTERNAL');
    expect(body.requestId).toBe('boom-1');
    expect(body.detail).toMatch(/requestId/);
    expect(res.body).not.toMatch(/esims|sqlite|no such table|\bat .*\(|\.ts:\d+|stack/i);
  });
});

describe('one answer lists every invalid field, whatever part it is in', () => {
  it('names path, query and body problems together', async () => {
    const res = await t.call('POST', '/v1/esims/8900000000000000010/emergency-control?x=1', { body: { action: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(['path.iccid', 'query.x', 'body.action']);
  });

  it('adds the domain rules of a body to its schema problems', async () => {
    const res = await t.call('PUT', `/v1/sandbox/esims/${iccid}/data-usage`, {
      body: [
        { day: '2025-12-10', usage: '1' },
        { day: '2025-12-10', usage: '2' },
        { day: '2025-12-32', usage: '2' },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { path: 'body[2].day', message: 'must be a real calendar date YYYY-MM-DD' },
      { path: 'body[1].day', message: 'repeats 2025-12-10, already given at body[0]; each day may appear once' },
    ]);
  });
});

describe('malformed requests that never reach a route', () => {
  it('answers a malformed percent-escape in the path with a problem and a request id', async () => {
    const res = await t.call('GET', '/v1/orders/%ZZ');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_ERROR', status: 400, requestId: res.headers['x-request-id'] });
  });

  it('refuses a JSON body that is not UTF-8 instead of decoding it to U+FFFD', async () => {
    const payload = Buffer.concat([
      Buffer.from('{"planCode":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('","quantity":1}'),
    ]);
    const res = await t.call('POST', '/v1/orders', { payload, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'VALIDATION_ERROR',
      errors: [{ path: 'body', message: 'must be UTF-8' }],
    });
  });
});

describe('bodies the JSON parser refuses with a reason', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMITS: 'off' });
  });
  afterAll(async () => t.close());

  it.each(['gzip', 'br', 'deflate'])(
    'Content-Encoding: %s is 415 naming the coding, and nothing is ordered',
    async (coding) => {
      const res = await t.call('POST', '/v1/orders', {
        payload: JSON.stringify({ planCode: 'KD0001', quantity: 1 }),
        headers: { 'content-type': 'application/json', 'content-encoding': coding },
      });
      const body = expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(body.detail).toBe(`Content-Encoding ${coding} is not supported: send the body uncompressed`);
      const next = await t.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 1 } });
      expect(next.statusCode).toBe(201);
    },
  );

  it('Content-Encoding: identity is a plain body', async () => {
    const res = await t.call('POST', '/v1/orders', {
      payload: JSON.stringify({ planCode: 'KD0001', quantity: 1 }),
      headers: { 'content-type': 'application/json', 'content-encoding': 'identity' },
    });
    expect(res.statusCode).toBe(201);
  });

  it('a __proto__ key is refused as such, not as invalid JSON', async () => {
    const res = await t.call('PUT', '/v1/sandbox/webhook', {
      payload: '{"url":"https://reseller.example/hooks","__proto__":{"x":1}}',
      headers: { 'content-type': 'application/json' },
    });
    expectViolation(res, 'body', /__proto__ or constructor\.prototype key/);
    expect((await t.call('GET', '/v1/sandbox/webhook')).statusCode).toBe(404);
  });
});
