/**
 * Per-key, per-operation rate limits (DESIGN.md section 2, Rate limits) with
 * @fastify/rate-limit (through its documented store option) over rate-limiter-flexible counters: fixed 60-second windows that start with the first request counted,
 * `X-RateLimit-Limit/Remaining/Reset` on every authenticated response of a limited route,
 * and 429 with `Retry-After` and a RATE_LIMITED problem over the limit.
 */
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  type RateLimiterAbstract,
  type RateLimiterRes,
} from 'rate-limiter-flexible';
import type { Metrics } from './metrics.js';

/** What a counter answers @fastify/rate-limit: the requests counted in the window, and ms until it ends. */
export interface WindowCount {
  current: number;
  ttl: number;
}

/**
 * Fixed windows of WINDOW_MS that start with the first request counted (rate-limiter-flexible,
 * which counts and leaves the comparison with each route's `max` to @fastify/rate-limit: its
 * own limit is never reached).
 */
const WINDOW = { points: Number.MAX_SAFE_INTEGER, duration: 60 } as const;

function countOf(result: RateLimiterRes): WindowCount {
  return { current: result.consumedPoints, ttl: result.msBeforeNext };
}

/** Counts one request of `key` in `limiter`'s current window. */
async function hit(limiter: RateLimiterAbstract, key: string): Promise<WindowCount> {
  return countOf(await limiter.consume(key, 1));
}

/**
 * Counters in this process's memory, for one instance (no `REDIS_URL`). One counter set for
 * every route: the key names the operation (GET and the HEAD Fastify adds for it spend one
 * quota), so nothing else is shared.
 */
export class LocalCounters {
  private readonly limiter = new RateLimiterMemory({ ...WINDOW, keyPrefix: '' });
  count(key: string): Promise<WindowCount> {
    return hit(this.limiter, key);
  }
}

/**
 * Counters in Redis (`REDIS_URL`): every instance counts in the same keys,
 * `<prefix><apiKeyHash>:<method>:<route>`, so N instances enforce one limit per API key and
 * operation.
 *
 * When Redis does not answer (down, unreachable, or slower than the command timeout) the
 * request is counted in this instance's memory instead (fail open to per-instance limits):
 * it is served, limited as a single instance would limit it, and the headers stay true for
 * this instance. Each such operation adds 1 to `sandbox_rate_limit_store_errors_total`; the
 * first of an outage logs one warning, the first success after it one info line.
 */
export class RedisCounters {
  private readonly limiter: RateLimiterRedis;
  private readonly fallback = new LocalCounters();
  private outage = false;
  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly metrics: Metrics,
    private readonly log: FastifyBaseLogger,
  ) {
    // rejectIfRedisNotReady: while the client reconnects, fail at once rather than queue.
    this.limiter = new RateLimiterRedis({ ...WINDOW, storeClient: redis, keyPrefix: '', rejectIfRedisNotReady: true });
  }
  async count(key: string): Promise<WindowCount> {
    let counted: WindowCount;
    try {
      counted = await hit(this.limiter, `${this.prefix}${key}`);
    } catch (error) {
      this.metrics.rateLimitStoreErrors.inc();
      if (!this.outage) {
        this.outage = true;
        this.log.warn(
          { err: error },
          'rate limits: Redis is unreachable; failing open to per-instance limits (each instance counts in memory until Redis answers again; see sandbox_rate_limit_store_errors_total)',
        );
      }
      return this.fallback.count(key);
    }
    if (this.outage) {
      this.outage = false;
      this.log.info('rate limits: Redis answers again; counting in Redis');
    }
    return counted;
  }
}

/**
 * The store class @fastify/rate-limit's documented `store` option takes (it calls `new` on
 * it, then `child()` per route): every route gets the same instance, over `counters`.
 */
export function storeOver(counters: LocalCounters | RedisCounters): FastifyRateLimitStoreCtor {
  return class CounterStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: WindowCount) => void): void {
      counters.count(key).then(
        (result) => callback(null, result),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }
    child(): FastifyRateLimitStore {
      return this;
    }
  };
}

/** Default prefix of the rate-limit keys in Redis (`REDIS_KEY_PREFIX`). */
export const DEFAULT_REDIS_KEY_PREFIX = 'esim-sandbox:rl:';

/** One minute, the window of every limit in the contract. */
export const WINDOW_MS = 60_000;

/** Route config for a limit of `max` requests per minute per API key. */
export function limitPerMinute(max: number): { rateLimit: { max: number; timeWindow: number } } {
  return { rateLimit: { max, timeWindow: WINDOW_MS } };
}
