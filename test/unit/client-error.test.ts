/**
 * What a client error Node's parser reports becomes on the wire: a problem for a parse error
 * (llhttp's HPE_* codes), Node's own bare answers for a timeout and any other socket error,
 * nothing for a reset connection. The wire itself is tested in test/e2e/client-errors.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { clientErrorResponse, type ParserError } from '../../src/http/client-error.js';

const ID = '0b7c9a52-6f0e-4d1a-9f3b-2c8e5d7a1f40';
const error = (code: string, reason?: string): ParserError =>
  Object.assign(new Error(reason ? `Parse Error: ${reason}` : code), { code, ...(reason ? { reason } : {}) });

describe('clientErrorResponse', () => {
  it('a parse error: a 400 problem naming the reason, with the request id, closing the connection', () => {
    const body = JSON.stringify({
      type: 'urn:esim-sandbox:problem:validation-error',
      title: 'Validation error',
      status: 400,
      detail: 'the request is not valid HTTP/1.1: Invalid header value char',
      code: 'VALIDATION_ERROR',
      requestId: ID,
    });
    expect(clientErrorResponse(error('HPE_INVALID_HEADER_TOKEN', 'Invalid header value char'), ID)).toBe(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${body.length}\r\nX-Request-Id: ${ID}\r\nConnection: close\r\n\r\n${body}`,
    );
  });

  it('chunk extensions over the limit: 413 PAYLOAD_TOO_LARGE', () => {
    const response = clientErrorResponse(error('HPE_CHUNK_EXTENSIONS_OVERFLOW', 'Chunk extensions overflow'), ID)!;
    expect(response.slice(0, response.indexOf('\r\n'))).toBe('HTTP/1.1 413 Payload Too Large');
    expect(JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4))).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      status: 413,
      requestId: ID,
    });
  });

  it("a request timeout: Node's bare 408", () => {
    expect(clientErrorResponse(error('ERR_HTTP_REQUEST_TIMEOUT'), ID)).toBe(
      'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n',
    );
  });

  it("another socket error: Node's bare 400", () => {
    expect(clientErrorResponse(error('EPIPE'), ID)).toBe('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  it('a reset connection: nothing', () => {
    expect(clientErrorResponse(error('ECONNRESET'), ID)).toBeNull();
  });
});
