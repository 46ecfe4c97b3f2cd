/**
 * Plugin `docs`: serves the OpenAPI document at `/openapi.json` and the reference page at
 * `/docs` (@fastify/swagger-ui, whose assets ship inside the package: no CDN). No API key.
 */
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

const register: FastifyPluginAsync = async (app) => {
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // The validator badge would call validator.swagger.io: the page must work offline.
    uiConfig: { validatorUrl: null, deepLinking: true, docExpansion: 'list', defaultModelsExpandDepth: 0 },
    theme: { title: 'eSIM Commerce Sandbox API reference' },
    staticCSP: true,
    // The sandbox runs on plain http (often a LAN address): upgrading the page's own asset
    // requests to https would leave it blank, and it calls no validator.
    transformStaticCSP: (header) =>
      header.replace(/ ?upgrade-insecure-requests;/, '').replace(' validator.swagger.io', ''),
  });
};

/** The `docs` plugin (needs `openapi`); register it after every route, so the document is complete. */
export const docsPlugin = fp(register, { name: 'docs', fastify: '5.x', dependencies: ['openapi'] });
