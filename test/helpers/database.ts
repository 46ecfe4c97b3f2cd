/**
 * The store the tests run on. With `TEST_DATABASE_URL` unset: a temporary SQLite file
 * per app or server (the default). With `TEST_DATABASE_URL=postgres://...`: a fresh
 * PostgreSQL schema per app or server on that database, named `<run prefix><random>` and
 * dropped afterwards (the vitest global teardown drops whatever a failed test left).
 *
 * `openTestDatabase` gives tests direct, synchronous SQL access to the store under the app
 * (better-sqlite3's API, which the API tests use), for SQLite and PostgreSQL alike.
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';

/** Where one test app's or server's data lives. */
export type TestStore = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema: string };

/** The PostgreSQL database of the PostgreSQL suite, or undefined for the SQLite suite. */
export function testDatabaseUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL?.trim();
  return url ? url : undefined;
}

// Every schema of one `npm test` run starts with this prefix (set by the global setup, so
// that its teardown can drop the run's leftovers); a random one outside vitest's setup.
function schemaPrefix(): string {
  process.env.TEST_SCHEMA_PREFIX ??= `test_${randomBytes(4).toString('hex')}_`;
  return process.env.TEST_SCHEMA_PREFIX;
}

/** `url` with `?schema=<schema>` (the sandbox's own DATABASE_URL parameter). */
export function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('schema', schema);
  return parsed.toString();
}

/** Runs SQL on the test database (admin work: create and drop schemas). */
export async function adminQuery(sql: string, url = testDatabaseUrl()): Promise<pg.QueryResult> {
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new empty schema on the test database. */
export async function createSchema(
  name = `${schemaPrefix()}${randomBytes(6).toString('hex')}`,
): Promise<TestStore & { kind: 'postgres' }> {
  const url = testDatabaseUrl()!;
  await adminQuery(`CREATE SCHEMA IF NOT EXISTS "${name}"`);
  return { kind: 'postgres', url: withSchema(url, name), schema: name };
}

/** Drops a test schema and everything in it; never throws (cleanup). */
export async function dropSchema(schema: string): Promise<void> {
  await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
}

/** Drops every schema whose name starts with `prefix` (the run's leftovers). */
export async function dropSchemasLike(prefix: string): Promise<number> {
  const { rows } = await adminQuery(
    `SELECT nspname FROM pg_namespace WHERE starts_with(nspname, '${prefix.replace(/'/g, "''")}')`,
  );
  for (const { nspname } of rows as { nspname: string }[]) await dropSchema(nspname);
  return rows.length;
}

/**
 * The schema that stands for a SQLite file a test names (e2e tests share one file between
 * two server processes, or restart a server on it): the same file gives the same schema.
 */
export function schemaForFile(file: string): string {
  return `${schemaPrefix()}f${createHash('sha256').update(file).digest('hex').slice(0, 16)}`;
}

/** The `DATABASE_URL` of a store. */
export function databaseUrl(store: TestStore): string {
  return store.kind === 'sqlite' ? `sqlite:${store.file}` : store.url;
}

/** A new store for one test app: a SQLite file in `dir`, or a fresh PostgreSQL schema. */
export async function newTestStore(dir: string): Promise<TestStore> {
  return testDatabaseUrl() ? createSchema() : { kind: 'sqlite', file: join(dir, 'sandbox.db') };
}

// ---------------------------------------------------------------------------------------
// Direct access, synchronous, with better-sqlite3's API

/** The part of better-sqlite3's API the tests use, on either store. */
export interface TestDatabase {
  exec(sql: string): void;
  prepare(sql: string): {
    get(...params: unknown[]): unknown;
    all(...params: unknown[]): unknown[];
    run(...params: unknown[]): { changes: number };
  };
  pragma(source: string): unknown;
  close(): void;
}

/** Opens a second connection to a test store (close it when done). */
export function openTestDatabase(store: TestStore): TestDatabase {
  if (store.kind === 'sqlite') return new SqliteDatabase(store.file);
  return new SyncPostgres(store.url);
}

// PostgreSQL from synchronous code: a worker thread runs the queries on one pg client while
// this thread waits on a shared flag (Atomics.wait), then takes the answer off the port.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const pg = require('pg');
const url = new URL(workerData.url);
const schema = url.searchParams.get('schema');
url.searchParams.delete('schema');
const client = new pg.Client({ connectionString: url.toString(), ...(schema ? { options: '-c search_path=' + schema } : {}),
  types: { getTypeParser: (oid, format) => (oid === 20 ? Number : pg.types.getTypeParser(oid, format)) } });
const ready = client.connect();
parentPort.on('message', async ({ sql, params, flag, port }) => {
  let answer;
  try {
    await ready;
    const result = await client.query(sql, params);
    answer = { rows: result.rows ?? [], rowCount: result.rowCount ?? 0 };
  } catch (error) {
    answer = { error: String(error && error.message || error) };
  }
  port.postMessage(answer);
  port.close();
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
  if (sql === null) { await client.end(); process.exit(0); }
});
`;

class SyncPostgres implements TestDatabase {
  private readonly worker: Worker;

  constructor(url: string) {
    this.worker = new Worker(WORKER, { eval: true, workerData: { url } });
    this.worker.unref();
  }

  private query(sql: string, params: unknown[] = []): { rows: unknown[]; rowCount: number } {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    this.worker.postMessage({ sql: toPostgres(sql), params, flag, port: port2 }, [port2]);
    if (Atomics.wait(flag, 0, 0, 30_000) === 'timed-out') throw new Error(`PostgreSQL query timed out: ${sql}`);
    const message = receiveMessageOnPort(port1)?.message as { rows: unknown[]; rowCount: number; error?: string };
    port1.close();
    if (message.error !== undefined) throw new Error(message.error);
    return message;
  }

  exec(sql: string): void {
    this.query(sql);
  }

  prepare(sql: string) {
    return {
      get: (...params: unknown[]) => this.query(sql, params).rows[0],
      all: (...params: unknown[]) => this.query(sql, params).rows,
      run: (...params: unknown[]) => ({ changes: this.query(sql, params).rowCount }),
    };
  }

  /** SQLite settings mean nothing here. */
  pragma(): undefined {
    return undefined;
  }

  close(): void {
    void this.worker.terminate();
  }
}

/** `?` placeholders (outside quotes) to PostgreSQL's `$1, $2, ...`. */
function toPostgres(sql: string): string {
  let n = 0;
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\?/g, (token) => (token === '?' ? `$${++n}` : token));
}

/**
 * The rate-limit Redis of the test run: with TEST_REDIS_URL set (CI sets it beside
 * TEST_DATABASE_URL), every app or server process counts in that Redis under a key prefix
 * of its own, so runs and tests never share a counter. Empty when unset: limits in memory.
 */
export function testRedisEnv(): Record<string, string> {
  const url = process.env.TEST_REDIS_URL;
  return url ? { REDIS_URL: url, REDIS_KEY_PREFIX: `esim-sandbox-test:${randomBytes(8).toString('hex')}:` } : {};
}
