/**
 * Opens the database named by `DATABASE_URL` and brings its schema up to date.
 * SQLite (better-sqlite3) is the embedded default; the repositories use only Kysely, so
 * the dialect stays behind this file.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
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
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: openSqlite(config.filename) }) });
  await migrate(db);
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

function openSqlite(filename: string): SqliteDatabase.Database {
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  const database = new SqliteDatabase(filename);
  // WAL lets readers go on while an order commits; NORMAL sync is durable across process
  // crashes in WAL mode; the busy timeout covers other processes holding the file.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  return database;
}

/** Runs every pending migration. @throws Error naming the failed migration. */
export async function migrate(db: Kysely<Database>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
