/**
 * The Fastify floor: Fastify 5 with one route, `GET /v1/esims/:iccid`, serializing one
 * constant eSIM status (the ceiling's JSON) through the sandbox's own response schema
 * (`Esim` of src/contract, compiled by fast-json-stringify as in the sandbox), with the same
 * X-Request-Id header, no hooks, no plugins, no logger, no database. What the framework
 * alone costs per request: the sandbox's cost above it is our code, the floor's cost above
 * the ceiling is Fastify's.
 *
 * Run as a child process by the harness (transpiled to plain JavaScript, beside
 * esim-body.ts) with PORT (required), HOST (default 127.0.0.1) and BENCH_ROOT, the
 * repository root: Fastify and the compiled contract (dist/) are loaded from there.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESIM, portFromEnv, REQUEST_ID } from './esim-body.js';

const port = portFromEnv('floor');
const root = process.env.BENCH_ROOT;
if (!root) {
  process.stderr.write('floor: BENCH_ROOT must name the repository root\n');
  process.exit(2);
}
const require = createRequire(join(root, 'package.json'));
const { default: Fastify } = (await import(pathToFileURL(require.resolve('fastify')).href)) as typeof import('fastify');
const { Esim } = (await import(
  pathToFileURL(join(root, 'dist', 'contract', 'esims.js')).href
)) as typeof import('../src/contract/esims.js');

// Fastify's defaults otherwise (keep-alive 72 s, as the sandbox and the ceiling).
const app = Fastify({ logger: false });
app.get('/v1/esims/:iccid', { schema: { response: { 200: Esim } } }, (_request, reply) => {
  void reply.header('x-request-id', REQUEST_ID);
  return ESIM;
});
await app.listen({ port, host: process.env.HOST ?? '127.0.0.1' });

process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
