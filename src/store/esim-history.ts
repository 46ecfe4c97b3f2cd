/**
 * The eSIM history table: written by the eSIM repository inside the transaction of each
 * change (so a change and its entry commit or roll back together), read by (reseller,
 * eSIM) in id order.
 */
import { CompiledQuery, sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { EsimHistoryEntry, FieldChange, HistoryCause } from '../contract/history.js';
import type { HistoryDraft } from '../domain/esim-history.js';
import { dialectOf, type Dialect } from './db.js';
import { Keyset, type Page, type PagePosition } from './keyset.js';
import type { Database, EsimHistoryTable } from './schema.js';

/** Who made a write and when, as the history records it. */
export interface WriteContext {
  /** X-Request-Id of the request that made the change; null for work no request asked for (the clock sweep). */
  requestId: string | null;
  /** Real time of the write: the entries' recordedAt, and when the webhook deliveries it queues are first due. */
  recordedAt: Date;
}

/** An entry to store: the draft with the eSIM it is of and the webhook deliveries its change queued. */
export interface NewHistoryEntry extends HistoryDraft {
  iccid: string;
  webhookDeliveryIds: string[];
}

/** An eSIM's history, oldest first, by id. */
export const HISTORY_KEYSET = new Keyset<number>('esim-history', 'integer', 'asc');

// Columns of one row of the multi-row insert, in the order the compiled statement binds them.
const INSERT_COLUMNS = [
  'reseller_id',
  'iccid',
  'at',
  'recorded_at',
  'cause',
  'request_id',
  'changes',
  'webhook_delivery_ids',
] as const satisfies readonly (keyof Insertable<EsimHistoryTable>)[];
// Distinct row counts whose insert is kept compiled (orders of up to 1000 eSIMs, and 1 to 3
// entries for a change): past this the oldest is compiled again when next needed.
const COMPILED_LIMIT = 64;

/** Reads and writes the history of eSIMs, always within one reseller. */
export class EsimHistoryRepository {
  private readonly dialect: Dialect;
  // Row count -> the insert's SQL text. Kysely would build and compile a 1000-row statement
  // (8000 values) on every order; the text depends only on the count.
  private readonly insertSql = new Map<number, string>();

  constructor(private readonly db: Kysely<Database>) {
    this.dialect = dialectOf(db);
  }

  /**
   * Stores entries in the caller's transaction `trx` (the change's own), in one multi-row
   * insert. On PostgreSQL it first takes a transaction-scoped advisory lock of the reseller,
   * so that ids (taken from the identity at insert time) commit in id order within one
   * reseller and a reader following the table by id never misses an entry committed late;
   * SQLite's write transactions are serial anyway. The lock is taken after every other lock
   * of the write, and held only until its commit.
   */
  async write(
    trx: Transaction<Database>,
    resellerId: string,
    entries: readonly NewHistoryEntry[],
    context: WriteContext,
  ): Promise<void> {
    if (entries.length === 0) return;
    if (this.dialect === 'postgres')
      await sql`select pg_advisory_xact_lock(hashtext(${`esim_history:${resellerId}`}))`.execute(trx);
    const recordedAt = context.recordedAt.toISOString();
    const values: unknown[] = [];
    for (const entry of entries) {
      values.push(
        resellerId,
        entry.iccid,
        entry.at,
        recordedAt,
        JSON.stringify(entry.cause),
        context.requestId,
        JSON.stringify(entry.changes),
        JSON.stringify(entry.webhookDeliveryIds),
      );
    }
    await trx.executeQuery(CompiledQuery.raw(this.insertText(entries.length), values));
  }

  /** One page of an eSIM's history, oldest first. The caller checks that the reseller has the eSIM. */
  async page(resellerId: string, iccid: string, position: PagePosition<number>): Promise<Page<EsimHistoryEntry>> {
    return HISTORY_KEYSET.page(
      this.db
        .selectFrom('esim_history')
        .select(['id', 'at', 'recorded_at', 'cause', 'request_id', 'changes', 'webhook_delivery_ids'])
        .where('reseller_id', '=', resellerId)
        .where('iccid', '=', iccid),
      'id',
      position,
      (row) => Number(row.id),
      toEntry,
    );
  }

  /**
   * The SQL text of an insert of `rows` rows, compiled once per row count by Kysely (so in
   * the store's dialect) with each value a parameter, bound in INSERT_COLUMNS order row by row.
   * @throws Error if the compiled parameters are not in that order (a Kysely change).
   */
  private insertText(rows: number): string {
    let text = this.insertSql.get(rows);
    if (text === undefined) {
      const samples = Array.from({ length: rows }, (_, i) =>
        Object.fromEntries(INSERT_COLUMNS.map((column) => [column, `${i}:${column}`])),
      ) as Insertable<EsimHistoryTable>[];
      const compiled = this.db.insertInto('esim_history').values(samples).compile();
      const expected = samples.flatMap((sample) => INSERT_COLUMNS.map((column) => sample[column]));
      if (
        !compiled.parameters.every((value, i) => value === expected[i]) ||
        compiled.parameters.length !== expected.length
      )
        throw new Error('esim_history insert: the compiled parameters are not bound row by row in column order');
      text = compiled.sql;
      if (this.insertSql.size >= COMPILED_LIMIT) this.insertSql.delete(this.insertSql.keys().next().value as number);
      this.insertSql.set(rows, text);
    }
    return text;
  }
}

/** A stored history row as the contract's entry (the live stream reads rows too). */
export function toEntry(
  row: Pick<Selectable<EsimHistoryTable>, Exclude<keyof EsimHistoryTable, 'reseller_id' | 'iccid'>>,
): EsimHistoryEntry {
  return {
    id: Number(row.id),
    at: row.at,
    recordedAt: row.recorded_at,
    cause: JSON.parse(row.cause) as HistoryCause,
    requestId: row.request_id,
    changes: JSON.parse(row.changes) as FieldChange[],
    webhookDeliveryIds: JSON.parse(row.webhook_delivery_ids) as string[],
  };
}
