/**
 * Plugin `rate-limit`: per-key, per-operation rate limits (DESIGN.md section 2, Rate limits)
 * with @fastify/rate-limit, registered in the /v1 scope after `auth` (the key is the API key
 * hash). Routes opt in with `config: limitPerMinute(n)`; the counters are this process's
 * memory, or Redis (`REDIS_URL`) shared by every instance, with a fail-open fallback
 * (src/http/rate-limit.ts). With `RATE_LIMITS=off` nothing is registered and no headers are sent.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { routeLabel } from '../metrics.js';
import { HttpProblem } from '../problem.js';
import { DEFAULT_REDIS_KEY_PREFIX, LocalCounters, RedisCounters, storeOver, WINDOW_MS } from '../rate-limit.js';

export interface RateLimitOptions {
  /** False for `RATE_LIMITS=off`. */
  enabled: boolean;
  /** Prefix of the keys in Redis (`REDIS_KEY_PREFIX`). */
  redisKeyPrefix?: string;
}

const register: FastifyPluginAsync<RateLimitOptions> = async (scope, options) => {
  if (!options.enabled) return;
  const { metrics, redis } = scope;
  const counters = redis
    ? new RedisCounters(redis, options.redisKeyPrefix ?? DEFAULT_REDIS_KEY_PREFIX, metrics, scope.log)
    : new LocalCounters();
  await scope.register(rateLimit, {
    global: false,
    timeWindow: WINDOW_MS,
    store: storeOver(counters),
    onExceeded: (request) => metrics.rateLimitRejections.inc({ route: routeLabel(request) }),
    // The auth hook ran first (scope hooks precede route hooks), so the key hash is set;
    // the route makes the key per operation. HEAD is the GET operation without a body
    // (Fastify adds it for every GET), so it spends the GET's quota.
    keyGenerator: (request) =>
      `${request.apiKeyHash}:${request.method === 'HEAD' ? 'GET' : request.method}:${request.routeOptions.url}`,
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(
        'RATE_LIMITED',
        `rate limit of ${context.max} requests per minute exceeded for this API key and operation; retry in ${Math.ceil(context.ttl / 1000)} s`,
      ),
  });
};

/** The `rate-limit` plugin (needs `auth`, `metrics` and `redis`); register it before the routes. */
export const rateLimitPlugin = fp(register, {
  name: 'rate-limit',
  fastify: '5.x',
  dependencies: ['auth', 'metrics', 'redis'],
});
