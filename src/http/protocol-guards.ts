/**
 * HTTP/1.1 rules that Node either enforces with a bare answer of its own (no problem
 * details, no request id) or not at all:
 *
 * - Host (RFC 9112 section 3.2): a server MUST answer 400 to an HTTP/1.1 request without a
 *   Host header, or with more than one. Node refuses a missing one with a bare 400 and lets
 *   a repeated one through; here both get a problem naming `header.host`.
 * - Expect (RFC 9110 section 10.1.1): `100-continue` is Node's (it sends 100 Continue and
 *   reads the body); any other expectation gets 417 Expectation Failed, here as a problem.
 * - CONNECT (RFC 9110 section 9.3.6) asks for a tunnel: this server is not a proxy. Node
 *   closes such a connection without a word; here it gets a 400 problem, then the close.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { rawProblemResponse } from './client-error.js';
import { problem, sendProblem } from './problem.js';

/** Node's http server options: Host is checked by the hook below, which answers a problem. */
export const HTTP_SERVER_OPTIONS = { requireHostHeader: false } as const;

/** How many Host header lines a request carries (Node keeps only the first in `headers`). */
function hostLines(request: IncomingMessage): number {
  let count = 0;
  for (let i = 0; i < request.rawHeaders.length; i += 2) if (request.rawHeaders[i]!.toLowerCase() === 'host') count++;
  return count;
}

/**
 * Adds the Host check (an onRequest hook, first of the app's) and the answers to an
 * unknown expectation and to CONNECT (listeners of the app's HTTP server).
 */
export function installProtocolGuards(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    const raw = request.raw;
    const lines = raw.httpVersion === '1.1' ? hostLines(raw) : 1;
    if (lines === 1) {
      done();
      return;
    }
    const message = lines === 0 ? 'is required in HTTP/1.1' : `must be given once, got ${lines} Host lines`;
    reply.header('Connection', 'close');
    void sendProblem(
      reply,
      problem('VALIDATION_ERROR', `header.host ${message} (RFC 9112 section 3.2)`, request.id, [
        { path: 'header.host', message },
      ]),
    );
  });
  // Not emitted under app.inject; listening servers only.
  app.server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
    const requestId = randomUUID();
    const expectation = String(request.headers.expect);
    const body = JSON.stringify(
      problem(
        'EXPECTATION_FAILED',
        `Expect: ${expectation} cannot be met: the only expectation this server knows is 100-continue (RFC 9110 section 10.1.1)`,
        requestId,
      ),
    );
    response.shouldKeepAlive = false;
    response.writeHead(417, {
      'Content-Type': 'application/problem+json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'X-Request-Id': requestId,
      Connection: 'close',
    });
    response.end(body);
    app.log.info({ requestId }, `Expect: ${expectation} refused with 417`);
  });
  app.server.on('connect', (request: IncomingMessage, socket: Duplex) => {
    const requestId = randomUUID();
    socket.on('error', () => undefined);
    socket.end(
      rawProblemResponse(
        problem(
          'VALIDATION_ERROR',
          `CONNECT ${request.url ?? ''} is not supported: this server is not a proxy; send the request itself (GET, POST, PUT, DELETE) to a path under /v1`,
          requestId,
        ),
      ),
    );
    app.log.info({ requestId }, 'CONNECT refused with 400; connection closed');
  });
}

/**
 * The `protocol-guards` plugin: installProtocolGuards as a pipeline step. It answers with
 * problem details, so it needs `problem-details`, and with the request id, so `request-id`.
 */
export const protocolGuardsPlugin = fp(
  (app: FastifyInstance, _options: unknown, done: (error?: Error) => void) => {
    installProtocolGuards(app);
    done();
  },
  { name: 'protocol-guards', fastify: '5.x', dependencies: ['request-id', 'problem-details'] },
);
