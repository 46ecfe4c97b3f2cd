/**
 * The fuzz suite's raw-HTTP part, against the real server process (`node dist/server.js`)
 * on real sockets: what a client library never sends. No Host (400 problem), two Hosts
 * (400), `Expect: 100-continue` (100 Continue, then the answer) and an unknown expectation
 * (417 problem), absurd header sizes (431 problem), CONNECT and odd methods, a Content-Length
 * past 1 MiB or past any number, and generated requests (fast-check, fixed seed) over fetch:
 * never a 5xx, never a hang, and a problem for every 4xx.
 */
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRawResponse, sendRaw, type RawResponse } from '../helpers/raw-http.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { checkAnswer, operationsOf, requestArbitrary, type FuzzDocument } from './openapi-fuzz.js';

const KEY = 'acme-raw-fuzz-key-1';
const AUTH = `Authorization: Bearer ${KEY}`;
let server: ServerProcess;
beforeAll(async () => {
  server = await startServer({ env: { SANDBOX_API_KEYS: `acme:${KEY}`, RATE_LIMITS: 'off' } });
});
afterAll(async () => {
  await server?.stop();
});

/** Sends the request (head lines, then `body`) and parses the answer; fails on a hang (5 s). */
async function raw(head: string[], body = ''): Promise<RawResponse> {
  const bytes = await Promise.race([
    sendRaw(server.baseUrl, `${head.join('\r\n')}\r\n\r\n${body}`),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in 5 s to ${head[0]}`)), 5000)),
  ]);
  return parseRawResponse(bytes);
}

function problemOf(res: RawResponse): Record<string, unknown> {
  expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(Number(res.headers['content-length'])).toBe(res.body.length);
  return JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
}

describe('raw sockets', () => {
  it('no Host header in HTTP/1.1: 400 problem at header.host, connection closed', async () => {
    const res = await raw(['GET /v1/plans?limit=1 HTTP/1.1', AUTH]);
    expect(res.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(res.headers.connection).toBe('close');
    expect(problemOf(res)).toMatchObject({
      status: 400,
      code: 'VALIDATION_ERROR',
      detail: 'header.host is required in HTTP/1.1 (RFC 9112 section 3.2)',
      errors: [{ path: 'header.host', message: 'is required in HTTP/1.1' }],
    });
  });

  it('two Host headers: 400 problem (RFC 9112 section 3.2)', async () => {
    const res = await raw(['GET /v1/plans?limit=1 HTTP/1.1', 'Host: a.example', 'Host: b.example', AUTH]);
    expect(res.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(problemOf(res)).toMatchObject({
      errors: [{ path: 'header.host', message: 'must be given once, got 2 Host lines' }],
    });
  });

  it('HTTP/1.0 without Host is served (Host is HTTP/1.1 only)', async () => {
    const res = await raw(['GET /v1/plans?limit=1 HTTP/1.0', AUTH]);
    expect(res.statusLine).toBe('HTTP/1.1 200 OK');
    expect(JSON.parse(res.body.toString('utf8'))).toMatchObject({ meta: { page: 1, limit: 1 } });
  });

  it('Expect: 100-continue gets 100 Continue before the body, then the order', async () => {
    const { hostname, port } = new URL(server.baseUrl);
    const body = '{"planCode":"KD0001","quantity":1}';
    const received = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = net.connect(Number(port), hostname, () =>
        socket.write(
          [
            'POST /v1/orders HTTP/1.1',
            'Host: sandbox.test',
            AUTH,
            'Content-Type: application/json',
            'Expect: 100-continue',
            `Content-Length: ${body.length}`,
            'Connection: close',
            '',
            '',
          ].join('\r\n'),
        ),
      );
      socket.setTimeout(5000, () => reject(new Error(`hang after ${JSON.stringify(text)}`)));
      socket.on('data', (chunk: Buffer) => {
        const first = text === '';
        text += chunk.toString('latin1');
        if (first) {
          expect(text).toBe('HTTP/1.1 100 Continue\r\n\r\n');
          socket.write(body);
        }
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(text));
    });
    const answer = parseRawResponse(Buffer.from(received.slice('HTTP/1.1 100 Continue\r\n\r\n'.length), 'latin1'));
    expect(answer.statusLine).toBe('HTTP/1.1 201 Created');
    expect(JSON.parse(answer.body.toString('utf8'))).toMatchObject({ esims: [{ contractStatus: 'ACTIVE' }] });
  });

  it('an unknown expectation: 417 problem EXPECTATION_FAILED, nothing ordered', async () => {
    const res = await raw(
      [
        'POST /v1/orders HTTP/1.1',
        'Host: sandbox.test',
        AUTH,
        'Content-Type: application/json',
        'Expect: teapot',
        'Content-Length: 34',
      ],
      '{"planCode":"KD0001","quantity":1}',
    );
    expect(res.statusLine).toBe('HTTP/1.1 417 Expectation Failed');
    expect(problemOf(res)).toMatchObject({
      status: 417,
      code: 'EXPECTATION_FAILED',
      title: 'Expectation failed',
      detail:
        'Expect: teapot cannot be met: the only expectation this server knows is 100-continue (RFC 9110 section 10.1.1)',
    });
  });

  it('CONNECT: 400 problem (not a proxy), connection closed', async () => {
    const res = await raw(['CONNECT example.com:443 HTTP/1.1', 'Host: example.com:443']);
    expect(res.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(res.headers.connection).toBe('close');
    expect(problemOf(res)).toMatchObject({
      code: 'VALIDATION_ERROR',
      detail: expect.stringMatching(/^CONNECT example\.com:443 is not supported: this server is not a proxy/),
    });
  });

  it.each([
    // A method the path does not serve: 405 (RFC 9110 section 15.5.6), Allow naming what it serves.
    ['PROPFIND', 405],
    ['TRACE', 405],
    ['FOO', 400],
    ['get', 400],
  ])('method %s answers %i as a problem, no 5xx, no hang', async (method, status) => {
    const res = await raw([`${method} /v1/plans HTTP/1.1`, 'Host: sandbox.test', AUTH, 'Connection: close']);
    expect(Number(res.statusLine.split(' ')[1])).toBe(status);
    expect(problemOf(res)).toMatchObject({ status });
    if (status === 405) expect(res.headers['allow']).toBe('GET, HEAD, OPTIONS');
  });

  it.each([
    ['one 20 KB header', ['X-Big: ' + 'a'.repeat(20_000)]],
    ['3,000 headers', Array.from({ length: 3000 }, (_, i) => `X-H${i}: 1`)],
    ['a 20 KB URL', []],
  ])('%s: 431 (or 400) problem, connection closed', async (name, extra) => {
    const target = name === 'a 20 KB URL' ? `/v1/plans?x=${'1'.repeat(20_000)}` : '/v1/plans';
    const res = await raw([`GET ${target} HTTP/1.1`, 'Host: sandbox.test', ...extra]);
    expect(res.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(problemOf(res)).toMatchObject({ code: 'REQUEST_HEADERS_TOO_LARGE' });
  });

  it('Content-Length past 1 MiB: 413 at once, without waiting for the body', async () => {
    const res = await raw([
      'POST /v1/orders HTTP/1.1',
      'Host: sandbox.test',
      AUTH,
      'Content-Type: application/json',
      'Content-Length: 99999999999',
    ]);
    expect(res.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(problemOf(res)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('Content-Length past any number: 400 problem', async () => {
    const res = await raw([
      'POST /v1/orders HTTP/1.1',
      'Host: sandbox.test',
      AUTH,
      'Content-Type: application/json',
      `Content-Length: ${'9'.repeat(30)}`,
    ]);
    expect(res.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(problemOf(res)).toMatchObject({
      code: 'VALIDATION_ERROR',
      detail: 'the request is not valid HTTP/1.1: Content-Length overflow',
    });
  });

  it('a duplicate member over real HTTP: 400 at body.quantity', async () => {
    const body = '{"planCode":"KD0001","quantity":1,"quantity":2}';
    const res = await raw(
      [
        'POST /v1/orders HTTP/1.1',
        'Host: sandbox.test',
        AUTH,
        'Content-Type: application/json',
        `Content-Length: ${body.length}`,
        'Connection: close',
      ],
      body,
    );
    expect(res.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(problemOf(res)).toMatchObject({
      errors: [{ path: 'body.quantity', message: 'is given more than once; each member may appear once' }],
    });
  });
});

describe('generated requests over real HTTP', () => {
  it('answer without a 5xx, with a problem for every 4xx (fixed seed, 10 per operation)', async () => {
    const document = (await (await fetch(`${server.baseUrl}/openapi.json`)).json()) as FuzzDocument;
    let sent = 0;
    for (const [template, method] of operationsOf(document)) {
      await fc.assert(
        fc.asyncProperty(requestArbitrary(document, template, method, {}, KEY), async (request) => {
          const res = await fetch(`${server.baseUrl}${request.url}`, {
            method: request.method,
            headers: request.headers,
            // fetch sends no body with GET (the in-process part does).
            ...(request.payload !== undefined && request.method !== 'GET' ? { body: request.payload } : {}),
            signal: AbortSignal.timeout(5000),
          });
          sent++;
          checkAnswer(request, res.status, res.headers.get('content-type') ?? '', await res.text());
        }),
        { seed: 20261203, numRuns: 10, endOnFailure: true },
      );
    }
    expect(sent).toBe(operationsOf(document).length * 10);
  });
});
