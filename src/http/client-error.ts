/**
 * The answer to a request Node's HTTP parser refuses before Fastify sees it (a control
 * character in a header value, a malformed request line, an over-long header section):
 * Fastify's `clientErrorHandler` server option, on Node's `clientError` event.
 *
 * Without it the client gets Fastify's `{"error":"Bad Request","message":"Client Error"}`:
 * no problem details, no X-Request-Id, no reason. Here it gets an RFC 9457 problem like any
 * other refusal (DESIGN.md section 2, Errors), with a fresh request id that the log line
 * carries too, and the connection closes (the parser cannot go on after an error). What Node
 * does otherwise is kept: nothing for a connection already reset, the bare 408 of a request
 * that timed out, a bare 400 for any other socket error, and no answer at all when a
 * response is already on its way out.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, maxHeaderSize, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import type { Problem } from '../contract/common.js';
import { problem, type ProblemCode } from './problem.js';

/** What Node's parser reports (Node's `clientError` event; Fastify's `ConnectionError`). */
export interface ParserError extends Error {
  code?: string;
  /** llhttp's reason, e.g. "Invalid header value char"; absent on timeouts and socket errors. */
  reason?: string;
}

/** Node's own answers (lib/_http_server.js), kept for what is not a parse error. */
const REQUEST_TIMEOUT = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n';
const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n';

/**
 * The bytes to write for a client error, or null to close the connection without a word
 * (a reset connection). A parse error (llhttp's `HPE_*` codes) gets a problem whose
 * `requestId` is `requestId`; anything else gets Node's own bare answer.
 */
export function clientErrorResponse(error: ParserError, requestId: string): string | null {
  if (error.code === 'ECONNRESET') return null;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return REQUEST_TIMEOUT;
  if (!error.code?.startsWith('HPE_')) return BAD_REQUEST;
  const [code, detail] = refusal(error);
  return rawProblemResponse(problem(code, detail, requestId));
}

/**
 * The bytes of a whole HTTP/1.1 response carrying `answer`, with `Connection: close`: for a
 * socket no ServerResponse writes to (a parse error, a CONNECT).
 */
export function rawProblemResponse(answer: Problem): string {
  const body = JSON.stringify(answer);
  return [
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}`,
    'Content-Type: application/problem+json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-Id: ${answer.requestId}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/** The problem code and detail of a parser error (the codes are llhttp's, as Node names them). */
function refusal(error: ParserError): [ProblemCode, string] {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return ['REQUEST_HEADERS_TOO_LARGE', `the request line and headers are larger than ${maxHeaderSize} bytes`];
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return ['PAYLOAD_TOO_LARGE', 'the chunk extensions of the request body are too large'];
    default:
      return ['VALIDATION_ERROR', `the request is not valid HTTP/1.1: ${error.reason ?? error.message}`];
  }
}

/**
 * Fastify's `clientErrorHandler`: answers the parser error as `clientErrorResponse` says,
 * logs it at info under the request id it sent, and destroys the socket, as Node does.
 */
export function clientErrorHandler(this: { log: FastifyBaseLogger }, error: ParserError, socket: Socket): void {
  if (socket.destroyed) return;
  const requestId = randomUUID();
  const response = clientErrorResponse(error, requestId);
  // As Node: never write into a response whose bytes have started to go out (a request
  // pipelined behind one being answered), which would corrupt what the client reads.
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (response !== null && socket.writable && !inFlight?.headersSent) {
    socket.write(response);
    const answered = response.slice('HTTP/1.1 '.length, response.indexOf('\r\n'));
    // The request id only where the client was given it (a problem), so that it finds this line.
    this.log.info(
      { ...(response.includes(requestId) ? { requestId } : {}), clientError: error.code },
      `client error ${error.code} (${error.reason ?? error.message}): answered ${answered}; connection closed`,
    );
  }
  socket.destroy(error);
}
