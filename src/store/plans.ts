/**
 * The plan catalogue in the database. The shipped data file is copied in at the first
 * start (and again whenever the file changes, detected by its SHA-256); reads come from
 * the table, so every instance sharing a database serves one catalogue.
 */
import { sql, type Kysely } from 'kysely';
import type { DataPlan } from '../contract/plans.js';
import { toCatalogPlan, type CatalogPlan } from '../domain/plans.js';
import { dialectOf, type Dialect } from './db.js';
import type { Database } from './schema.js';

const VERSION_KEY = 'catalog_sha256';
// Key of the PostgreSQL transaction-level advisory lock taken by `sync` (any constant
// distinct from Kysely's migration lock).
const SYNC_LOCK_ID = 7_310_421_905;

/** A plan as the data file holds it, with its provider's home country. */
export interface CatalogRow {
  plan: DataPlan;
  homeCountry: string;
}

/** Loads and reads the catalogue table. */
export class PlanRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect = dialectOf(db),
  ) {}

  /**
   * Replaces the stored catalogue with `rows` unless the stored version already is
   * `version`. Runs in one transaction: readers see the old or the new catalogue, never a mix.
   * @returns true when the table was (re)written.
   */
  async sync(rows: readonly CatalogRow[], version: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      // Instances starting together on PostgreSQL: the first rewrites the table, the others
      // wait here until it commits, then find the version stored and leave it. (SQLite's
      // write transactions are serial already.)
      if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${sql.lit(SYNC_LOCK_ID)})`.execute(trx);
      const stored = await trx.selectFrom('meta').select('value').where('key', '=', VERSION_KEY).executeTakeFirst();
      if (stored?.value === version) return false;
      await trx.deleteFrom('catalog_plans').execute();
      for (let i = 0; i < rows.length; i += 200) {
        await trx
          .insertInto('catalog_plans')
          .values(
            rows.slice(i, i + 200).map(({ plan, homeCountry }) => ({
              plan_code: plan.planCode,
              provider_code: plan.providerCode,
              home_country: homeCountry,
              body: JSON.stringify(plan),
            })),
          )
          .execute();
      }
      await trx
        .insertInto('meta')
        .values({ key: VERSION_KEY, value: version })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: version }))
        .execute();
      return true;
    });
  }

  /** Every plan, ordered by planCode, with home and roaming countries derived. */
  async listAll(): Promise<CatalogPlan[]> {
    const rows = await this.db
      .selectFrom('catalog_plans')
      .select(['body', 'home_country'])
      .orderBy('plan_code')
      .execute();
    return rows.map((row) => toCatalogPlan(JSON.parse(row.body) as DataPlan, row.home_country));
  }
}
