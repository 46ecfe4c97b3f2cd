/**
 * The request log's pure rules: credentials masked, secrets redacted at any depth, bodies
 * bounded to 16 KiB on a character boundary, ICCIDs and the order found in what was sent and
 * answered, the problem code, the query object, and the stream's positions.
 */
import { describe, expect, it } from 'vitest';
import {
  iccidsOf,
  loggedBody,
  loggedHeaders,
  maskCredential,
  MAX_BODY_BYTES,
  problemCodeOf,
  queryObject,
  redactSecrets,
  transactionIdOf,
} from '../../src/domain/request-log.js';
import { decodePosition, encodePosition } from '../../src/domain/stream-position.js';

describe('credentials and secrets', () => {
  it('keeps the scheme and the last 4 characters of a key, none of a short one', () => {
    expect(maskCredential('Bearer sk_sandbox_abcdefgh1234')).toBe('Bearer …1234');
    expect(maskCredential('bearer    acme-secret-key-1')).toBe('bearer …ey-1');
    expect(maskCredential('Bearer 12345678')).toBe('Bearer …');
    expect(maskCredential('rawtoken-without-scheme')).toBe('…heme');
  });

  it('masks Authorization, Proxy-Authorization, X-Api-Key and Cookie; joins repeated headers', () => {
    expect(
      loggedHeaders({
        Authorization: 'Bearer acme-secret-key-1',
        'proxy-authorization': 'Basic dXNlcjpwYXNzd29yZA==',
        'x-api-key': 'acme-secret-key-1',
        cookie: 'session=abcdef123456',
        accept: ['a', 'b'],
        'content-length': 12,
        skipped: undefined,
      }),
    ).toEqual({
      authorization: 'Bearer …ey-1',
      'proxy-authorization': 'Basic …ZA==',
      'x-api-key': '…ey-1',
      cookie: '…3456',
      accept: 'a, b',
      'content-length': '12',
    });
  });

  it('redacts secret fields at any depth and leaves other bodies byte for byte', () => {
    const endpoint = '{"url":"http://x","secret":"whsec_abc","createdAt":"t"}';
    expect(redactSecrets(endpoint)).toBe('{"url":"http://x","secret":"[redacted]","createdAt":"t"}');
    expect(JSON.parse(redactSecrets('{"items":[{"apiKey":"sk_1","name":"a"}],"token":"t1"}'))).toEqual({
      items: [{ apiKey: '[redacted]', name: 'a' }],
      token: '[redacted]',
    });
    const plain = '{ "iccid" : "8900000000000000011" }';
    expect(redactSecrets(plain)).toBe(plain);
    expect(redactSecrets('"secret": not json')).toBe('"secret": not json');
  });
});

describe('bodies', () => {
  it('keeps JSON of at most 16 KiB as JSON, and cuts longer text at 16 KiB on a character boundary', () => {
    expect(loggedBody(undefined, true)).toEqual({ text: null, json: false, truncated: false });
    expect(loggedBody('{"a":1}', true)).toEqual({ text: '{"a":1}', json: true, truncated: false });
    const exact = `"${'x'.repeat(MAX_BODY_BYTES - 2)}"`;
    expect(loggedBody(exact, true)).toEqual({ text: exact, json: true, truncated: false });
    const long = `"${'é'.repeat(MAX_BODY_BYTES)}"`;
    const cut = loggedBody(long, true);
    expect(cut.json).toBe(false);
    expect(cut.truncated).toBe(true);
    expect(Buffer.byteLength(cut.text!, 'utf8')).toBe(MAX_BODY_BYTES - 1);
    expect(cut.text!.endsWith('é')).toBe(true);
    expect(loggedBody('plain text', false)).toEqual({ text: 'plain text', json: false, truncated: false });
  });
});

describe('what a request concerned', () => {
  it('finds every ICCID of the path and bodies once, in order', () => {
    const order = JSON.stringify({
      transactionId: 't-1',
      esims: Array.from({ length: 1000 }, (_, i) => ({ iccid: String(8900000000000000000n + BigInt(i)) })),
    });
    const found = iccidsOf(undefined, '{"planCode":"KD0001"}', order);
    expect(found.length).toBe(1000);
    expect(found[999]).toBe('8900000000000000999');
    expect(
      iccidsOf('8900000000000000011', null, '{"iccid":"8900000000000000011","iccids":["8900000000000000029"]}'),
    ).toEqual(['8900000000000000011', '8900000000000000029']);
    expect(iccidsOf('not-an-iccid', undefined)).toEqual([]);
  });

  it('takes the order named, else the first one answered', () => {
    expect(transactionIdOf('t-named', '{"transactionId":"t-other"}')).toBe('t-named');
    expect(transactionIdOf(undefined, '{"transactionId":"t-answered","esims":[]}')).toBe('t-answered');
    expect(transactionIdOf(undefined, '{"items":[]}')).toBeNull();
  });

  it('reads the problem code of a problem+json body only', () => {
    expect(problemCodeOf('application/problem+json; charset=utf-8', '{"code":"RATE_LIMITED"}')).toBe('RATE_LIMITED');
    expect(problemCodeOf('application/json; charset=utf-8', '{"code":"X"}')).toBeNull();
  });

  it('turns the query string into an object, a repeated parameter into an array', () => {
    expect(queryObject('/v1/plans?countryCode=JP&x=1&x=2&x=3&e=%C3%A9')).toEqual({
      countryCode: 'JP',
      x: ['1', '2', '3'],
      e: 'é',
    });
    expect(queryObject('/v1/plans')).toEqual({});
  });
});

describe('stream positions', () => {
  it('round-trips and refuses anything else at header.last-event-id', () => {
    const position = { request: 5120, history: 1042, attempt: 7, event: 318 };
    expect(encodePosition(position)).toBe('5120.1042.7.318');
    expect(decodePosition(' 5120.1042.7.318 ')).toEqual({ ok: true, position });
    for (const bad of ['5120.1042.7', 'a.b.c.d', '1.2.3.4.5', '99999999999999999.0.0.0'])
      expect(decodePosition(bad)).toMatchObject({ ok: false, violation: { path: 'header.last-event-id' } });
  });
});
