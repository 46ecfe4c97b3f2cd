/**
 * What a JSON body may hold beyond its schema: a member given twice (at any depth) is a 400
 * naming it by its path and JSON pointer, never last-one-wins; nesting deeper than 64
 * levels is a 400 too; and nothing is written for either. Malformed JSON keeps its answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { expectProblem, expectViolation, orderOne } from './support.js';

let t: TestApp;
let iccid: string;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMITS: 'off' });
  iccid = (await orderOne(t)).iccid;
});
afterAll(async () => t.close());

const JSON_HEADERS = { 'content-type': 'application/json' };

async function orderCount(): Promise<number> {
  const res = await t.call('GET', '/v1/sandbox/orders?limit=100');
  expect(res.statusCode).toBe(200);
  return res.json<{ items: unknown[] }>().items.length;
}

describe('a member given twice', () => {
  it('refuses {"planCode":"KD0001","quantity":1,"quantity":2} naming body.quantity, and orders nothing', async () => {
    const before = await orderCount();
    const res = await t.call('POST', '/v1/orders', {
      payload: '{"planCode":"KD0001","quantity":1,"quantity":2}',
      headers: JSON_HEADERS,
    });
    const body = expectViolation(res, 'body.quantity', /^is given more than once; each member may appear once$/);
    expect(body.errors).toEqual([
      { path: 'body.quantity', message: 'is given more than once; each member may appear once' },
    ]);
    expect(body.detail).toBe(
      'body.quantity (JSON pointer /quantity) is given more than once; each member may appear once',
    );
    expect(await orderCount()).toBe(before);
  });

  it('refuses the same value given twice too (no guessing which one was meant)', async () => {
    const res = await t.call('POST', '/v1/orders', {
      payload: '{"planCode":"KD0001","planCode":"KD0001","quantity":1}',
      headers: JSON_HEADERS,
    });
    expectViolation(res, 'body.planCode', /more than once/);
  });

  it('refuses a member repeated inside an array element, naming body[1].day and /1/day', async () => {
    const res = await t.call('PUT', `/v1/sandbox/esims/${iccid}/data-usage`, {
      payload: '[{"day":"2025-12-10","usage":"1"},{"day":"2025-12-11","usage":"2","day":"2025-12-12"}]',
      headers: JSON_HEADERS,
    });
    const body = expectViolation(res, 'body[1].day', /more than once/);
    expect(body.detail).toContain('(JSON pointer /1/day)');
    const esim = await t.call('GET', `/v1/esims/${iccid}`);
    expect(esim.json<{ dataUsageDailyList: unknown[] }>().dataUsageDailyList).toEqual([]);
  });

  it('refuses a member repeated in a nested object that the schema would refuse anyway, by the repetition', async () => {
    const res = await t.call('POST', '/v1/orders', {
      payload: '{"planCode":"KD0001","quantity":1,"x":{"a~b/c":1,"a~b/c":2}}',
      headers: JSON_HEADERS,
    });
    const body = expectViolation(res, 'body.x.a~b/c', /more than once/);
    expect(body.detail).toContain('(JSON pointer /x/a~0b~1c)');
  });

  it('takes names that differ only by an escape as the same name', async () => {
    const res = await t.call('POST', '/v1/orders', {
      payload: '{"planCode":"KD0001","quantity":1,"quan\\u0074ity":2}',
      headers: JSON_HEADERS,
    });
    expectViolation(res, 'body.quantity', /more than once/);
  });

  it('accepts the same name in two different objects', async () => {
    const res = await t.call('PUT', `/v1/sandbox/esims/${iccid}/data-usage`, {
      payload: '[{"day":"2025-12-10","usage":"1"},{"day":"2025-12-11","usage":"2"}]',
      headers: JSON_HEADERS,
    });
    expect(res.statusCode, res.body).toBe(200);
  });
});

describe('nesting depth', () => {
  it('refuses 65 levels of arrays at body, with a 400, not a crash', async () => {
    const res = await t.call('PUT', `/v1/sandbox/esims/${iccid}/data-usage`, {
      payload: `${'['.repeat(65)}${']'.repeat(65)}`,
      headers: JSON_HEADERS,
    });
    const body = expectViolation(res, 'body', /^must not nest arrays and objects deeper than 64 levels$/);
    expect(body.detail).toMatch(/deeper than 64 levels \(at JSON pointer (\/0){64}\)$/);
  });

  it('refuses half a megabyte of nested objects with a 400', async () => {
    const levels = 100_000;
    const res = await t.call('POST', '/v1/orders', {
      payload: `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`,
      headers: JSON_HEADERS,
    });
    expectViolation(res, 'body', /deeper than 64 levels/);
  });

  it('lets 64 levels through to the schema, which names what is wrong', async () => {
    const res = await t.call('POST', '/v1/orders', {
      payload: `{"planCode":"KD0001","quantity":${'['.repeat(63)}${']'.repeat(63)}}`,
      headers: JSON_HEADERS,
    });
    expectViolation(res, 'body.quantity', /integer/);
  });
});

describe('malformed JSON keeps its answer', () => {
  it('a syntax error after a repeated member is reported as invalid JSON', async () => {
    const res = await t.call('POST', '/v1/orders', {
      payload: '{"quantity":1,"quantity":2,',
      headers: JSON_HEADERS,
    });
    const body = expectProblem(res, 400, 'VALIDATION_ERROR');
    expect(body.errors).toEqual([{ path: 'body', message: 'must be valid JSON' }]);
  });

  it('a comment is invalid JSON, as before', async () => {
    const res = await t.call('POST', '/v1/orders', {
      payload: '{"planCode":"KD0001", /* one */ "quantity":1}',
      headers: JSON_HEADERS,
    });
    expectViolation(res, 'body', /valid JSON/);
  });
});

describe('Content-Type charset (JSON is UTF-8, RFC 8259 section 8.1)', () => {
  it.each(['iso-8859-1', 'utf-16', 'US-ASCII', '"latin1"'])(
    'refuses charset=%s with 415, naming it, and orders nothing',
    async (charset) => {
      const before = await orderCount();
      const res = await t.call('POST', '/v1/orders', {
        payload: '{"planCode":"KD0001","quantity":1}',
        headers: { 'content-type': `application/json; charset=${charset}` },
      });
      const body = expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(body.detail).toBe(
        `Content-Type charset=${charset.replace(/"/g, '').toLowerCase()} is not supported: JSON is UTF-8 (RFC 8259 section 8.1); send charset=utf-8 or no charset`,
      );
      expect(await orderCount()).toBe(before);
    },
  );

  it.each(['utf-8', 'UTF-8', '"utf-8"'])('accepts charset=%s', async (charset) => {
    const res = await t.call('POST', '/v1/orders', {
      payload: '{"planCode":"KD0001","quantity":1}',
      headers: { 'content-type': `application/json; charset=${charset}` },
    });
    expect(res.statusCode, res.body).toBe(201);
  });

  it('refuses a foreign charset on an operation that takes no body too', async () => {
    const res = await t.call('POST', '/v1/sandbox/clock/reset', {
      payload: '',
      headers: { 'content-type': 'application/json; charset=iso-8859-1' },
    });
    expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('a syntax error says what was expected and where', () => {
  const cases: [string, string][] = [
    [
      '{"planCode":"KD0001","quantity":1,}',
      "a property name in double quotes was expected, found '}' at line 1, column 35",
    ],
    ['{"planCode": KD0001}', "unexpected 'K' at line 1, column 14"],
    ['{\n  "planCode": "KD0001"\n  "quantity": 1\n}', "',' was expected, found '\"' at line 3, column 3"],
    ['{"planCode":"KD0001"', "'}' was expected, found the end of the body at line 1, column 21"],
    ['{"planCode":"KD0001"} {}', "the JSON text should end, found '{' at line 1, column 23"],
  ];
  for (const [payload, where] of cases)
    it(JSON.stringify(payload), async () => {
      const res = await t.call('POST', '/v1/orders', { payload, headers: JSON_HEADERS });
      const body = expectProblem(res, 400, 'VALIDATION_ERROR');
      expect([body.detail, body.errors]).toEqual([
        `the request body is not valid JSON: ${where}`,
        [{ path: 'body', message: 'must be valid JSON' }],
      ]);
    });

  it('an empty body of an operation that takes one', async () => {
    const res = await t.call('POST', '/v1/orders', { payload: '', headers: JSON_HEADERS });
    const body = expectProblem(res, 400, 'VALIDATION_ERROR');
    expect(body.detail).toBe('the request body is empty: this operation takes a JSON body');
  });
});
