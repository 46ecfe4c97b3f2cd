/**
 * Per-key, per-operation rate limits (DESIGN.md section 2, Rate limits) with
 * @fastify/rate-limit: fixed 60-second windows that start with the first request counted,
 * `X-RateLimit-Limit/Remaining/Reset` on every authenticated response of a limited route,
 * and 429 with `Retry-After` and a RATE_LIMITED problem over the limit.
 */
import { createRequire } from 'node:module';
import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Metrics } from './metrics.js';

type LocalStoreCtor = new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  cache: number,
) => FastifyRateLimitStore;
type RedisStoreCtor = new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  redis: Redis,
  key: string,
) => FastifyRateLimitStore;
// The plugin's own fixed-window stores; they are CommonJS and not exported by name.
const requireCjs = createRequire(import.meta.url);
const LocalStore = requireCjs('@fastify/rate-limit/store/LocalStore') as LocalStoreCtor;
// Its Lua script: INCR, and PEXPIRE on the first request of a window (the same fixed window as LocalStore).
const RedisStore = requireCjs('@fastify/rate-limit/store/RedisStore') as RedisStoreCtor;

// Counters kept in memory: API keys x operations. Past this the least recently used go.
const COUNTER_LIMIT = 100_000;

/**
 * One in-memory store for every route. The plugin gives each route a store of its own;
 * sharing one lets GET and the HEAD Fastify adds for it spend one quota (the key names
 * the operation, so nothing else is shared).
 */
export class SharedLocalStore implements FastifyRateLimitStore {
  private readonly store = new LocalStore(false, false, COUNTER_LIMIT);
  incr(...args: Parameters<FastifyRateLimitStore['incr']>): void {
    this.store.incr(...args);
  }
  child(): FastifyRateLimitStore {
    return this;
  }
}

/**
 * One Redis store for every route (`REDIS_URL`): every instance counts in the same keys,
 * `<prefix><apiKeyHash>:<method>:<route>`, so N instances enforce one limit per API key and
 * operation. The plugin's own RedisStore.child() would put the route's method in the key
 * (HEAD apart from GET); returning this store from child() keeps the key generator's.
 *
 * When Redis does not answer (down, unreachable, or slower than the command timeout) the
 * request is counted in this instance's memory instead (fail open to per-instance limits):
 * it is served, limited as a single instance would limit it, and the headers stay true for
 * this instance. Each such operation adds 1 to `sandbox_rate_limit_store_errors_total`; the
 * first of an outage logs one warning, the first success after it one info line.
 */
export class SharedRedisStore implements FastifyRateLimitStore {
  private readonly redisStore: FastifyRateLimitStore;
  private readonly fallback = new LocalStore(false, false, COUNTER_LIMIT);
  private outage = false;
  constructor(
    redis: Redis,
    prefix: string,
    private readonly metrics: Metrics,
    private readonly log: FastifyBaseLogger,
  ) {
    this.redisStore = new RedisStore(false, false, redis, prefix);
  }
  incr(...[key, callback, timeWindow, max]: Parameters<FastifyRateLimitStore['incr']>): void {
    this.redisStore.incr(
      key,
      (error, result) => {
        if (!error && result) {
          if (this.outage) {
            this.outage = false;
            this.log.info('rate limits: Redis answers again; counting in Redis');
          }
          callback(null, result);
          return;
        }
        this.metrics.rateLimitStoreErrors.inc();
        if (!this.outage) {
          this.outage = true;
          this.log.warn(
            { err: error },
            'rate limits: Redis is unreachable; failing open to per-instance limits (each instance counts in memory until Redis answers again; see sandbox_rate_limit_store_errors_total)',
          );
        }
        this.fallback.incr(key, callback, timeWindow, max);
      },
      timeWindow,
      max,
    );
  }
  child(): FastifyRateLimitStore {
    return this;
  }
}

/** Default prefix of the rate-limit keys in Redis (`REDIS_KEY_PREFIX`). */
export const DEFAULT_REDIS_KEY_PREFIX = 'esim-sandbox:rl:';

/** One minute, the window of every limit in the contract. */
export const WINDOW_MS = 60_000;

/** Route config for a limit of `max` requests per minute per API key. */
export function limitPerMinute(max: number): { rateLimit: { max: number; timeWindow: number } } {
  return { rateLimit: { max, timeWindow: WINDOW_MS } };
}
