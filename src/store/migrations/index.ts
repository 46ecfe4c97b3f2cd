/**
 * Migrations in code, in order. Names sort in the order they must run; a shipped migration
 * is never edited, a change is a new one.
 */
import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './001_initial.js';
import { sandboxClocks } from './002_sandbox_clocks.js';
import { idempotencyKeys } from './003_idempotency_keys.js';
import { webhooks } from './004_webhooks.js';
import { esimHistory } from './005_esim_history.js';
import { requestLog } from './006_request_log.js';
import { admin } from './007_admin.js';
import { streamLeases } from './008_stream_leases.js';

const migrations: Record<string, Migration> = {
  '001_initial': initial,
  '002_sandbox_clocks': sandboxClocks,
  '003_idempotency_keys': idempotencyKeys,
  '004_webhooks': webhooks,
  '005_esim_history': esimHistory,
  '006_request_log': requestLog,
  '007_admin': admin,
  '008_stream_leases': streamLeases,
};

/** Kysely migration provider over the in-code list (no file-system scanning at run time). */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
