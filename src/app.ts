/**
 * buildApp(config): the whole sandbox as a Fastify instance, not listening, so that tests
 * inject into it and `server.ts` listens on it. Opens the store, loads the catalogue,
 * bootstraps API keys, and registers plugins and routes in the order the contract needs:
 * request id, problem handlers, OpenAPI, then the /v1 scope (auth, rate limits, fault injection, routes).
 */
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { loadCatalogFile } from './catalog/load.js';
import type { Config } from './config.js';
import { requireApiKey } from './http/auth.js';
import { clientErrorHandler } from './http/client-error.js';
import { faultHooks } from './http/faults.js';
import { registerDocs, registerOpenApi } from './http/openapi.js';
import { installIdempotency } from './http/idempotency.js';
import { installProblemHandlers, problem, sendProblem } from './http/problem.js';
import { installUtf8JsonParser } from './http/json-parser.js';
import { installMetrics, Metrics } from './http/metrics.js';
import { closeRedis, openRedis, registerRateLimits } from './http/rate-limit.js';
import { clockRoutes } from './http/routes/clock.js';
import { esimRoutes } from './http/routes/esims.js';
import { healthRoutes } from './http/routes/health.js';
import { inspectionRoutes } from './http/routes/inspection.js';
import { orderRoutes } from './http/routes/orders.js';
import { planRoutes } from './http/routes/plans.js';
import { sandboxRoutes } from './http/routes/sandbox.js';
import { webhookRoutes } from './http/routes/webhooks.js';
import { validatorCompiler } from './http/validation.js';
import { adminRoutes } from './http/routes/admin.js';
import { resetRoutes } from './http/routes/reset.js';
import { AdminService } from './service/admin.js';
import { startSandboxSweep } from './service/sandbox-sweep.js';
import { bootstrapKeys, type KeyBootstrap } from './service/bootstrap.js';
import { SandboxService } from './service/sandbox.js';
import { WebhookDispatcher } from './service/webhook-dispatcher.js';
import { WebhookService } from './service/webhooks.js';
import { ClockRepository } from './store/clocks.js';
import { openStore, type Store } from './store/db.js';
import { EsimRepository } from './store/esims.js';
import { IdempotencyRepository } from './store/idempotency.js';
import { PlanRepository } from './store/plans.js';
import { ResellerRepository } from './store/resellers.js';
import { WebhookRepository } from './store/webhooks.js';

/** Largest request body accepted: 1 MiB (DESIGN.md section 2, 413 PAYLOAD_TOO_LARGE). */
export const BODY_LIMIT_BYTES = 1024 * 1024;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** How often real time's due clock rules are looked for, for their webhook events (ms). */
const CLOCK_SWEEP_MS = 60_000;

/** Options for tests: a fixed real-time clock (each reseller's sandbox offset applies on top), or a pino logger setting of their own. */
export interface BuildOptions {
  now?: () => Date;
  logger?: boolean | { level: string };
  /** Adds prom-client's process metrics to /metrics (the server: once per process). */
  processMetrics?: boolean;
  /** How often clock rules made due by real time are applied and announced (ms); default 60,000. */
  clockSweepMs?: number;
  /** How often expired sandboxes are deleted (ms); default ADMIN_SANDBOX_SWEEP_SECONDS. */
  sandboxSweepMs?: number;
}

/** The built app and what start-up did, for the start-up log. */
export interface BuiltApp {
  app: FastifyInstance;
  store: Store;
  keys: KeyBootstrap;
}

/**
 * Builds the sandbox. Closing the app closes the store.
 * @throws Error when the database cannot be opened or migrated, or the catalogue is invalid.
 */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<BuiltApp> {
  const store = await openStore(config.database);
  let redis: Awaited<ReturnType<typeof openRedis>> | null = null;
  try {
    const plans = new PlanRepository(store.db);
    const catalogFile = loadCatalogFile();
    await plans.sync(catalogFile.rows, catalogFile.version);
    const resellers = new ResellerRepository(store.db);
    const keys = await bootstrapKeys(resellers, config.apiKeys, new Date());
    const admin = new AdminService({
      resellers,
      minTtlSeconds: config.sandboxMinTtlSeconds,
      ...(options.now ? { now: options.now } : {}),
    });
    const webhookRepository = new WebhookRepository(store.db);
    // Created before the app so the use cases can wake it; started once the app is ready.
    let dispatcher: WebhookDispatcher | null = null;
    const onQueued = () => dispatcher?.kick();
    const service = new SandboxService({
      esims: new EsimRepository(store.db, webhookRepository),
      clocks: new ClockRepository(store.db),
      catalog: await plans.listAll(),
      smdpAddress: config.smdpAddress,
      webhooks: webhookRepository,
      onQueued,
      ...(options.now ? { now: options.now } : {}),
    });
    const webhooks = new WebhookService({
      webhooks: webhookRepository,
      allowPrivate: config.webhookAllowPrivate,
      onQueued,
    });

    const app = Fastify({
      logger: options.logger ?? { level: config.logLevel },
      bodyLimit: BODY_LIMIT_BYTES,
      requestIdHeader: false,
      logController: new LogController({ requestIdLogLabel: 'requestId' }),
      genReqId: (req) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      },
      return503OnClosing: true,
      // Long enough for any path Node accepts (its header limit is 16 KiB), so an over-long
      // ICCID reaches validation and gets a 400 naming the rule, not the router's raw 414.
      routerOptions: { maxParamLength: 16 * 1024 },
      // A malformed %-escape in the path never reaches a route: answer it as a problem too.
      frameworkErrors: (error, request, reply) => {
        reply.header('X-Request-Id', request.id);
        sendProblem(
          reply,
          problem('VALIDATION_ERROR', `the URL is malformed: ${error.message}`, request.id, [
            { path: 'path', message: 'must be a valid URL path (malformed percent-escape)' },
          ]),
        );
      },
      // What Node's HTTP parser refuses (a control character in a header, ...) never becomes
      // a request: answer it as a problem too, with a request id, and close the connection.
      clientErrorHandler,
    }).withTypeProvider<TypeBoxTypeProvider>();

    app.setValidatorCompiler(validatorCompiler);
    // JSON only: a text/plain body is a 415, not a string handed to the schema.
    app.removeContentTypeParser('text/plain');
    installUtf8JsonParser(app);
    app.addHook('onRequest', (request, reply, done) => {
      reply.header('X-Request-Id', request.id);
      done();
    });
    installProblemHandlers(app);
    app.addHook('onClose', async () => store.close());
    const metrics = new Metrics(async () => {
      const { rows } = await sql<{
        status: string;
        n: number | string;
      }>`select contract_status as status, count(*) as n from esims group by contract_status`.execute(store.db);
      return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
    }, options.processMetrics);
    installMetrics(app, metrics);
    // Sandbox-Fault (issue 6): its onRequest guards pipelined requests behind a dropped or
    // truncated one; its other hooks are added to the /v1 scope below.
    const faults = faultHooks({ enabled: config.sandboxFaults, metrics });
    app.addHook('onRequest', faults.onRequest);
    // Rate-limit counters shared through Redis when REDIS_URL is set (and rate limits are on).
    redis = config.redisUrl && config.rateLimits ? await openRedis(config.redisUrl, app.log) : null;
    const client = redis;
    if (client) app.addHook('onClose', async () => closeRedis(client));

    await registerOpenApi(app);
    await app.register(healthRoutes, {
      checks: [
        { name: 'database', check: async () => sql`select 1`.execute(store.db) },
        ...(client ? [{ name: 'redis', check: async () => client.ping() }] : []),
      ],
    });
    await app.register(
      async (v1) => {
        requireApiKey(v1, resellers, options.now);
        await registerRateLimits(v1, {
          enabled: config.rateLimits,
          metrics,
          redis: client,
          redisKeyPrefix: config.redisKeyPrefix,
        });
        // Sandbox-Fault (issue 6). Hooks of one kind run in the order they are added, and the
        // order matters: this preHandler comes before the idempotency preHandler, so that an
        // injected error answers before a key is claimed; this onSend comes after every other
        // onSend (the idempotency one included), so that the response is stored before it is
        // dropped, truncated or delayed. Keep them first and last.
        v1.decorateRequest('sandboxFault', null);
        v1.addHook('preHandler', faults.preHandler);
        v1.addHook('preClose', faults.preClose);
        // Idempotency keys: scope-level hooks, acting on the routes that opt in. Hooks of this
        // scope run in the order they are added: a preHandler added above this line (fault
        // injection's `error=`) answers before a key is claimed; an onSend added below it
        // (dropping, truncating, delaying the response) acts on a response already stored.
        installIdempotency(v1, {
          repository: new IdempotencyRepository(store.db),
          ...(options.now ? { now: options.now } : {}),
        });
        await v1.register(planRoutes, { service });
        await v1.register(orderRoutes, { service });
        await v1.register(esimRoutes, { service });
        await v1.register(sandboxRoutes, { service });
        await v1.register(clockRoutes, { service });
        await v1.register(webhookRoutes, { webhooks });
        await v1.register(inspectionRoutes, { service });
        await v1.register(resetRoutes, { admin });
        v1.addHook('onSend', faults.onSend);
      },
      { prefix: '/v1' },
    );
    await app.register(adminRoutes, { prefix: '/admin/v1', admin, tokenSha256: config.adminTokenSha256 });
    await registerDocs(app);
    const started = new WebhookDispatcher({
      webhooks: webhookRepository,
      allowPrivate: config.webhookAllowPrivate,
      backoffMs: config.webhookBackoffMs,
      log: app.log,
      onAttempt: (outcome) => metrics.webhookAttempts.inc({ outcome }),
    });
    // Real time makes clock rules due too (an activation deadline passing unread): announce
    // them within a minute. Any instance may; the change re-checks in its transaction.
    let sweep: Promise<void> = Promise.resolve();
    const sweeper = setInterval(() => {
      sweep = service
        .applyDueClockRules()
        .catch((error: unknown) => app.log.warn({ err: error }, 'could not apply the clock rules due by real time'));
    }, options.clockSweepMs ?? CLOCK_SWEEP_MS);
    sweeper.unref();
    const sandboxSweeper = startSandboxSweep(
      admin,
      options.sandboxSweepMs ?? config.sandboxSweepSeconds * 1000,
      app.log,
    );
    // preClose runs before the server and the store close: attempts in flight end first.
    app.addHook('preClose', async () => {
      clearInterval(sweeper);
      await sweep;
      await sandboxSweeper.stop();
      await started.stop();
    });
    await app.ready();
    dispatcher = started;
    dispatcher.start();
    return { app, store, keys };
  } catch (error) {
    if (redis) await closeRedis(redis);
    await store.close();
    throw error;
  }
}
