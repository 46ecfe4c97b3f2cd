/**
 * Plugin `problem-details`: every failure answers as an RFC 9457 problem (src/http/problem.ts).
 * It sets the root's error handler (validation, domain refusals, Fastify's own client errors,
 * anything unexpected: logged with its stack under the request id, while the client sees only
 * the problem) and the not-found handler, which tells an unknown path (404 NOT_FOUND) from a
 * method a known path does not serve (405 METHOD_NOT_ALLOWED with `Allow`, and 204 with
 * `Allow` for OPTIONS). What never becomes a request (a malformed
 * %-escape in the path, what Node's parser refuses) is answered by server options of app.ts:
 * `frameworkErrors` below and src/http/client-error.ts.
 */
import type { FastifyError, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpProblem, problem, sendProblem, toProblem } from '../problem.js';

/**
 * The methods a route may serve, in the order `Allow` lists them; OPTIONS is answered for
 * every known path (here, or by the CORS plugin for a preflight), so it is always added.
 */
const SERVABLE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

const register: FastifyPluginCallback = (app, _options, done) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const body = toProblem(error, request);
    if (body.status >= 500) request.log.error({ err: error }, 'unexpected error');
    if (error instanceof HttpProblem) reply.headers(error.headers);
    return sendProblem(reply, body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const served = SERVABLE_METHODS.filter((method) => app.findRoute({ method, url: path }) !== null);
    // No route for the path, or one that serves this very method and found nothing there (a
    // wildcard route such as the reference page's files calls the not-found handler): 404.
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    if (served.length === 0 || (served as readonly string[]).includes(method))
      return sendProblem(reply, problem('NOT_FOUND', `no route ${request.method} ${path}`, request.id));
    // A known path: the router found no route for this method only (RFC 9110 section 15.5.6).
    const allow = [...served, 'OPTIONS'].join(', ');
    reply.header('Allow', allow);
    // OPTIONS asks which methods the path serves (section 9.3.7): the answer is Allow itself.
    if (request.method === 'OPTIONS') return reply.code(204).send();
    return sendProblem(
      reply,
      problem('METHOD_NOT_ALLOWED', `${request.method} is not served at ${path}; it serves ${allow}`, request.id),
    );
  });
  done();
};

/**
 * Fastify's `frameworkErrors` server option: a malformed %-escape in the path never reaches a
 * route, so it is answered here as a 400 VALIDATION_ERROR at `path`, with its request id.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  reply.header('X-Request-Id', request.id);
  sendProblem(
    reply,
    problem('VALIDATION_ERROR', `the URL is malformed: ${error.message}`, request.id, [
      { path: 'path', message: 'must be a valid URL path (malformed percent-escape)' },
    ]),
  );
}

/** The `problem-details` plugin (needs `request-id`: every problem carries the id the header sends). */
export const problemDetailsPlugin = fp(register, {
  name: 'problem-details',
  fastify: '5.x',
  dependencies: ['request-id'],
});
