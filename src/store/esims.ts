/**
 * Orders and their eSIMs. Every write that touches more than one row runs in one
 * transaction, so an order is all its eSIMs or nothing, and a change of an eSIM is read,
 * decided by the domain rules and written without another writer in between.
 */
import type { Insertable, Kysely } from 'kysely';
import type { EsimState } from '../domain/esim.js';
import type { NewWebhookEvent } from '../domain/webhook-events.js';
import { dialectOf, type Dialect } from './db.js';
import { ESIM_COLUMNS, fromRow, toRow, type EsimRow } from './esim-rows.js';
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
 * The webhook events of a write, computed from what it wrote and stored in the outbox in
 * the same transaction (issue 6). `queuedAt` is real time: when the first attempt is due.
 */
export interface Announcement<T> {
  events: (written: T) => NewWebhookEvent[];
  queuedAt: Date;
  /** Set by the repository: how many deliveries were queued (0 when the reseller has no endpoint). */
  queued?: number;
}

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

/** Reads and writes orders and eSIMs, always within one reseller. */
export class EsimRepository {
  // The queries of the hot paths (status read, ordering), compiled once.
  private readonly selectEsim;
  private readonly selectEsimForChange;
  private readonly reserveSequences;
  private readonly insertOrder;
  private readonly insertEsim;

  /**
   * @param webhooks the outbox that announcements are written to; without it, writes
   *   announce nothing.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly webhooks?: WebhookRepository,
    dialect: Dialect = dialectOf(db),
  ) {
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
      ['tx?', 'reseller?', 'plan?', -1, 'at?'],
      (transactionId: string, resellerId: string, planCode: string, quantity: number, createdAt: string) =>
        db.insertInto('orders').values({
          transaction_id: transactionId,
          reseller_id: resellerId,
          plan_code: planCode,
          quantity,
          created_at: createdAt,
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
   * shared counter, lets `build` make the eSIMs from them, and writes the order and every
   * eSIM. Any failure rolls all of it back, the reserved numbers included.
   * @param build receives the `quantity` consecutive sequence numbers reserved.
   * @param announce the order's webhook events, written in the same transaction.
   */
  async placeOrder(
    header: OrderHeader,
    quantity: number,
    build: (sequences: number[]) => EsimState[],
    announce?: Announcement<EsimState[]>,
  ): Promise<EsimState[]> {
    return this.db.transaction().execute(async (trx) => {
      const [counter] = (await trx.executeQuery(this.reserveSequences(quantity, 'iccid'))).rows;
      if (!counter) throw new Error('the ICCID counter row is missing');
      const last = Number(counter.value);
      const esims = build(Array.from({ length: quantity }, (_, i) => last - quantity + 1 + i));
      const createdAt = header.createdAt.toISOString();
      await trx.executeQuery(
        this.insertOrder(header.transactionId, header.resellerId, header.planCode, quantity, createdAt),
      );
      for (const [position, esim] of esims.entries()) {
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
      if (announce && this.webhooks)
        announce.queued = await this.webhooks.writeEvents(
          trx,
          header.resellerId,
          announce.events(esims),
          announce.queuedAt,
        );
      return esims;
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
   * One of the reseller's eSIMs with its plan code and the reseller's clock offset, or
   * undefined (unknown and another reseller's alike).
   */
  async find(resellerId: string, iccid: string): Promise<StoredEsim | undefined> {
    const [row] = (await this.db.executeQuery(this.selectEsim(iccid, resellerId))).rows;
    return row ? toStored(row) : undefined;
  }

  /**
   * The reseller's eSIMs a clock rule may be due on at `now` (a superset: the domain's
   * `dueChange` decides): not TERMINATED, and past the day of expiresOn (Japan time) or
   * past an activation deadline before any activation.
   * @param jstToday the Japan-time date of `now` (YYYY-MM-DD).
   */
  async clockCandidates(resellerId: string, now: Date, jstToday: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('esims')
      .select('iccid')
      .where('reseller_id', '=', resellerId)
      .where('contract_status', '!=', 'TERMINATED')
      .where((eb) =>
        eb.or([
          eb.and([eb('expires_on', 'is not', null), eb('expires_on', '<', jstToday)]),
          eb.and([eb('activated_on', 'is', null), eb('activation_deadline', '<=', now.toISOString())]),
        ]),
      )
      .orderBy('iccid')
      .execute();
    return rows.map((row) => row.iccid);
  }

  /**
   * Reads one of the reseller's eSIMs (as `find` does), lets `change` decide its next
   * state, and stores it, all in one transaction. `change` returns the same object when
   * nothing changes (then nothing is written) and may throw to refuse; the error passes
   * through and nothing is written.
   * @param announce the webhook events of a change (given the eSIM before and after),
   *   written in the same transaction; nothing when nothing changed.
   * @returns the eSIM after the change, or undefined when the reseller has no such eSIM.
   */
  async modify(
    resellerId: string,
    iccid: string,
    change: (stored: StoredEsim) => EsimState,
    announce?: Announcement<{ before: EsimState; after: EsimState; transactionId: string }>,
  ): Promise<EsimState | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const [row] = (await trx.executeQuery(this.selectEsimForChange(iccid, resellerId))).rows;
      if (!row) return undefined;
      const stored = toStored(row);
      const after = change(stored);
      if (after !== stored.esim) {
        const { iccid: _key, ...columns } = toRow(after);
        await trx
          .updateTable('esims')
          .set(columns)
          .where('iccid', '=', iccid)
          .where('reseller_id', '=', resellerId)
          .execute();
        if (announce && this.webhooks)
          announce.queued = await this.webhooks.writeEvents(
            trx,
            resellerId,
            announce.events({ before: stored.esim, after, transactionId: stored.transactionId }),
            announce.queuedAt,
          );
      }
      return after;
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
