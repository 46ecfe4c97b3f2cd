/**
 * The Redis client of the shared rate-limit counters (`REDIS_URL`): how it connects, gives
 * up on a command, reconnects and closes, and how its URL appears in logs.
 */
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';

/**
 * A Redis client for the rate limits that never queues: a command sent while Redis is down
 * fails at once, one that Redis does not answer within 500 ms fails then, and the client
 * keeps reconnecting in the background (every 50 ms more, at most every 2 s).
 * Waits up to `connectWithinMs` for the first connection, so that the first requests count
 * in Redis; start-up goes on without it (the requests then fail open, see RedisCounters in rate-limit.ts).
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
