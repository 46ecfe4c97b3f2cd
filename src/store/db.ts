/**
 * Opens the database named by `DATABASE_URL` and brings its schema up to date.
 * SQLite (better-sqlite3) is the embedded default; the repositories use only Kysely, so
 * the dialect stays behind this file.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, Kysely, Migrator, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDatabase as KyselySqliteDatabase } from 'kysely';
import type { DatabaseConfig } from '../config.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

/** An open database with its dialect's name. */
export interface Store {
  db: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

/**
 * Opens the database and runs pending migrations.
 * @throws Error when the database cannot be opened or a migration fails (start-up stops).
 */
export async function openStore(config: DatabaseConfig): Promise<Store> {
  if (config.kind !== 'sqlite') {
    throw new Error('DATABASE_URL: PostgreSQL is not supported by this build yet; use sqlite:<path>');
  }
  let database: SqliteDatabase.Database;
  try {
    database = openSqlite(config.filename);
  } catch (error) {
    throw new Error(`DATABASE_URL=${config.url}: cannot open the SQLite file: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }) });
  await migrate(db);
  return { db, dialect: 'sqlite', close: () => db.destroy() };
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

/** Runs every pending migration. @throws Error naming the failed migration. */
export async function migrate(db: Kysely<Database>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
