/**
 * `GET /`: a person opening the base URL lands on a page of the sandbox rather than a 404
 * problem. A temporary redirect (302 Found, RFC 9110 section 15.4.3), so that a browser does
 * not remember it when the landing page changes. Not in the OpenAPI document.
 */
import type { FastifyPluginCallback } from 'fastify';

/** Where `GET /` sends a browser: the console (the API reference is at /docs). */
export const HOME_LOCATION = '/console';

/** The `GET /` redirect (HEAD too, as for every GET route). */
export const homeRoutes: FastifyPluginCallback = (app, _options, done) => {
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect(HOME_LOCATION, 302));
  done();
};
