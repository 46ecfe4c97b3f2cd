/**
 * Per-key, per-operation rate limits (DESIGN.md section 2, Rate limits) with
 * @fastify/rate-limit: fixed 60-second windows that start with the first request counted,
 * `X-RateLimit-Limit/Remaining/Reset` on every authenticated response of a limited route,
 * and 429 with `Retry-After` and a RATE_LIMITED problem over the limit.
 */
import { createRequire } from 'node:module';
import rateLimit, { type FastifyRateLimitStore } from '@fastify/rate-limit';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { routeLabel, type Metrics } from './metrics.js';
import { HttpProblem } from './problem.js';

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
class SharedLocalStore implements FastifyRateLimitStore {
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
class SharedRedisStore implements FastifyRateLimitStore {
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

/**
 * A Redis client for the rate limits that never queues: a command sent while Redis is down
 * fails at once, one that Redis does not answer within 500 ms fails then, and the client
 * keeps reconnecting in the background (every 50 ms more, at most every 2 s).
 * Waits up to `connectWithinMs` for the first connection, so that the first requests count
 * in Redis; start-up goes on without it (the requests then fail open, see SharedRedisStore).
 */
export async function openRedis(url: string, log: FastifyBaseLogger, connectWithinMs = 2_000): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 500,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 50, 2_000),
  });
  // Connection errors are also seen by the commands that fail; logged at debug to avoid a line per retry.
  redis.on('error', (error: Error) => log.debug({ err: error }, 'redis connection error'));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect(),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no connection within ${connectWithinMs} ms`)), connectWithinMs);
      }),
    ]);
  } catch (error) {
    log.warn(
      { err: error },
      `rate limits: Redis at ${redactUrl(url)} is not reachable at start-up; serving with per-instance limits until it is`,
    );
  } finally {
    clearTimeout(timer);
  }
  return redis;
}

/** Closes the client: QUIT when connected (bounded), else drop the socket and stop reconnecting. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    try {
      await Promise.race([redis.quit(), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    } catch {
      // Closing anyway.
    }
  }
  redis.disconnect();
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'REDIS_URL';
  }
}

/** One minute, the window of every limit in the contract. */
export const WINDOW_MS = 60_000;

export interface RateLimitOptions {
  /** False for `RATE_LIMITS=off`. */
  enabled: boolean;
  metrics: Metrics;
  /** Shared counters (`REDIS_URL`), or null for this process's memory. */
  redis: Redis | null;
  /** Prefix of the keys in Redis. */
  redisKeyPrefix?: string;
}

/**
 * Registers the plugin on `scope`. Routes opt in with `config.rateLimit = limitPerMinute(n)`.
 * When `enabled` is false (`RATE_LIMITS=off`) nothing is registered and no headers are sent.
 */
export async function registerRateLimits(scope: FastifyInstance, options: RateLimitOptions): Promise<void> {
  if (!options.enabled) return;
  const { metrics, redis } = options;
  const shared = redis
    ? new SharedRedisStore(redis, options.redisKeyPrefix ?? DEFAULT_REDIS_KEY_PREFIX, metrics, scope.log)
    : new SharedLocalStore();
  await scope.register(rateLimit, {
    global: false,
    timeWindow: WINDOW_MS,
    // The plugin calls `new store(options)`; a constructor returning an object yields that object.
    store: function SharedStore() {
      return shared;
    } as unknown as new () => FastifyRateLimitStore,
    onExceeded: (request) => metrics.rateLimitRejections.inc({ route: routeLabel(request) }),
    // The auth hook ran first (instance hooks precede route hooks), so the key hash is set;
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
}

/** Route config for a limit of `max` requests per minute per API key. */
export function limitPerMinute(max: number): { rateLimit: { max: number; timeWindow: number } } {
  return { rateLimit: { max, timeWindow: WINDOW_MS } };
}
