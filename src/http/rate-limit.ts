/**
 * Per-key, per-operation rate limits (DESIGN.md section 2, Rate limits) with
 * @fastify/rate-limit: fixed 60-second windows that start with the first request counted,
 * `X-RateLimit-Limit/Remaining/Reset` on every authenticated response of a limited route,
 * and 429 with `Retry-After` and a RATE_LIMITED problem over the limit.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { HttpProblem } from './problem.js';

/** One minute, the window of every limit in the contract. */
export const WINDOW_MS = 60_000;

/**
 * Registers the plugin on `scope`. Routes opt in with `config.rateLimit = limitPerMinute(n)`.
 * When `enabled` is false (`RATE_LIMITS=off`) nothing is registered and no headers are sent.
 */
export async function registerRateLimits(scope: FastifyInstance, enabled: boolean): Promise<void> {
  if (!enabled) return;
  await scope.register(rateLimit, {
    global: false,
    timeWindow: WINDOW_MS,
    // The auth hook ran first (instance hooks precede route hooks), so the key hash is set;
    // the route makes the key per operation.
    keyGenerator: (request) => `${request.apiKeyHash}:${request.routeOptions.method}:${request.routeOptions.url}`,
    errorResponseBuilder: (_request, context) =>
      new HttpProblem('RATE_LIMITED', `rate limit of ${context.max} requests per minute exceeded for this API key and operation; retry in ${Math.ceil(context.ttl / 1000)} s`),
  });
}

/** Route config for a limit of `max` requests per minute per API key. */
export function limitPerMinute(max: number): { rateLimit: { max: number; timeWindow: number } } {
  return { rateLimit: { max, timeWindow: WINDOW_MS } };
}
