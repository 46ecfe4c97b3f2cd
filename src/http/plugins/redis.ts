/**
 * Plugin `redis`: the Redis client of the shared rate-limit counters as `app.redis` (null
 * without `REDIS_URL`, or with rate limits off), opened at registration (waiting up to 2 s
 * for a first connection, then going on without it) and closed with the app.
 */
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { closeRedis, openRedis } from '../redis.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The Redis client (`REDIS_URL`), or null: counters stay in this process's memory. */
    redis: Redis | null;
  }
}

export interface RedisOptions {
  /** `REDIS_URL`, or null for no Redis. */
  url: string | null;
}

const register: FastifyPluginAsync<RedisOptions> = async (app, { url }) => {
  const client = url ? await openRedis(url, app.log) : null;
  app.decorate('redis', client);
  if (client) app.addHook('onClose', async () => closeRedis(client));
};

/** The `redis` plugin (no dependencies). */
export const redisPlugin = fp(register, { name: 'redis', fastify: '5.x' });
