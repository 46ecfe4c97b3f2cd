/**
 * Plugin `openapi`: @fastify/swagger, which collects every route registered after it into the
 * OpenAPI 3.1 document (src/http/openapi.ts: the document's text and its transforms). Register
 * it before the routes; `docs` serves the result.
 */
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { registerOpenApi } from '../openapi.js';

const register: FastifyPluginAsync = async (app) => registerOpenApi(app);

/** The `openapi` plugin (no dependencies). */
export const openApiPlugin = fp(register, { name: 'openapi', fastify: '5.x' });
