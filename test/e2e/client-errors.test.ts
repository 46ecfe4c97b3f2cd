/**
 * Requests Node's HTTP parser refuses before any route sees them, over a raw socket against
 * `node dist/server.js`: a control character in a header value, a request line that is not
 * HTTP, a header section over Node's 16 KiB limit. Each gets an RFC 9457 problem with a fresh
 * request id (in the body, the X-Request-Id header and the log line) and `Connection: close`,
 * and the server serves on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRawResponse, sendRaw, type RawResponse } from '../helpers/raw-http.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';

const KEY = 'acme-e2e-client-errors-1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let server: ServerProcess;

beforeAll(async () => {
  server = await startServer({ env: { SANDBOX_API_KEYS: `acme:${KEY}` } });
});

afterAll(async () => {
  await server?.stop();
});

/** Sends `head` (lines joined with CRLF, then an empty line) and reads the answer until the server closes. */
async function send(head: string[]): Promise<RawResponse & { problem: Record<string, unknown> }> {
  const response = parseRawResponse(await sendRaw(server.baseUrl, `${head.join('\r\n')}\r\n\r\n`));
  expect(Number(response.headers['content-length'])).toBe(response.body.length);
  return { ...response, problem: JSON.parse(response.body.toString('utf8')) as Record<string, unknown> };
}

/** Asserts the problem's shape and that its request id is the header's, and is logged. */
async function expectProblem(
  res: RawResponse & { problem: Record<string, unknown> },
  statusLine: string,
  code: string,
  title: string,
  detail: string,
  log: string,
): Promise<void> {
  expect(res.statusLine).toBe(statusLine);
  expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(res.headers.connection).toBe('close');
  expect(res.headers['x-request-id']).toMatch(UUID);
  const status = Number(statusLine.split(' ')[1]);
  expect(res.problem).toEqual({
    type: `urn:esim-sandbox:problem:${code.toLowerCase().replace(/_/g, '-')}`,
    title,
    status,
    detail,
    code,
    requestId: res.headers['x-request-id'],
  });
  // The log line comes through the process's stdout, which may lag behind the socket.
  const logged = () => server.logs().filter((line) => line.requestId === res.headers['x-request-id']);
  for (let waited = 0; logged().length === 0 && waited < 2000; waited += 50)
    await new Promise((resolve) => setTimeout(resolve, 50));
  expect(logged().map((line) => [line.level, line.msg])).toEqual([
    [30, `${log}: answered ${statusLine.slice('HTTP/1.1 '.length)}; connection closed`],
  ]);
}

describe('a request Node refuses to parse', () => {
  it('a control character in a header value (Idempotency-Key: a\\x01b): 400 VALIDATION_ERROR naming the reason', async () => {
    const { hostname, port } = new URL(server.baseUrl);
    const res = await send([
      'POST /v1/orders HTTP/1.1',
      `Host: ${hostname}:${port}`,
      `Authorization: Bearer ${KEY}`,
      'Idempotency-Key: a\x01b',
      'Content-Length: 0',
    ]);
    await expectProblem(
      res,
      'HTTP/1.1 400 Bad Request',
      'VALIDATION_ERROR',
      'Validation error',
      'the request is not valid HTTP/1.1: Invalid header value char',
      'client error HPE_INVALID_HEADER_TOKEN (Invalid header value char)',
    );
  });

  it('a request line that is not HTTP: 400 VALIDATION_ERROR', async () => {
    const res = await send(['NOT HTTP AT ALL']);
    await expectProblem(
      res,
      'HTTP/1.1 400 Bad Request',
      'VALIDATION_ERROR',
      'Validation error',
      'the request is not valid HTTP/1.1: Invalid method encountered',
      'client error HPE_INVALID_METHOD (Invalid method encountered)',
    );
  });

  it('a header section over 16 KiB: 431 REQUEST_HEADERS_TOO_LARGE', async () => {
    const res = await send(['GET /v1/plans HTTP/1.1', 'Host: sandbox', `X-Padding: ${'p'.repeat(17_000)}`]);
    await expectProblem(
      res,
      'HTTP/1.1 431 Request Header Fields Too Large',
      'REQUEST_HEADERS_TOO_LARGE',
      'Request header fields too large',
      'the request line and headers are larger than 16384 bytes',
      'client error HPE_HEADER_OVERFLOW (Header overflow)',
    );
  });

  it('leaves the server serving: the next connection gets its answer', async () => {
    const res = await fetch(`${server.baseUrl}/v1/plans?limit=1`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(1);
  });
});
