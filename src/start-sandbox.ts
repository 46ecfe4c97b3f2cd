/**
 * startSandbox(): the whole sandbox in the calling process, for a reseller's test suite (the
 * Node.js counterpart of a Testcontainers module): a free port on 127.0.0.1, a fresh
 * database, a fresh reseller key, and a typed client for it. docs/embedding.md.
 */
import { randomBytes } from 'node:crypto';
import { buildApp } from './app.js';
import { createSandboxClient, type SandboxClient } from './client/index.js';
import { loadConfig } from './config.js';

/** What `startSandbox` may change; every field is optional. */
export interface StartSandboxOptions {
  /**
   * `DATABASE_URL`; default `sqlite::memory:` (a new, empty database that disappears with
   * close()). A `sqlite:<file>` or `postgres://` URL keeps the data.
   */
  databaseUrl?: string;
  /** The reseller the key belongs to; default `sandbox`. */
  reseller?: string;
  /** Its API key (8-256 RFC 6750 token characters); default a random `sk_sandbox_...`. */
  apiKey?: string;
  /** Enforce the production rate limits (60 status reads a minute...); default false, so a suite runs at full speed. */
  rateLimits?: boolean;
  /** A pino level for the server's log on stdout; default `silent`. */
  logLevel?: string;
  /** Any other configuration variable (docs/configuration.md), e.g. `{ WEBHOOK_BACKOFF_MS: '10' }`. */
  env?: Record<string, string>;
}

/** A running sandbox: where it listens, the key, a client with that key, and close(). */
export interface RunningSandbox {
  /** `http://127.0.0.1:<port>`; the API is under `/v1`. */
  url: string;
  apiKey: string;
  client: SandboxClient;
  /** Stops listening, finishes requests in flight, closes the database. */
  close(): Promise<void>;
}

/**
 * Starts a sandbox in-process and resolves when it listens.
 * @throws ConfigError when an option is invalid (its message names the variable and the rule).
 * @throws Error when the database cannot be opened.
 * @example
 *   const sandbox = await startSandbox();
 *   const { esims } = await sandbox.client.order('KD0001');
 *   await sandbox.close();
 */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const apiKey = options.apiKey ?? `sk_sandbox_${randomBytes(24).toString('base64url')}`;
  const config = loadConfig({
    ...options.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: options.databaseUrl ?? 'sqlite::memory:',
    SANDBOX_API_KEYS: `${options.reseller ?? 'sandbox'}:${apiKey}`,
    RATE_LIMITS: options.rateLimits ? 'on' : 'off',
    LOG_LEVEL: options.logLevel ?? 'silent',
  });
  const { app } = await buildApp(config);
  let address: string;
  try {
    address = await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await app.close();
    throw error;
  }
  return {
    url: address,
    apiKey,
    client: createSandboxClient({ baseUrl: address, apiKey }),
    close: () => app.close(),
  };
}
