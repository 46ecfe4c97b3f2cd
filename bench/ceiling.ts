/**
 * The ceiling: a bare `node:http` server answering every request with one constant eSIM
 * status JSON, the shape and size the sandbox answers for a seeded eSIM, with the same
 * headers (X-Request-Id, Content-Type, Content-Length; node adds Date, Connection,
 * Keep-Alive as it does for the sandbox). No routing, no parsing, no database: the most
 * Node.js can do for this payload on this machine, which the sandbox is measured against.
 *
 * Run as a child process by the harness (transpiled to plain JavaScript first, with
 * esim-body.ts beside it), with PORT (required) and HOST (default 127.0.0.1).
 */
import { createServer } from 'node:http';
import { ESIM, portFromEnv, REQUEST_ID } from './esim-body.js';

const BODY = Buffer.from(JSON.stringify(ESIM));
// Constant, so the ceiling pays nothing per response beyond writing it.
const HEADERS = {
  'x-request-id': REQUEST_ID,
  'content-type': 'application/json; charset=utf-8',
  'content-length': String(BODY.length),
};

const port = portFromEnv('ceiling');

const server = createServer((_request, response) => {
  response.writeHead(200, HEADERS);
  response.end(BODY);
});
// Fastify's default, so that both servers keep connections alive alike.
server.keepAliveTimeout = 72_000;
server.listen(port, process.env.HOST ?? '127.0.0.1');

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
