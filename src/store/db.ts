/**
 * Opens the database named by `DATABASE_URL` and brings its schema up to date.
 * SQLite (better-sqlite3) is the embedded default, PostgreSQL (pg) the shared store of
 * several instances; the repositories use only Kysely, so the dialect stays behind
 * src/store (the few statements that differ ask `dialectOf(db)`, never code above this folder).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  sql,
  Migrator,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase as KyselySqliteDatabase,
} from 'kysely';
import pg from 'pg';
import { PG_SCHEMA, type DatabaseConfig } from './database-config.js';
import { migrationProvider } from './migrations/index.js';
import { postgresConnectMessage, sqliteOpenMessage } from './open-errors.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

/**
 * The dialect of a Kysely instance (for the few statements that differ, such as row
 * locks): repositories take it from the instance they are given.
 */
export function dialectOf(db: Kysely<Database>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** An open database (its dialect, where a statement needs it: `dialectOf(db)`). */
export interface Store {
  db: Kysely<Database>;
  /** Resolves when the database answers a trivial query (readiness); rejects with its error. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

function storeOf(db: Kysely<Database>): Store {
  return {
    db,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/**
 * Opens the database and runs pending migrations.
 * @throws Error when the database cannot be opened or a migration fails (start-up stops).
 */
export async function openStore(config: DatabaseConfig): Promise<Store> {
  if (config.kind === 'postgres') return openPostgres(config.url);
  let database: SqliteDatabase.Database;
  try {
    database = openSqlite(config.filename);
  } catch (error) {
    throw new Error(sqliteOpenMessage(error, config.url, config.filename), { cause: error });
  }
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }) });
  try {
    await migrate(db);
  } catch (error) {
    await db.destroy();
    // A read-only file opens, and fails at the first write: the migrations'.
    const found = [error, (error as { cause?: unknown }).cause].find((e) =>
      /^SQLITE_(READONLY|PERM|FULL|CANTOPEN|NOTADB)/.test(String((e as { code?: unknown } | undefined)?.code)),
    );
    if (found) throw new Error(sqliteOpenMessage(found, config.url, config.filename), { cause: error });
    throw error;
  }
  return storeOf(db);
}

/**
 * SQLite with write transactions that take the write lock when they begin. Every
 * transaction of the sandbox writes; a plain (deferred) BEGIN takes the lock at the first
 * write, and if another process holds it then, SQLite answers SQLITE_BUSY at once instead
 * of waiting `busy_timeout` (a deadlock guard). BEGIN IMMEDIATE waits, so two servers on
 * one file queue their writes instead of failing them.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver() as SqliteDriver;
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

function openSqlite(filename: string): SqliteDatabase.Database {
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  const database = new SqliteDatabase(filename);
  // WAL lets readers go on while an order commits; NORMAL sync is durable across process
  // crashes in WAL mode; the busy timeout covers other processes holding the file.
  // Fails here, not at the first query, when the file is not a database.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  return database;
}

// Distinct SQL texts kept prepared; the API issues a few dozen shapes, so this never fills
// in practice, and a flood of unexpected shapes only resets it.
const STATEMENT_CACHE_LIMIT = 1000;

/**
 * Keeps each SQL text prepared once. Kysely asks better-sqlite3 to prepare every query it
 * runs, and preparing (parsing and planning) costs more than running a keyed lookup.
 * Safe to share: Kysely runs one query at a time on its single SQLite connection.
 */
function withStatementCache(database: SqliteDatabase.Database): KyselySqliteDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare: (sql) => {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE_LIMIT) statements.clear();
        statement = database.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * Runs every pending migration. @throws Error naming the failed migration.
 * @param schema the PostgreSQL schema of `DATABASE_URL=...?schema=`, if any.
 */
export async function migrate(db: Kysely<Database>, schema?: string): Promise<void> {
  // With a schema, Kysely's own tables are looked for in that schema only: its existence
  // checks look at every schema of the database otherwise.
  const { error, results } = await new Migrator({
    db,
    provider: migrationProvider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    // No migration ran: the database could not be reached or read at all. Not a migration's
    // fault, so the caller explains the error itself (open-errors.ts).
    if (failed === undefined) throw error as Error;
    throw new Error(
      `database migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
      {
        cause: error,
      },
    );
  }
}

// pg type OID of int8 (bigint). Our bigints (counters, total_data_usage, offset_seconds)
// stay far below 2^53 - 1, so they are read as numbers, not the strings pg gives by default.
const INT8_OID = 20;
const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : (pg.types.getTypeParser(oid, format) as (value: string) => unknown)) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * The pg driver's settings for `DATABASE_URL=postgres://...[?schema=name]`: `schema=`
 * becomes the connections' search_path (so every table, the migrations' included, lives
 * in it), every other parameter goes to pg as given.
 */
export function postgresSettings(url: string): { connectionString: string; schema: string | null } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  if (schema !== null && !PG_SCHEMA.test(schema))
    throw new Error(`DATABASE_URL: schema= must match ${PG_SCHEMA}, got "${schema}"`);
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}

/**
 * Runs the migrations, trying again (up to 3 times) when they fail only because another
 * client dropped some other schema meanwhile: Kysely's migrator lists the tables of every
 * schema of the database to find its own, and a schema dropped during that listing fails it
 * ("schema ... does not exist"), though nothing is wrong with ours. Seen with test runs
 * that create and drop schemas side by side; harmless to retry anywhere.
 */
async function migrateTolerantOfDroppedSchemas(db: Kysely<Database>, schema: string | undefined): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrate(db, schema);
      return;
    } catch (error) {
      const dropped = /schema "([^"]+)" does not exist/.exec(
        error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause)}` : '',
      );
      if (!dropped || dropped[1] === schema || attempt >= 3) throw error;
    }
  }
}

async function openPostgres(url: string): Promise<Store> {
  const { connectionString, schema } = postgresSettings(url);
  const pool = new pg.Pool({
    connectionString,
    // Per pool, not pg.types.setTypeParser: the parser is this pool's business only.
    types: pgTypes,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    max: 10,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client losing its server (restart, network) must not crash the process: the
  // next query gets a new connection, or an error that answers 500 / 503 on /readyz.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    if (schema)
      await sql`create schema if not exists ${sql.id(schema)}`.execute(db).catch(async (error: unknown) => {
        // Two instances creating it at once: one of them may lose the race on pg_namespace's unique index: fine if the schema is there.
        const found = await sql<{
          n: number;
        }>`select count(*)::int as n from pg_namespace where nspname = ${schema}`.execute(db);
        if (found.rows[0]?.n !== 1) throw error;
      });
    // Kysely's PostgreSQL migrator runs all pending migrations in one transaction under a
    // session advisory lock (pg_advisory_lock), so instances starting together queue here
    // and the later ones find nothing left to do.
    await migrateTolerantOfDroppedSchemas(db, schema ?? undefined);
  } catch (error) {
    await db.destroy();
    throw new Error(
      postgresConnectMessage(error, url) ??
        `DATABASE_URL: cannot open or migrate the PostgreSQL database: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return storeOf(db);
}
