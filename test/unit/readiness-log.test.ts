/**
 * /readyz logs a dependency's state change once: one warning when it goes down (not a stack
 * trace per probe), one info line when it answers again.
 */
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { healthRoutes } from '../../src/http/routes/health.js';

describe('/readyz logging', () => {
  it('logs "down" once over several failing probes, then "answers again" once', async () => {
    const lines: { level: number; msg: string; err?: unknown }[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as never);
        done();
      },
    });
    let redisUp = true;
    const app = Fastify({ logger: { level: 'info', stream } });
    await app.register(healthRoutes, {
      checks: [
        { name: 'database', check: async () => 1 },
        {
          name: 'redis',
          check: async () => {
            if (!redisUp) throw new Error('Connection is closed.');
            return 'PONG';
          },
        },
      ],
    });
    const probe = async () => (await app.inject({ url: '/readyz' })).statusCode;
    const readiness = () => lines.filter((line) => line.msg.startsWith('readiness:'));

    expect(await probe()).toBe(200);
    redisUp = false;
    expect([await probe(), await probe(), await probe(), await probe()]).toEqual([503, 503, 503, 503]);
    redisUp = true;
    expect([await probe(), await probe()]).toEqual([200, 200]);
    redisUp = false;
    expect(await probe()).toBe(503);

    expect(readiness().map(({ level, msg }) => [level, msg])).toEqual([
      [40, 'readiness: redis is not reachable (Connection is closed.); /readyz answers 503 until it answers again'],
      [30, 'readiness: redis answers again'],
      [40, 'readiness: redis is not reachable (Connection is closed.); /readyz answers 503 until it answers again'],
    ]);
    expect(readiness().every((line) => line.err === undefined)).toBe(true);
    await app.close();
  });
});
