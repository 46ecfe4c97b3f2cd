/**
 * Where the key of the SecretBox comes from, when `SECRETS_KEY` does not give it:
 *
 * - a SQLite file: a key file beside it (`<database file>.key`, mode 0600), created on first
 *   start and read after, so the database file alone reveals no secret;
 * - in-memory SQLite: a random key for the life of the process (so is the data);
 * - PostgreSQL: a random key in the table `meta` (key `secrets_key`), the first instance's
 *   insert winning, so every instance sharing the database agrees. A dump of the
 *   database then carries the key: the start-up warning says to set SECRETS_KEY instead.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { DatabaseConfig } from './database-config.js';
import type { Database } from './schema.js';
import { SECRETS_KEY_BYTES } from './secret-box.js';

const SETTING = 'secrets_key';

/** The key and, when it is weaker than SECRETS_KEY, a warning for the operator (never the key). */
export interface ResolvedSecretsKey {
  key: Buffer;
  warning: string | null;
}

/**
 * The secrets key: `configured` (from SECRETS_KEY) when given, else the store's own (above).
 * @throws Error when a key file exists but does not hold a 32-byte key (64 hex digits).
 */
export async function resolveSecretsKey(
  configured: Buffer | null,
  database: DatabaseConfig,
  db: Kysely<Database>,
): Promise<ResolvedSecretsKey> {
  if (configured) return { key: configured, warning: null };
  if (database.kind === 'sqlite') {
    if (database.filename === ':memory:') return { key: randomBytes(SECRETS_KEY_BYTES), warning: null };
    return { key: keyFile(`${database.filename}.key`), warning: null };
  }
  await db
    .insertInto('meta')
    .values({ key: SETTING, value: randomBytes(SECRETS_KEY_BYTES).toString('hex') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('meta').select('value').where('key', '=', SETTING).executeTakeFirstOrThrow();
  return {
    key: Buffer.from(row.value, 'hex'),
    warning:
      'SECRETS_KEY is not set: webhook signing secrets are encrypted under a key kept in the database itself (table meta), so a dump of the database can reveal them; set SECRETS_KEY (64 hex digits, the same on every instance) to keep the key apart',
  };
}

function keyFile(path: string): Buffer {
  try {
    // 'wx': only the first process to start creates it; a second one reads the same key.
    writeFileSync(path, `${randomBytes(SECRETS_KEY_BYTES).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const text = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/i.test(text))
    throw new Error(
      `the secrets key file ${path} must hold 64 hex digits (a 32-byte key); delete it to make a new one`,
    );
  return Buffer.from(text, 'hex');
}
