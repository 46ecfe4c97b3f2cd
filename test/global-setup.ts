/**
 * Vitest global setup: says which store the suite runs on. With TEST_DATABASE_URL unset,
 * the SQLite suite runs and the PostgreSQL suite is skipped, plainly. With it set, checks
 * the database answers, gives the run a schema prefix (every test schema starts with it),
 * and drops whatever schema of the run is left at the end (a test that failed before its
 * cleanup, e2e schemas shared by several servers).
 */
import { randomBytes } from 'node:crypto';
import { adminQuery, dropSchemasLike, testDatabaseUrl } from './helpers/database.js';

export default async function setup(): Promise<() => Promise<void>> {
  const url = testDatabaseUrl();
  if (!url) {
    console.log(
      'Store: SQLite. PostgreSQL suite skipped: TEST_DATABASE_URL is not set (e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm test).',
    );
    return async () => undefined;
  }
  const redacted = url.replace(/\/\/[^@/]*@/, '//***@');
  const { rows } = await adminQuery('SELECT version() AS v');
  // Inherited by the test workers, which are forked after this.
  // A prefix given by the caller (.ci/run, to drop the run's schemas even if vitest dies) is kept.
  const given = process.env.TEST_SCHEMA_PREFIX;
  const prefix = (process.env.TEST_SCHEMA_PREFIX =
    given && /^test_[a-z0-9_]{1,40}$/.test(given) ? given : `test_${randomBytes(4).toString('hex')}_`);
  console.log(
    `Store: PostgreSQL (${redacted}, ${String((rows[0] as { v: string }).v).split(' on ')[0]}), one schema per test app or server, named ${prefix}*.`,
  );
  return async () => {
    const dropped = await dropSchemasLike(prefix);
    if (dropped > 0) console.log(`Dropped ${dropped} leftover test schema(s) ${prefix}*.`);
  };
}
