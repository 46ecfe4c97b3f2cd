/**
 * What the store needs to know to open its database, parsed from `DATABASE_URL` by
 * src/config.ts (the store does not read the environment itself).
 */

/** Where the sandbox keeps its data: the embedded SQLite file or a PostgreSQL server. */
export type DatabaseConfig = { kind: 'sqlite'; url: string; filename: string } | { kind: 'postgres'; url: string };

/** A schema name accepted in `postgres://...?schema=<name>`: lower case, so it reads the same quoted or not. */
export const PG_SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;
