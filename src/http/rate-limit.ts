/**
 * Per-key, per-operation rate limits (DESIGN.md section 2, Rate limits) with
 * @fastify/rate-limit: fixed 60-second windows that start with the first request counted,
 * `X-RateLimit-Limit/Remaining/Reset` on every authenticated response of a limited route,
 * and 429 with `Retry-After` and a RATE_LIMITED problem over the limit.
 */
import { createRequire } from 'node:module';
import rateLimit, { type FastifyRateLimitStore } from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { HttpProblem } from './problem.js';

type LocalStoreCtor = new (continueExceeding: boolean, exponentialBackoff: boolean, cache: number) => FastifyRateLimitStore;
// The plugin's own fixed-window store; it is CommonJS and not exported by name.
const LocalStore = createRequire(import.meta.url)('@fastify/rate-limit/store/LocalStore') as LocalStoreCtor;

// Counters kept in memory: API keys x operations. Past this the least recently used go.
const COUNTER_LIMIT = 100_000;

/**
 * One in-memory store for every route. The plugin gives each route a store of its own;
 * sharing one lets GET and the HEAD Fastify adds for it spend one quota (the key names
 * the operation, so nothing else is shared).
 */
class SharedLocalStore implements FastifyRateLimitStore {
  private readonly store = new LocalStore(false, false, COUNTER_LIMIT);
  incr(...args: Parameters<FastifyRateLimitStore['incr']>): void {
    this.store.incr(...args);
  }
  child(): FastifyRateLimitStore {
    return this;
  }
}

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
    store: SharedLocalStore,
    // The auth hook ran first (instance hooks precede route hooks), so the key hash is set;
    // the route makes the key per operation. HEAD is the GET operation without a body
    // (Fastify adds it for every GET), so it spends the GET's quota.
    keyGenerator: (request) => `${request.apiKeyHash}:${request.method === 'HEAD' ? 'GET' : request.method}:${request.routeOptions.url}`,
    errorResponseBuilder: (_request, context) =>
      new HttpProblem('RATE_LIMITED', `rate limit of ${context.max} requests per minute exceeded for this API key and operation; retry in ${Math.ceil(context.ttl / 1000)} s`),
  });
}

/** Route config for a limit of `max` requests per minute per API key. */
export function limitPerMinute(max: number): { rateLimit: { max: number; timeWindow: number } } {
  return { rateLimit: { max, timeWindow: WINDOW_MS } };
}
