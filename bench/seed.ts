/**
 * Seeds a store (a SQLite file, or a PostgreSQL schema) with N eSIMs through the compiled store layer, the way the server
 * writes them: orders of 1000 eSIMs of plan KD0001 placed with `EsimRepository.placeOrder`,
 * so the rows, indexes, history entries and ICCID counter are exactly what real orders leave. The ICCIDs
 * are sandboxIccid(1..N), so the load worker picks existing eSIMs by sequence number.
 */
import { statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { importDist } from './dist.js';
import { ORDER_PLAN } from './scenarios.js';

type ConfigModule = typeof import('../src/config.js');
type DbModule = typeof import('../src/store/db.js');
type EsimsModule = typeof import('../src/store/esims.js');
type PlansModule = typeof import('../src/store/plans.js');
type ResellersModule = typeof import('../src/store/resellers.js');
type CatalogModule = typeof import('../src/catalog/load.js');
type AuthModule = typeof import('../src/domain/api-key.js');
type EsimModule = typeof import('../src/domain/esim.js');
type HistoryModule = typeof import('../src/domain/esim-history.js');
type IccidModule = typeof import('../src/domain/iccid.js');
type MatchingIdModule = typeof import('../src/domain/matching-id.js');

/** eSIMs per order while seeding: the API's largest order. */
export const SEED_ORDER_SIZE = 1000;
/** SM-DP+ address of seeded eSIMs: the server's default, so they look like ordered ones. */
const SMDP_ADDRESS = 'smdp.sandbox.example';

/** What to seed. */
export interface SeedOptions {
  /**
   * `DATABASE_URL` of the store to create: `sqlite:<file>` (its folder must exist) or
   * `postgres://...?schema=<name>` (the schema is created).
   */
  databaseUrl: string;
  esims: number;
  /** Owner of the eSIMs, bound to `apiKey`. */
  reseller: string;
  apiKey: string;
  /** Progress lines (every 100,000 eSIMs). */
  log: (line: string) => void;
}

/** What seeding did. */
export interface SeedResult {
  databaseUrl: string;
  esims: number;
  /** Wall-clock time of the whole seeding (open, migrate, catalogue, key, orders), s. */
  seconds: number;
  /** Size of the SQLite file after seeding, MB; null for PostgreSQL. */
  fileMb: number | null;
}

/**
 * Creates the store and places ceil(esims / 1000) orders.
 * @throws Error when dist/ is missing or a store call fails.
 */
export async function seedStore(options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const [config, db, esimsRepo, plansRepo, resellersRepo, catalog, auth, esim, history, iccid, matchingId] =
    await Promise.all([
      importDist<ConfigModule>('config.js'),
      importDist<DbModule>('store/db.js'),
      importDist<EsimsModule>('store/esims.js'),
      importDist<PlansModule>('store/plans.js'),
      importDist<ResellersModule>('store/resellers.js'),
      importDist<CatalogModule>('catalog/load.js'),
      importDist<AuthModule>('domain/api-key.js'),
      importDist<EsimModule>('domain/esim.js'),
      importDist<HistoryModule>('domain/esim-history.js'),
      importDist<IccidModule>('domain/iccid.js'),
      importDist<MatchingIdModule>('domain/matching-id.js'),
    ]);

  const database = config.parseDatabaseUrl(options.databaseUrl);
  const store = await db.openStore(database);
  try {
    const plans = new plansRepo.PlanRepository(store.db);
    const file = catalog.loadCatalogFile();
    await plans.sync(file.rows, file.version);
    const entry = (await plans.listAll()).find((p) => p.plan.planCode === ORDER_PLAN);
    if (!entry) throw new Error(`plan ${ORDER_PLAN} is not in the catalogue`);
    const reseller = await new resellersRepo.ResellerRepository(store.db).upsertWithKey(
      options.reseller,
      auth.hashApiKey(options.apiKey),
      new Date(),
    );

    const repository = new esimsRepo.EsimRepository(store.db);
    const progressEvery = 100_000;
    for (let done = 0; done < options.esims;) {
      const quantity = Math.min(SEED_ORDER_SIZE, options.esims - done);
      const orderedAt = new Date();
      await repository.placeOrder(
        { transactionId: randomUUID(), resellerId: reseller.id, planCode: ORDER_PLAN, createdAt: orderedAt },
        quantity,
        (sequences) => ({
          esims: sequences.map((sequence) => {
            const created = esim.newEsim(entry, {
              iccid: iccid.sandboxIccid(sequence),
              matchingId: matchingId.newMatchingId(),
              smdpAddress: SMDP_ADDRESS,
              orderedAt,
            });
            return { esim: created, history: history.historyDraft(null, created, { type: 'order' }) };
          }),
          events: [],
        }),
        { requestId: null, recordedAt: new Date() },
      );
      const before = done;
      done += quantity;
      if (Math.floor(done / progressEvery) > Math.floor(before / progressEvery) && done < options.esims) {
        options.log(
          `  seeded ${done.toLocaleString('en-US')} / ${options.esims.toLocaleString('en-US')} eSIMs (${secondsSince(started).toFixed(1)} s)`,
        );
      }
    }
  } finally {
    // Closing checkpoints SQLite's WAL into the file, so the server starts on a compact file.
    await store.close();
  }
  return {
    databaseUrl: options.databaseUrl,
    esims: options.esims,
    seconds: secondsSince(started),
    fileMb: database.kind === 'sqlite' ? statSync(database.filename).size / 2 ** 20 : null,
  };
}

function secondsSince(startMs: number): number {
  return (performance.now() - startMs) / 1000;
}
