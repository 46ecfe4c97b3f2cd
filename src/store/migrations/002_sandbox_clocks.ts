import { type Kysely, type Migration } from 'kysely';

/**
 * Per-reseller sandbox clocks: how far each reseller's clock is ahead of real time, in
 * whole seconds. A reseller without a row has never moved its clock (offset 0); reset
 * deletes the row.
 */
export const sandboxClocks: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('sandbox_clocks')
      .addColumn('reseller_id', 'text', (c) => c.primaryKey().references('resellers.id'))
      .addColumn('offset_seconds', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
