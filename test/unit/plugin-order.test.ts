/**
 * The request pipeline's order is declared by the plugins (fastify-plugin dependencies) and
 * checked by Fastify when they are registered: a plugin registered before one it needs stops
 * start-up with a message naming both.
 */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/http/metrics.js';
import { authPlugin } from '../../src/http/plugins/auth.js';
import { faultInjectionPlugin } from '../../src/http/plugins/fault-injection.js';
import { idempotencyPlugin } from '../../src/http/plugins/idempotency.js';
import { metricsPlugin } from '../../src/http/plugins/metrics.js';
import { problemDetailsPlugin } from '../../src/http/plugins/problem-details.js';
import type { IdempotencyRepository } from '../../src/store/idempotency.js';
import type { ResellerRepository } from '../../src/store/resellers.js';

// Never called: registration fails (or the app closes) before any request.
const repository = {} as IdempotencyRepository;
const resellers = {} as ResellerRepository;

describe('plugin dependencies', () => {
  it('idempotency registered before fault-injection stops start-up naming the missing plugin', async () => {
    const app = Fastify({ logger: false });
    await app.register(metricsPlugin, { metrics: new Metrics(async () => ({})) });
    await app.register(authPlugin, { resellers });
    await expect(app.register(idempotencyPlugin, { repository })).rejects.toThrow(
      "The dependency 'fault-injection' of plugin 'idempotency' is not registered",
    );
    await app.close();
  });

  it('fault-injection without metrics stops start-up', async () => {
    const app = Fastify({ logger: false });
    await expect(app.register(faultInjectionPlugin, { enabled: true })).rejects.toThrow(
      "The dependency 'metrics' of plugin 'fault-injection' is not registered",
    );
    await app.close();
  });

  it('problem-details needs request-id', async () => {
    const app = Fastify({ logger: false });
    await expect(app.register(problemDetailsPlugin)).rejects.toThrow(
      "The dependency 'request-id' of plugin 'problem-details' is not registered",
    );
    await app.close();
  });

  it('registered in the declared order, the /v1 plugins load', async () => {
    const app = Fastify({ logger: false });
    await app.register(metricsPlugin, { metrics: new Metrics(async () => ({})) });
    const decorated: boolean[] = [];
    await app.register(async (v1) => {
      await v1.register(faultInjectionPlugin, { enabled: true });
      await v1.register(authPlugin, { resellers });
      await v1.register(idempotencyPlugin, { repository });
      decorated.push(...['sandboxFault', 'reseller', 'idempotencyClaim'].map((name) => v1.hasRequestDecorator(name)));
    });
    await app.ready();
    expect(decorated).toEqual([true, true, true]);
    await app.close();
  });
});
