/**
 * The ceiling: a bare `node:http` server answering every request with one constant eSIM
 * status JSON, the shape and size the sandbox answers for a seeded eSIM, with the same
 * headers (X-Request-Id, Content-Type, Content-Length; node adds Date, Connection,
 * Keep-Alive as it does for the sandbox). No routing, no parsing, no database: the most
 * Node.js can do for this payload on this machine, which the sandbox is measured against.
 *
 * Run as a child process by the harness (transpiled to plain JavaScript first), with PORT
 * (required) and HOST (default 127.0.0.1).
 */
import { createServer } from 'node:http';

/**
 * A freshly ordered eSIM of plan KD0001, as `GET /v1/esims/{iccid}` shows it: the seeded
 * eSIMs have exactly these field lengths (19-digit ICCID, 23-character matching ID, ISO
 * instants), so the body is byte for byte as long as the sandbox's.
 */
const ESIM = {
  iccid: '8900000000000012345',
  homeCountry: 'JP',
  roamingCountries: [],
  contractStatus: 'ACTIVE',
  profileProvisionStatus: 'AVAILABLE',
  profileInstallStatus: 'READY',
  isServiceRestricted: false,
  qrCode: 'LPA:1$smdp.sandbox.example$6FKAK-CQCRU-QP3AE-XFRM5',
  smdpAddress: 'smdp.sandbox.example',
  activationCode: '6FKAK-CQCRU-QP3AE-XFRM5',
  activationDeadline: '2027-05-28T10:09:39.854Z',
  downloadedAt: null,
  activatedOn: null,
  terminatedOn: null,
  expiresOn: null,
  initialInsertionDevice: null,
  initialInsertionAt: null,
  initialConnectionDevice: null,
  dataUsageDailyList: [],
  totalDataUsage: 0,
  lastUpdatedAt: '2026-11-29T10:09:39.854Z',
};

const BODY = Buffer.from(JSON.stringify(ESIM));
// Constant, so the ceiling pays nothing per response beyond writing it.
const HEADERS = {
  'x-request-id': 'e5bd2f5a-ace4-40ef-8e29-a39152e043bf',
  'content-type': 'application/json; charset=utf-8',
  'content-length': String(BODY.length),
};

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write('ceiling: PORT must be a TCP port number\n');
  process.exit(2);
}

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
