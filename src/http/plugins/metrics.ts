/**
 * Plugin `metrics`: records every response of the app (an onResponse hook on the root) in
 * the Prometheus registry (src/http/metrics.ts), serves it as text at `GET /metrics` (no API
 * key, not in the OpenAPI document), and makes it `app.metrics` for the plugins that count
 * (rate limits, fault injection) and the webhook dispatcher.
 */
import type { FastifyPluginCallback } from 'fastify';
import fp from 'fastify-plugin';
import type { Metrics } from '../metrics.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's metrics (one registry per app). */
    metrics: Metrics;
  }
}

export interface MetricsOptions {
  metrics: Metrics;
}

const register: FastifyPluginCallback<MetricsOptions> = (app, { metrics }, done) => {
  app.decorate('metrics', metrics);
  app.addHook('onResponse', (request, reply, next) => {
    metrics.observe(request, reply);
    next();
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
  done();
};

/** The `metrics` plugin (no dependencies); register it on the root, before the routes. */
export const metricsPlugin = fp(register, { name: 'metrics', fastify: '5.x' });
