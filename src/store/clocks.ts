/**
 * Per-reseller sandbox clock offsets (`sandbox_clocks`). Nothing is cached: several
 * processes may share one database, and each reads a reseller's offset from it in the
 * request that needs it (one primary-key lookup; the eSIM status read gets it joined to
 * the eSIM row instead, see EsimRepository).
 */
import type { Kysely } from 'kysely';
import { dialectOf, type Dialect } from './db.js';
import { precompile } from './precompiled.js';
import type { Database } from './schema.js';

/** Reads and moves the resellers' clock offsets. */
export class ClockRepository {
  private readonly selectOffset;
  private readonly lockReseller;

  constructor(
    private readonly db: Kysely<Database>,
    dialect: Dialect = dialectOf(db),
  ) {
    // SQLite's write transactions are serial already (BEGIN IMMEDIATE). On PostgreSQL the
    // clock row may not exist yet, so the reseller's row is locked instead: two advances of
    // one reseller's clock, on any instances, add up instead of one overwriting the other.
    this.lockReseller =
      dialect === 'postgres'
        ? precompile(['reseller?'], (resellerId: string) =>
            db.selectFrom('resellers').select('id').where('id', '=', resellerId).forUpdate(),
          )
        : undefined;
    this.selectOffset = precompile(['reseller?'], (resellerId: string) =>
      db.selectFrom('sandbox_clocks').select('offset_seconds').where('reseller_id', '=', resellerId),
    );
  }

  /** Seconds the reseller's clock is ahead of real time: 0 when it was never moved or was reset. */
  async offsetSeconds(resellerId: string): Promise<number> {
    const [row] = (await this.db.executeQuery(this.selectOffset(resellerId))).rows;
    return row ? Number(row.offset_seconds) : 0;
  }

  /**
   * Reads the reseller's offset, lets `change` decide the next one, and stores it, in one
   * transaction (two advances at once add up, across processes too). `change` may throw to
   * refuse; the error passes through and nothing is written.
   * @param updatedAt real time of the change, kept for bookkeeping.
   * @returns the stored offset, in seconds.
   */
  async update(resellerId: string, updatedAt: Date, change: (offsetSeconds: number) => number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      if (this.lockReseller) await trx.executeQuery(this.lockReseller(resellerId));
      const [row] = (await trx.executeQuery(this.selectOffset(resellerId))).rows;
      const next = change(row ? Number(row.offset_seconds) : 0);
      const values = { reseller_id: resellerId, offset_seconds: next, updated_at: updatedAt.toISOString() };
      await trx
        .insertInto('sandbox_clocks')
        .values(values)
        .onConflict((oc) =>
          oc.column('reseller_id').doUpdateSet({ offset_seconds: next, updated_at: values.updated_at }),
        )
        .execute();
      return next;
    });
  }

  /** Puts the reseller's clock back to real time (offset 0). */
  async reset(resellerId: string): Promise<void> {
    await this.db.deleteFrom('sandbox_clocks').where('reseller_id', '=', resellerId).execute();
  }
}
