/**
 * Orders and their eSIMs. Every write that touches more than one row runs in one
 * transaction, so an order is all its eSIMs or nothing, and a change of an eSIM is read,
 * decided by the domain rules and written without another writer in between.
 */
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { EsimHistoryEntry } from '../contract/history.js';
import type { EsimFilter, OrderSummary } from '../contract/listings.js';
import type { EsimState } from '../domain/esim.js';
import type { HistoryDraft } from '../domain/esim-history.js';
import type { NewWebhookEvent } from '../domain/webhook-events.js';
import { dialectOf, type Dialect } from './db.js';
import { EsimHistoryRepository, type NewHistoryEntry, type WriteContext } from './esim-history.js';
import { ESIM_COLUMNS, fromRow, toRow, type EsimRow } from './esim-rows.js';
import { Keyset, type Page, type PagePosition } from './keyset.js';
import { precompile } from './precompiled.js';
import type { Database, EsimTable } from './schema.js';
import type { WebhookRepository } from './webhooks.js';

/**
 * An eSIM as stored, with what the use cases need beside it: its plan (for validityDays)
 * and its reseller's sandbox clock offset, read in the same statement.
 */
export interface StoredEsim {
  esim: EsimState;
  planCode: string;
  /** The order the eSIM came from. */
  transactionId: string;
  /** Seconds the owner's sandbox clock is ahead of real time (0 when never moved). */
  clockOffsetSeconds: number;
}

/** What an order records besides its eSIMs. */
export interface OrderHeader {
  transactionId: string;
  resellerId: string;
  planCode: string;
  createdAt: Date;
}

/**
 * An order's eSIMs as the use case builds them, with what the order records in the same
 * transaction: each eSIM's creation entry and the order's webhook events (every creation
 * entry lists their deliveries).
 */
export interface BuiltOrder {
  esims: { esim: EsimState; history: HistoryDraft }[];
  events: NewWebhookEvent[];
}

/**
 * One change of an eSIM within a write, as the use case decided it: the eSIM after it, its
 * history entry and the webhook events it produces. A write may make several (a clock
 * rule that fell due, then the change asked for).
 */
export interface EsimChange {
  esim: EsimState;
  history: HistoryDraft;
  events: NewWebhookEvent[];
}

/** What a write did: its result and how many webhook deliveries it queued (0 without an endpoint). */
export interface Written<T> {
  value: T;
  queued: number;
}

/** The eSIMs listing: newest first by ICCID (ICCIDs are issued in increasing order, in commit order). */
export const ESIM_KEYSET = new Keyset<string>('esims', 'string', 'desc');
/** The orders listing: newest first by `orders.seq`. */
export const ORDER_KEYSET = new Keyset<number>('orders', 'integer', 'desc');

type EsimInsert = Insertable<EsimTable>;
// Columns of an eSIM insert, in the order the precompiled statement binds them.
const INSERT_COLUMNS = [
  ...ESIM_COLUMNS,
  'reseller_id',
  'transaction_id',
  'order_position',
  'plan_code',
  'created_at',
] as const satisfies readonly (keyof EsimInsert)[];

// The predicates of migration 005's partial indexes, word for word (SQLite uses a partial
// index only for a query whose WHERE contains its terms): the eSIMs a clock rule may still end.
const LIVE_WITH_EXPIRY = sql<boolean>`contract_status <> 'TERMINATED' and expires_on is not null`;
const LIVE_NEVER_ACTIVATED = sql<boolean>`contract_status <> 'TERMINATED' and activated_on is null`;

/** Reads and writes orders and eSIMs, always within one reseller. */
export class EsimRepository {
  // The queries of the hot paths (status read, ordering), compiled once.
  private readonly selectEsim;
  private readonly selectEsimForChange;
  private readonly reserveSequences;
  private readonly insertOrder;
  private readonly insertEsim;
  private readonly historyRepository: EsimHistoryRepository;

  /**
   * @param webhooks the outbox that announcements are written to; without it, writes
   *   announce nothing.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly webhooks?: WebhookRepository,
    dialect: Dialect = dialectOf(db),
  ) {
    this.historyRepository = new EsimHistoryRepository(db);
    // The status read is the hottest path: the eSIM, its plan code and its reseller's clock
    // offset come in one statement (two primary-key lookups), not in two round trips.
    const esimQuery = (iccid: string, resellerId: string) =>
      db
        .selectFrom('esims')
        .leftJoin('sandbox_clocks', 'sandbox_clocks.reseller_id', 'esims.reseller_id')
        .select(ESIM_COLUMNS)
        .select(['esims.plan_code', 'esims.transaction_id', 'sandbox_clocks.offset_seconds'])
        .where('esims.iccid', '=', iccid)
        .where('esims.reseller_id', '=', resellerId);
    this.selectEsim = precompile(['iccid?', 'reseller?'], esimQuery);
    // The read of a read-modify-write. SQLite's write transactions are serial (BEGIN
    // IMMEDIATE), so the plain read is enough there and SQLite has no FOR UPDATE; on
    // PostgreSQL (READ COMMITTED) the eSIM row is locked until commit, so two changes of one
    // eSIM, on any instances, apply one after the other and neither is lost. Only the esims
    // row: FOR UPDATE cannot lock the nullable side of the outer join.
    this.selectEsimForChange =
      dialect === 'postgres'
        ? precompile(['iccid?', 'reseller?'], (iccid: string, resellerId: string) =>
            esimQuery(iccid, resellerId).forUpdate('esims'),
          )
        : this.selectEsim;
    // UPDATE ... RETURNING takes the counter row's lock until the order commits or rolls
    // back, in SQLite and PostgreSQL alike: concurrent orders, from any number of instances,
    // reserve disjoint ranges and a rolled-back order gives its range back. No ICCID is ever
    // issued twice (esims.iccid is also the primary key).
    this.reserveSequences = precompile([-1, 'iccid'], (quantity: number, counter: string) =>
      db
        .updateTable('counters')
        .set((eb) => ({ value: eb('value', '+', quantity) }))
        .where('name', '=', counter)
        .returning('value'),
    );
    this.insertOrder = precompile(
      ['tx?', 'reseller?', 'plan?', -1, 'at?', 'request?', -2],
      (
        transactionId: string,
        resellerId: string,
        planCode: string,
        quantity: number,
        createdAt: string,
        requestId: string | null,
        seq: number,
      ) =>
        db.insertInto('orders').values({
          transaction_id: transactionId,
          reseller_id: resellerId,
          plan_code: planCode,
          quantity,
          created_at: createdAt,
          request_id: requestId,
          seq,
        }),
    );
    // One row per statement: with the statement prepared once, a thousand single-row inserts
    // in one transaction beat building and preparing multi-row statements.
    this.insertEsim = precompile(
      INSERT_COLUMNS.map((column): unknown => `?${column}`),
      (...values: unknown[]) =>
        db
          .insertInto('esims')
          .values(Object.fromEntries(INSERT_COLUMNS.map((column, i) => [column, values[i]])) as EsimInsert),
    );
  }

  /**
   * Places an order in one transaction: reserves `quantity` ICCID sequence numbers from the
   * shared counter, lets `build` make the eSIMs from them, and writes the order, every eSIM,
   * the order's webhook events and every eSIM's creation entry in its history (one
   * multi-row insert). Any failure rolls all of it back, the reserved numbers included.
   * @param build receives the `quantity` consecutive sequence numbers reserved.
   * @param context the request that placed the order (also stored with the order) and real time.
   */
  async placeOrder(
    header: OrderHeader,
    quantity: number,
    build: (sequences: number[]) => BuiltOrder,
    context: WriteContext,
  ): Promise<Written<EsimState[]>> {
    return this.db.transaction().execute(async (trx) => {
      const [counter] = (await trx.executeQuery(this.reserveSequences(quantity, 'iccid'))).rows;
      if (!counter) throw new Error('the ICCID counter row is missing');
      const first = Number(counter.value) - quantity + 1;
      const order = build(Array.from({ length: quantity }, (_, i) => first + i));
      const createdAt = header.createdAt.toISOString();
      await trx.executeQuery(
        this.insertOrder(
          header.transactionId,
          header.resellerId,
          header.planCode,
          quantity,
          createdAt,
          context.requestId,
          first,
        ),
      );
      for (const [position, { esim }] of order.esims.entries()) {
        const row: EsimInsert = {
          ...toRow(esim),
          reseller_id: header.resellerId,
          transaction_id: header.transactionId,
          order_position: position,
          plan_code: header.planCode,
          created_at: createdAt,
        };
        await trx.executeQuery(this.insertEsim(...INSERT_COLUMNS.map((column) => row[column])));
      }
      const [deliveries = []] = await this.queue(trx, header.resellerId, [order.events], context);
      await this.historyRepository.write(
        trx,
        header.resellerId,
        order.esims.map(({ esim, history }) => ({ ...history, iccid: esim.iccid, webhookDeliveryIds: deliveries })),
        context,
      );
      return { value: order.esims.map(({ esim }) => esim), queued: deliveries.length };
    });
  }

  /** The ICCIDs of one of the reseller's orders, in order, or undefined if it has no such order. */
  async findOrderIccids(resellerId: string, transactionId: string): Promise<string[] | undefined> {
    const order = await this.db
      .selectFrom('orders')
      .select('transaction_id')
      .where('transaction_id', '=', transactionId)
      .where('reseller_id', '=', resellerId)
      .executeTakeFirst();
    if (!order) return undefined;
    const rows = await this.db
      .selectFrom('esims')
      .select('iccid')
      .where('transaction_id', '=', transactionId)
      .orderBy('order_position')
      .execute();
    return rows.map((row) => row.iccid);
  }

  /**
   * The number of stored eSIMs per contract status, over every reseller (the `sandbox_esims`
   * gauge of /metrics): `{ ACTIVE: 12, TERMINATED: 3 }`; a status with no eSIM is absent.
   */
  async countByContractStatus(): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('esims')
      .select((eb) => ['contract_status', eb.fn.countAll<number | string>().as('n')])
      .groupBy('contract_status')
      .execute();
    return Object.fromEntries(rows.map((row) => [row.contract_status, Number(row.n)]));
  }

  /**
   * One of the reseller's eSIMs with its plan code and the reseller's clock offset, or
   * undefined (unknown and another reseller's alike).
   */
  async find(resellerId: string, iccid: string): Promise<StoredEsim | undefined> {
    const [row] = (await this.db.executeQuery(this.selectEsim(iccid, resellerId))).rows;
    return row ? toStored(row) : undefined;
  }

  /**
   * The reseller's eSIMs a clock rule may be due on at `now` (a superset: the domain's
   * `dueRule` decides), newest first: not TERMINATED, and past the day of expiresOn (Japan
   * time) or past an activation deadline before any activation. Two reads on migration
   * 005's partial indexes, so the cost follows the eSIMs due, not the reseller's fleet.
   * @param jstToday the Japan-time date of `now` (YYYY-MM-DD).
   */
  async clockCandidates(resellerId: string, now: Date, jstToday: string): Promise<string[]> {
    const [expired, unactivated] = await Promise.all([
      this.db
        .selectFrom('esims')
        .select('iccid')
        .where('reseller_id', '=', resellerId)
        .where(LIVE_WITH_EXPIRY)
        .where('expires_on', '<', jstToday)
        .execute(),
      this.db
        .selectFrom('esims')
        .select('iccid')
        .where('reseller_id', '=', resellerId)
        .where(LIVE_NEVER_ACTIVATED)
        .where('activation_deadline', '<=', now.toISOString())
        .execute(),
    ]);
    return [...new Set([...expired, ...unactivated].map((row) => row.iccid))].sort().reverse();
  }

  /**
   * Reads one of the reseller's eSIMs (as `find` does), lets `change` decide what happens
   * to it, and stores the eSIM after the last change, each change's webhook events and
   * history entry, all in one transaction. `change` returns no change when nothing changes
   * (then nothing is written) and may throw to refuse; the error passes through and nothing
   * is written.
   * @param context the request that made the change and real time.
   * @returns the eSIM after the changes, or undefined when the reseller has no such eSIM.
   */
  async modify(
    resellerId: string,
    iccid: string,
    change: (stored: StoredEsim) => readonly EsimChange[],
    context: WriteContext,
  ): Promise<Written<EsimState> | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const [row] = (await trx.executeQuery(this.selectEsimForChange(iccid, resellerId))).rows;
      if (!row) return undefined;
      const stored = toStored(row);
      const changes = change(stored);
      const last = changes.at(-1);
      if (!last) return { value: stored.esim, queued: 0 };
      const { iccid: _key, ...columns } = toRow(last.esim);
      await trx
        .updateTable('esims')
        .set(columns)
        .where('iccid', '=', iccid)
        .where('reseller_id', '=', resellerId)
        .execute();
      const deliveries = await this.queue(
        trx,
        resellerId,
        changes.map((c) => c.events),
        context,
      );
      await this.historyRepository.write(
        trx,
        resellerId,
        changes.map((c, i): NewHistoryEntry => ({ ...c.history, iccid, webhookDeliveryIds: deliveries[i] ?? [] })),
        context,
      );
      return { value: last.esim, queued: deliveries.flat().length };
    });
  }

  /**
   * One page of the reseller's orders, newest first.
   * @param position from `ORDER_KEYSET.position(...)`.
   */
  async listOrders(resellerId: string, position: PagePosition<number>): Promise<Page<OrderSummary>> {
    return ORDER_KEYSET.page(
      this.db
        .selectFrom('orders')
        .select(['transaction_id', 'plan_code', 'quantity', 'created_at', 'request_id', 'seq'])
        .where('reseller_id', '=', resellerId),
      'seq',
      position,
      (row) => Number(row.seq),
      (row) => ({
        transactionId: row.transaction_id,
        planCode: row.plan_code,
        quantity: row.quantity,
        createdAt: row.created_at,
        requestId: row.request_id,
      }),
    );
  }

  /**
   * One page of the reseller's eSIMs matching every filter given, newest first, as stored
   * (the caller applies the clock).
   * @param position from `ESIM_KEYSET.position(...)`.
   */
  async listEsims(resellerId: string, filter: EsimFilter, position: PagePosition<string>): Promise<Page<StoredEsim>> {
    let query = this.db
      .selectFrom('esims')
      .leftJoin('sandbox_clocks', 'sandbox_clocks.reseller_id', 'esims.reseller_id')
      .select(ESIM_COLUMNS)
      .select(['esims.plan_code', 'esims.transaction_id', 'sandbox_clocks.offset_seconds'])
      .where('esims.reseller_id', '=', resellerId);
    if (filter.transactionId !== undefined) query = query.where('esims.transaction_id', '=', filter.transactionId);
    if (filter.planCode !== undefined) query = query.where('esims.plan_code', '=', filter.planCode);
    if (filter.contractStatus !== undefined) query = query.where('contract_status', '=', filter.contractStatus);
    if (filter.profileProvisionStatus !== undefined)
      query = query.where('profile_provision_status', '=', filter.profileProvisionStatus);
    if (filter.profileInstallStatus !== undefined)
      query = query.where('profile_install_status', '=', filter.profileInstallStatus);
    return ESIM_KEYSET.page(query, 'esims.iccid', position, (row) => row.iccid, toStored);
  }

  /** One page of an eSIM's history, oldest first; the caller checks that the reseller has the eSIM. */
  async history(resellerId: string, iccid: string, position: PagePosition<number>): Promise<Page<EsimHistoryEntry>> {
    return this.historyRepository.page(resellerId, iccid, position);
  }

  /**
   * Queues each group of webhook events (one group per change) in the outbox, in the
   * caller's transaction, and returns the ids of the deliveries queued for each group.
   */
  private async queue(
    trx: Transaction<Database>,
    resellerId: string,
    groups: readonly (readonly NewWebhookEvent[])[],
    context: WriteContext,
  ): Promise<string[][]> {
    const all = groups.flat();
    if (!this.webhooks || all.length === 0) return groups.map(() => []);
    const ids = await this.webhooks.writeEvents(trx, resellerId, all, context.recordedAt);
    let next = 0;
    return groups.map((group) => {
      const mine = ids.slice(next, next + group.length);
      next += group.length;
      return mine.filter((id): id is string => id !== null);
    });
  }
}

function toStored(
  row: EsimRow & { plan_code: string; transaction_id: string; offset_seconds: number | null },
): StoredEsim {
  return {
    esim: fromRow(row),
    planCode: row.plan_code,
    transactionId: row.transaction_id,
    clockOffsetSeconds: row.offset_seconds === null ? 0 : Number(row.offset_seconds),
  };
}
