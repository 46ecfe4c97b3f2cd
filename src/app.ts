/**
 * buildApp(config): the whole sandbox as a Fastify instance, not listening, so that tests
 * inject into it and `server.ts` listens on it. Opens the store, loads the catalogue,
 * bootstraps API keys, builds the use cases, then registers the request pipeline as a list
 * of plugins (src/http/plugins/) and the routes. Each plugin declares the plugins it needs
 * (`fastify-plugin` dependencies), so a wrong order stops start-up; what each does and why
 * the order is what it is: docs/architecture.md, Request pipeline.
 */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { loadCatalogFile } from './catalog/load.js';
import type { Config } from './config.js';
import { clientErrorHandler } from './http/client-error.js';
import consolePlugin from './http/plugins/console.js';
import { HTTP_SERVER_OPTIONS, protocolGuardsPlugin } from './http/protocol-guards.js';
import { Metrics } from './http/metrics.js';
import { authPlugin } from './http/plugins/auth.js';
import { corsPlugin } from './http/plugins/cors.js';
import { backgroundWorkPlugin } from './http/plugins/background-work.js';
import { docsPlugin } from './http/plugins/docs.js';
import { faultInjectionPlugin } from './http/plugins/fault-injection.js';
import { idempotencyPlugin } from './http/plugins/idempotency.js';
import { metricsPlugin } from './http/plugins/metrics.js';
import { openApiPlugin } from './http/plugins/openapi.js';
import { frameworkErrors, problemDetailsPlugin } from './http/plugins/problem-details.js';
import { rateLimitPlugin } from './http/plugins/rate-limit.js';
import { redisPlugin } from './http/plugins/redis.js';
import { requestLogPlugin } from './http/plugins/request-log.js';
import { genReqId, requestIdPlugin } from './http/plugins/request-id.js';
import { validationPlugin } from './http/plugins/validation.js';
import { clockRoutes } from './http/routes/clock.js';
import { esimRoutes } from './http/routes/esims.js';
import { healthRoutes } from './http/routes/health.js';
import { homeRoutes } from './http/routes/home.js';
import { inspectionRoutes } from './http/routes/inspection.js';
import { orderRoutes } from './http/routes/orders.js';
import { planRoutes } from './http/routes/plans.js';
import { requestLogRoutes } from './http/routes/request-log.js';
import { sandboxRoutes } from './http/routes/sandbox.js';
import { streamRoutes } from './http/routes/stream.js';
import { webhookRoutes } from './http/routes/webhooks.js';
import { adminRoutes } from './http/routes/admin.js';
import { resetRoutes } from './http/routes/reset.js';
import { AdminService } from './service/admin.js';
import { bootstrapKeys, type KeyBootstrap } from './service/bootstrap.js';
import { LiveFeed } from './service/live-stream.js';
import { RequestLogService } from './service/request-log.js';
import { RequestLogWriter } from './service/request-log-writer.js';
import { SandboxService } from './service/sandbox.js';
import { WebhookDispatcher } from './service/webhook-dispatcher.js';
import { WebhookService } from './service/webhooks.js';
import { ClockRepository } from './store/clocks.js';
import { openStore, type Store } from './store/db.js';
import { EsimRepository } from './store/esims.js';
import { IdempotencyRepository } from './store/idempotency.js';
import { LiveEventRepository } from './store/live-events.js';
import { PlanRepository } from './store/plans.js';
import { RequestLogRepository } from './store/request-log.js';
import { ResellerRepository } from './store/resellers.js';
import { WebhookRepository } from './store/webhooks.js';
import { StreamLeaseRepository } from './store/stream-leases.js';
import { SecretBox } from './store/secret-box.js';
import { resolveSecretsKey } from './store/secrets-key.js';

/** Largest request body accepted: 1 MiB (DESIGN.md section 2, 413 PAYLOAD_TOO_LARGE). */
export const BODY_LIMIT_BYTES = 1024 * 1024;
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
  /** How long a request log entry waits for its batch to be written (ms); default 150. */
  requestLogFlushMs?: number;
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
 * Builds the sandbox. Closing the app closes the store (and the Redis client).
 * @throws Error when the database cannot be opened or migrated, the catalogue is invalid, or
 *   a plugin is registered before one it depends on.
 */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<BuiltApp> {
  const store = await openStore(config.database);
  let app: FastifyInstance | null = null;
  try {
    const plans = new PlanRepository(store.db);
    const catalogFile = loadCatalogFile();
    await plans.sync(catalogFile.rows, catalogFile.version);
    const resellers = new ResellerRepository(store.db);
    const keys = await bootstrapKeys(resellers, config.apiKeys, new Date());

    const server = Fastify({
      logger: options.logger ?? { level: config.logLevel },
      bodyLimit: BODY_LIMIT_BYTES,
      requestIdHeader: false,
      logController: new LogController({ requestIdLogLabel: 'requestId' }),
      genReqId,
      return503OnClosing: true,
      // Long enough for any path Node accepts (its header limit is 16 KiB), so an over-long
      // ICCID reaches validation and gets a 400 naming the rule, not the router's raw 414.
      routerOptions: { maxParamLength: 16 * 1024 },
      frameworkErrors,
      // What Node's HTTP parser refuses (a control character in a header, ...) never becomes
      // a request: answer it as a problem too, with a request id, and close the connection.
      clientErrorHandler,
      http: HTTP_SERVER_OPTIONS,
    }).withTypeProvider<TypeBoxTypeProvider>();
    app = server;
    server.addHook('onClose', async () => store.close());

    const secrets = await resolveSecretsKey(config.secretsKey, config.database, store.db);
    if (secrets.warning) server.log.warn(secrets.warning);
    const webhookRepository = new WebhookRepository(store.db, new SecretBox(secrets.key));
    await webhookRepository.sealClearSecrets();
    const esims = new EsimRepository(store.db, webhookRepository);
    const metrics = new Metrics(() => esims.countByContractStatus(), options.processMetrics);
    const dispatcher = new WebhookDispatcher({
      webhooks: webhookRepository,
      allowPrivate: config.webhookAllowPrivate,
      backoffMs: config.webhookBackoffMs,
      log: server.log,
      onAttempt: (outcome) => metrics.webhookAttempts.inc({ outcome }),
    });
    // A use case that queued a delivery wakes the dispatcher (a no-op until it is started).
    const onQueued = () => dispatcher.kick();
    const service = new SandboxService({
      esims,
      clocks: new ClockRepository(store.db),
      catalog: await plans.listAll(),
      smdpAddress: config.smdpAddress,
      webhooks: webhookRepository,
      onQueued,
      ...(options.now ? { now: options.now } : {}),
    });
    const admin = new AdminService({
      resellers,
      minTtlSeconds: config.sandboxMinTtlSeconds,
      ...(options.now ? { now: options.now } : {}),
    });
    const webhooks = new WebhookService({
      webhooks: webhookRepository,
      allowPrivate: config.webhookAllowPrivate,
      onQueued,
    });
    const nowOption = options.now ? { now: options.now } : {};
    const requestLogRepository = new RequestLogRepository(store.db);
    const requestLog = new RequestLogService({
      repository: requestLogRepository,
      days: config.requestLogDays,
      ...nowOption,
    });
    // REQUEST_LOG=off: no writer, no plugin; the reads answer an empty log.
    const requestLogWriter = config.requestLog
      ? new RequestLogWriter({
          repository: requestLogRepository,
          retention: { limit: config.requestLogLimit, days: config.requestLogDays },
          log: server.log,
          onLost: (entries) => metrics.requestLogWriteFailures.inc(entries),
          ...(options.requestLogFlushMs ? { flushMs: options.requestLogFlushMs } : {}),
          ...nowOption,
        })
      : null;
    // Added after the store's onClose: onClose hooks run last-added first, so the queue is
    // written before the store closes.
    if (requestLogWriter) server.addHook('onClose', async () => requestLogWriter.close());

    await server.register(requestIdPlugin);
    await server.register(problemDetailsPlugin);
    await server.register(protocolGuardsPlugin);
    await server.register(validationPlugin);
    await server.register(metricsPlugin, { metrics });
    await server.register(corsPlugin, { origins: config.corsOrigins });
    await server.register(redisPlugin, { url: config.rateLimits ? config.redisUrl : null });
    await server.register(openApiPlugin);
    const redis = server.redis;
    await server.register(healthRoutes, {
      checks: [
        { name: 'database', check: () => store.ping() },
        ...(redis ? [{ name: 'redis', check: () => redis.ping() }] : []),
      ],
    });
    await server.register(
      async (v1) => {
        await v1.register(faultInjectionPlugin, { enabled: config.sandboxFaults });
        await v1.register(authPlugin, { resellers, ...(options.now ? { now: options.now } : {}) });
        await v1.register(rateLimitPlugin, { enabled: config.rateLimits, redisKeyPrefix: config.redisKeyPrefix });
        await v1.register(idempotencyPlugin, {
          repository: new IdempotencyRepository(store.db),
          ...(options.now ? { now: options.now } : {}),
        });
        if (requestLogWriter) await v1.register(requestLogPlugin, { writer: requestLogWriter, ...nowOption });
        await v1.register(planRoutes, { service });
        await v1.register(orderRoutes, { service });
        await v1.register(esimRoutes, { service });
        await v1.register(sandboxRoutes, { service });
        await v1.register(clockRoutes, { service });
        await v1.register(webhookRoutes, { webhooks });
        await v1.register(inspectionRoutes, { service });
        await v1.register(requestLogRoutes, { requestLog });
        await v1.register(streamRoutes, {
          feed: new LiveFeed(requestLogRepository, new LiveEventRepository(store.db)),
          leases: new StreamLeaseRepository(store.db),
          ...nowOption,
        });
        await v1.register(resetRoutes, {
          admin,
          ...(requestLogWriter ? { beforeReset: () => requestLogWriter.drain() } : {}),
        });
      },
      { prefix: '/v1' },
    );
    await server.register(adminRoutes, { prefix: '/admin/v1', admin, tokenSha256: config.adminTokenSha256 });
    await server.register(docsPlugin);
    await server.register(consolePlugin);
    await server.register(homeRoutes);
    await server.register(backgroundWorkPlugin, {
      dispatcher,
      sweep: () => service.applyDueClockRules(),
      sweepEveryMs: options.clockSweepMs ?? CLOCK_SWEEP_MS,
      sandboxSweep: { admin, everyMs: options.sandboxSweepMs ?? config.sandboxSweepSeconds * 1000 },
    });
    await server.ready();
    return { app: server, store, keys };
  } catch (error) {
    // Closing the app runs the onClose hooks registered so far (the store, Redis).
    if (app) await app.close().catch(() => undefined);
    else await store.close();
    throw error;
  }
}
