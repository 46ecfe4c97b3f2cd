/**
 * Builds the real app on a fresh store for `app.inject` tests (a temporary SQLite file, or
 * with TEST_DATABASE_URL a fresh PostgreSQL schema: see database.ts), with two
 * resellers (acme, globex), and checks every response against the served OpenAPI document
 * (see contract.ts), so the API tests double as contract tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, type BuildOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { assertMatchesContract, type OpenApiDocument } from './contract.js';
import { databaseUrl, dropSchema, newTestStore, type TestStore, testRedisEnv } from './database.js';

export const ACME_KEY = 'acme-test-key-0001';
export const GLOBEX_KEY = 'globex-test-key-0002';

export interface TestApp {
  app: FastifyInstance;
  dir: string;
  /** The app's store (SQLite file or PostgreSQL schema), for direct access (database.ts). */
  store: TestStore;
  /** Sends a request (JSON body when `body` is given) and checks the response against the contract. */
  call(method: string, url: string, options?: CallOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface CallOptions {
  /** API key; `null` sends no Authorization header. Default: acme's key. */
  key?: string | null;
  body?: unknown;
  /** Raw payload (string or Buffer) instead of `body`. */
  payload?: string | Buffer;
  headers?: Record<string, string>;
}

/** Starts an app on a new temporary database. Environment overrides go in `env`. */
export async function startTestApp(
  env: Record<string, string> = {},
  now?: () => Date,
  build: Pick<BuildOptions, 'clockSweepMs' | 'sandboxSweepMs'> = {},
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'esim-sandbox-test-'));
  const store = await newTestStore(dir);
  const removeStore = async () => {
    if (store.kind === 'postgres') await dropSchema(store.schema);
    rmSync(dir, { recursive: true, force: true });
  };
  let app: FastifyInstance;
  try {
    const config = loadConfig({
      DATABASE_URL: databaseUrl(store),
      SANDBOX_API_KEYS: `acme:${ACME_KEY},globex:${GLOBEX_KEY}`,
      LOG_LEVEL: 'silent',
      ...testRedisEnv(),
      ...env,
    });
    ({ app } = await buildApp(config, { ...build, ...(now ? { now } : {}) }));
  } catch (error) {
    await removeStore();
    throw error;
  }
  const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<OpenApiDocument>();
  return {
    app,
    dir,
    store,
    async call(method, url, options = {}) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      const key = options.key === undefined ? ACME_KEY : options.key;
      if (key !== null) headers.authorization = `Bearer ${key}`;
      let payload: string | Buffer | undefined = options.payload;
      if (options.body !== undefined) {
        payload = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await app.inject({
        method: method as 'GET',
        url,
        headers,
        ...(payload !== undefined ? { payload } : {}),
      });
      assertMatchesContract(document, method, url, response);
      return response;
    },
    async close() {
      await app.close();
      await removeStore();
    },
  };
}
