/**
 * Entry point: configuration from the environment, build, listen, graceful shutdown.
 * `npm start` runs it on the SQLite default (`sqlite:./data/sandbox.db`, created and
 * migrated on first start).
 */
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { redactUrl } from './http/redis.js';

/**
 * How long SIGTERM/SIGINT waits for in-flight requests and for closing the database pool and
 * the Redis client before exiting anyway (code 1), in ms. Below the 30 s a Kubernetes pod
 * or a systemd unit waits by default before SIGKILL.
 */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  const { app, keys } = await buildApp(config, { processMetrics: true });
  const where = config.database.url;
  if (keys.kind === 'demo-created') {
    app.log.warn(
      { reseller: keys.reseller, apiKey: keys.key },
      `no SANDBOX_API_KEYS and no stored key: created reseller "demo" with API key ${keys.key} (shown this once; set SANDBOX_API_KEYS=name:key to choose your own)`,
    );
  } else if (keys.kind === 'stored') {
    app.log.info(`using the ${keys.keys} API key(s) stored in ${where} (set SANDBOX_API_KEYS=name:key to add one)`);
  } else {
    app.log.info(`API keys configured for reseller(s): ${keys.resellers.join(', ')}`);
  }
  if (!config.rateLimits) app.log.warn('RATE_LIMITS=off: rate limits are disabled');
  else if (config.redisUrl)
    app.log.info(
      `rate limits counted in Redis at ${redactUrl(config.redisUrl)} (keys ${config.redisKeyPrefix}*), shared by every instance using it`,
    );
  else app.log.info("rate limits counted in this process's memory (set REDIS_URL to share them between instances)");
  if (!config.sandboxFaults) app.log.info('SANDBOX_FAULTS=off: the Sandbox-Fault header is ignored');

  let address: string;
  try {
    address = await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close();
    const reason =
      (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
        ? 'the port is in use; set PORT to a free one'
        : String((error as Error).message);
    throw new Error(`cannot listen on HOST=${config.host} PORT=${config.port}: ${reason}`, { cause: error });
  }
  app.log.info(`eSIM sandbox listening on ${address} (database ${where}); API reference at ${address}/docs`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    app.log.info(
      `${signal}: closing (no new connections; waiting up to ${SHUTDOWN_GRACE_MS} ms for in-flight requests, then closing the database and Redis)`,
    );
    const timer = setTimeout(() => {
      app.log.error(`shutdown took longer than ${SHUTDOWN_GRACE_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    timer.unref();
    app.close().then(
      () => {
        app.log.info(`closed in ${Date.now() - started} ms`);
        process.exit(0);
      },
      (error: unknown) => {
        app.log.error({ err: error }, 'error while closing');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
