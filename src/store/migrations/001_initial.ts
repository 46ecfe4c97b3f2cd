import { type Kysely, type Migration } from 'kysely';

/** The v1 tables: resellers and their API keys, the catalogue, orders, eSIMs, counters. */
export const initial: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('resellers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('api_keys')
      .addColumn('key_hash', 'text', (c) => c.primaryKey())
      .addColumn('reseller_id', 'text', (c) => c.notNull().references('resellers.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('catalog_plans')
      .addColumn('plan_code', 'text', (c) => c.primaryKey())
      .addColumn('provider_code', 'text', (c) => c.notNull())
      .addColumn('home_country', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('meta')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('counters')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'bigint', (c) => c.notNull())
      .execute();
    await db
      .insertInto('counters' as never)
      .values({ name: 'iccid', value: 0 })
      .execute();
    await db.schema
      .createTable('orders')
      .addColumn('transaction_id', 'text', (c) => c.primaryKey())
      .addColumn('reseller_id', 'text', (c) => c.notNull().references('resellers.id'))
      .addColumn('plan_code', 'text', (c) => c.notNull())
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('esims')
      .addColumn('iccid', 'text', (c) => c.primaryKey())
      .addColumn('reseller_id', 'text', (c) => c.notNull().references('resellers.id'))
      .addColumn('transaction_id', 'text', (c) => c.notNull().references('orders.transaction_id'))
      .addColumn('order_position', 'integer', (c) => c.notNull())
      .addColumn('plan_code', 'text', (c) => c.notNull())
      .addColumn('home_country', 'text', (c) => c.notNull())
      .addColumn('roaming_countries', 'text', (c) => c.notNull())
      .addColumn('contract_status', 'text', (c) => c.notNull())
      .addColumn('profile_provision_status', 'text', (c) => c.notNull())
      .addColumn('profile_install_status', 'text', (c) => c.notNull())
      .addColumn('is_service_restricted', 'integer', (c) => c.notNull())
      .addColumn('smdp_address', 'text', (c) => c.notNull())
      .addColumn('activation_code', 'text', (c) => c.notNull())
      .addColumn('activation_deadline', 'text')
      .addColumn('downloaded_at', 'text')
      .addColumn('activated_on', 'text')
      .addColumn('terminated_on', 'text')
      .addColumn('expires_on', 'text')
      .addColumn('initial_insertion_device', 'text')
      .addColumn('initial_insertion_at', 'text')
      .addColumn('initial_connection_device', 'text')
      .addColumn('data_usage', 'text', (c) => c.notNull())
      .addColumn('total_data_usage', 'bigint', (c) => c.notNull())
      .addColumn('last_updated_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('esims_by_order').on('esims').columns(['transaction_id', 'order_position']).execute();
  },
};
