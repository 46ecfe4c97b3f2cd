/**
 * The request log tables (`request_log`, `request_log_iccids`): written in batches by the
 * request-log plugin's writer, one transaction per batch, and read per reseller, newest first.
 * Retention is applied by the writer after each batch, per reseller in it: the newest
 * `limit` entries and none older than `days` real days; reads also leave out entries past
 * the days bound, so an idle reseller's old entries are never shown before the next trim.
 */
import { CompiledQuery, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { RequestLogEntry, RequestLogSummary } from '../contract/request-log.js';
import { Keyset, type Page, type PagePosition } from './keyset.js';
import type { Database, RequestLogTable } from './schema.js';

/** An entry to store: every column but the id and the sandbox time, which the batch assigns. */
export type NewRequestLogEntry = Omit<RequestLogTable, 'id' | 'sandbox_time'> & {
  /** The ICCIDs for the side table (also kept, as JSON, in `iccids`). */
  iccidList: readonly string[];
};

/** The listing's filters, as the query gives them (validated by the route's schema). */
export interface RequestLogFilter {
  method?: string | undefined;
  operationId?: string | undefined;
  /** `429` or `4xx`. */
  status?: string | undefined;
  iccid?: string | undefined;
  transactionId?: string | undefined;
  requestId?: string | undefined;
  idempotencyKey?: string | undefined;
  /** ISO 8601 instant, compared with receivedAt. */
  since?: string | undefined;
}

/** Retention bounds (REQUEST_LOG_LIMIT, REQUEST_LOG_DAYS). */
export interface Retention {
  limit: number;
  days: number;
}

/** The request log, newest first, by id. */
export const REQUEST_LOG_KEYSET = new Keyset<number>('request-log', 'integer', 'desc');

const DAY_MS = 86_400_000;
// The columns of a row, in the order the precompiled insert binds them.
const COLUMNS = [
  'id',
  'reseller_id',
  'request_id',
  'received_at',
  'sandbox_time',
  'method',
  'path',
  'query',
  'operation_id',
  'status',
  'duration_us',
  'idempotency_key',
  'idempotent_replayed',
  'fault',
  'problem_code',
  'request_headers',
  'request_body',
  'request_body_json',
  'request_truncated',
  'response_headers',
  'response_body',
  'response_body_json',
  'response_truncated',
  'iccids',
  'transaction_id',
] as const satisfies readonly (keyof RequestLogTable)[];
const ICCID_COLUMNS = ['entry_id', 'reseller_id', 'iccid'] as const;
// Rows per statement: 25 values a row x 50, 3 x 500, below SQLite's 32,766 bound parameters.
const ENTRY_CHUNK = 50;
const ICCID_CHUNK = 500;

type Row = Selectable<RequestLogTable>;

/** Reads and writes the request log, always within one reseller (the writer's batches excepted). */
export class RequestLogRepository {
  // Multi-row inserts compiled once per row count (Kysely would build and compile a statement
  // of thousands of values for every batch); batches are cut into chunks of at most
  // ENTRY_CHUNK / ICCID_CHUNK rows, so at most that many texts are ever kept.
  private readonly insertSql = new Map<string, string>();

  constructor(private readonly db: Kysely<Database>) {}

  /** Inserts `rows` (values in `columns` order) into `table` in chunks, each one statement. */
  private async insertRows(
    trx: Transaction<Database>,
    table: 'request_log' | 'request_log_iccids',
    columns: readonly string[],
    rows: readonly unknown[][],
    chunk: number,
  ): Promise<void> {
    for (let i = 0; i < rows.length; i += chunk) {
      const part = rows.slice(i, i + chunk);
      await trx.executeQuery(CompiledQuery.raw(this.insertText(table, columns, part.length), part.flat()));
    }
  }

  /**
   * The SQL text of a `rows`-row insert into `table`, compiled by Kysely (the store's dialect)
   * with one parameter per value, bound row by row in `columns` order.
   * @throws Error if Kysely binds them in another order.
   */
  private insertText(table: 'request_log' | 'request_log_iccids', columns: readonly string[], rows: number): string {
    const key = `${table}:${rows}`;
    let text = this.insertSql.get(key);
    if (text === undefined) {
      const samples = Array.from({ length: rows }, (_, r) => Object.fromEntries(columns.map((c) => [c, `${r}:${c}`])));
      const compiled = this.db
        .insertInto(table)
        .values(samples as never)
        .compile();
      const expected = samples.flatMap((sample) => columns.map((c) => sample[c]));
      if (compiled.parameters.length !== expected.length || !compiled.parameters.every((v, i) => v === expected[i]))
        throw new Error(`${table} insert: the compiled parameters are not bound row by row in column order`);
      text = compiled.sql;
      this.insertSql.set(key, text);
    }
    return text;
  }

  /**
   * Stores a batch in one transaction: ids reserved from the `request_log` counter (its row
   * lock orders the batches of every instance, so ids grow in commit order), each entry's
   * sandbox time from its reseller's clock offset, the ICCIDs, then the retention trim of
   * every reseller in the batch. Entries of a reseller no longer in `resellers` are dropped.
   * @param now real time, for the days bound.
   * @throws whatever the database throws: the caller counts the batch as lost.
   */
  async write(batch: readonly NewRequestLogEntry[], retention: Retention, now: Date): Promise<void> {
    if (batch.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      // A reseller deleted (admin DELETE, sandbox sweep) after its entries were queued would
      // make the foreign key fail the whole batch, losing every other reseller's entries: its
      // entries are dropped instead. Read inside the transaction, so a deletion committed
      // before it is seen.
      const queued = [...new Set(batch.map((entry) => entry.reseller_id))];
      const existing = new Set(
        (await trx.selectFrom('resellers').select('id').where('id', 'in', queued).execute()).map((row) => row.id),
      );
      const entries = batch.filter((entry) => existing.has(entry.reseller_id));
      if (entries.length === 0) return;
      const last = await reserveIds(trx, entries.length);
      let id = last - entries.length;
      const resellers = [...existing];
      const offsets = new Map(
        (
          await trx
            .selectFrom('sandbox_clocks')
            .select(['reseller_id', 'offset_seconds'])
            .where('reseller_id', 'in', resellers)
            .execute()
        ).map((row) => [row.reseller_id, Number(row.offset_seconds)]),
      );
      const rows: unknown[][] = [];
      const iccids: unknown[][] = [];
      for (const { iccidList, ...entry } of entries) {
        id++;
        const offset = offsets.get(entry.reseller_id) ?? 0;
        const sandboxTime = new Date(Date.parse(entry.received_at) + offset * 1000).toISOString();
        const row: RequestLogTable = { ...entry, id, sandbox_time: sandboxTime };
        rows.push(COLUMNS.map((column) => row[column]));
        for (const iccid of iccidList) iccids.push([id, entry.reseller_id, iccid]);
      }
      await this.insertRows(trx, 'request_log', COLUMNS, rows, ENTRY_CHUNK);
      await this.insertRows(trx, 'request_log_iccids', ICCID_COLUMNS, iccids, ICCID_CHUNK);
      const cutoff = new Date(now.getTime() - retention.days * DAY_MS).toISOString();
      for (const resellerId of resellers) await trim(trx, resellerId, retention.limit, cutoff);
    });
  }

  /** One page of the reseller's entries, newest first, filtered. The position comes from REQUEST_LOG_KEYSET. */
  async page(
    resellerId: string,
    filter: RequestLogFilter,
    position: PagePosition<number>,
    now: Date,
    days: number,
  ): Promise<Page<RequestLogEntry>> {
    let query = this.db
      .selectFrom('request_log')
      .selectAll()
      .where('reseller_id', '=', resellerId)
      .where('received_at', '>=', new Date(now.getTime() - days * DAY_MS).toISOString());
    if (filter.method !== undefined) query = query.where('method', '=', filter.method.toUpperCase());
    if (filter.operationId !== undefined) query = query.where('operation_id', '=', filter.operationId);
    if (filter.status !== undefined) {
      if (filter.status.endsWith('xx')) {
        const low = Number(filter.status[0]) * 100;
        query = query.where('status', '>=', low).where('status', '<', low + 100);
      } else query = query.where('status', '=', Number(filter.status));
    }
    if (filter.transactionId !== undefined) query = query.where('transaction_id', '=', filter.transactionId);
    if (filter.requestId !== undefined) query = query.where('request_id', '=', filter.requestId);
    if (filter.idempotencyKey !== undefined) query = query.where('idempotency_key', '=', filter.idempotencyKey);
    if (filter.since !== undefined) query = query.where('received_at', '>=', new Date(filter.since).toISOString());
    if (filter.iccid !== undefined) {
      const iccid = filter.iccid;
      query = query.where('id', 'in', (eb) =>
        eb
          .selectFrom('request_log_iccids')
          .select('entry_id')
          .where('reseller_id', '=', resellerId)
          .where('iccid', '=', iccid),
      );
    }
    return REQUEST_LOG_KEYSET.page(query, 'id', position, (row) => Number(row.id), toEntry);
  }

  /** One of the reseller's entries, or undefined (unknown, another reseller's, or past the days bound). */
  async find(resellerId: string, id: number, now: Date, days: number): Promise<RequestLogEntry | undefined> {
    const row = await this.db
      .selectFrom('request_log')
      .selectAll()
      .where('id', '=', id)
      .where('reseller_id', '=', resellerId)
      .where('received_at', '>=', new Date(now.getTime() - days * DAY_MS).toISOString())
      .executeTakeFirst();
    return row ? toEntry(row) : undefined;
  }

  /** The id of the reseller's newest entry, 0 when none: where a new stream starts. */
  async lastId(resellerId: string): Promise<number> {
    const row = await this.db
      .selectFrom('request_log')
      .select((eb) => eb.fn.max('id').as('id'))
      .where('reseller_id', '=', resellerId)
      .executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  /** The reseller's entries after id `after`, oldest first, at most `limit`, without bodies (the stream's). */
  async after(resellerId: string, after: number, limit: number): Promise<RequestLogSummary[]> {
    const rows = await this.db
      .selectFrom('request_log')
      .selectAll()
      .where('reseller_id', '=', resellerId)
      .where('id', '>', after)
      .orderBy('id', 'asc')
      .limit(limit)
      .execute();
    return rows.map(toSummary);
  }
}

async function reserveIds(trx: Transaction<Database>, count: number): Promise<number> {
  const row = await trx
    .insertInto('counters')
    .values({ name: 'request_log', value: count })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', count) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

/** Deletes the reseller's entries beyond the newest `limit` and those received before `cutoff` (their ICCIDs cascade). */
async function trim(trx: Transaction<Database>, resellerId: string, limit: number, cutoff: string): Promise<void> {
  // Two statements, each on an index: (reseller, id) for the count bound, (reseller,
  // received_at) for the days bound; one OR of both would scan the reseller's rows.
  await trx
    .deleteFrom('request_log')
    .where('reseller_id', '=', resellerId)
    .where('id', '<=', (eb) =>
      eb
        .selectFrom('request_log')
        .select('id')
        .where('reseller_id', '=', resellerId)
        .orderBy('id', 'desc')
        .limit(1)
        .offset(limit),
    )
    .execute();
  await trx.deleteFrom('request_log').where('reseller_id', '=', resellerId).where('received_at', '<', cutoff).execute();
}

function body(text: string | null, json: number): unknown {
  if (text === null) return null;
  return json === 1 ? JSON.parse(text) : text;
}

function toSummary(row: Row): RequestLogSummary {
  return {
    id: String(row.id),
    requestId: row.request_id,
    receivedAt: row.received_at,
    sandboxTime: row.sandbox_time,
    method: row.method,
    path: row.path,
    query: JSON.parse(row.query) as Record<string, string | string[]>,
    operationId: row.operation_id,
    status: row.status,
    durationMs: Number(row.duration_us) / 1000,
    idempotencyKey: row.idempotency_key,
    idempotentReplayed: row.idempotent_replayed === 1,
    fault: row.fault,
    problemCode: row.problem_code,
    requestHeaders: JSON.parse(row.request_headers) as Record<string, string>,
    responseHeaders: JSON.parse(row.response_headers) as Record<string, string>,
    truncated: { request: row.request_truncated === 1, response: row.response_truncated === 1 },
    iccids: JSON.parse(row.iccids) as string[],
    transactionId: row.transaction_id,
  };
}

function toEntry(row: Row): RequestLogEntry {
  return {
    ...toSummary(row),
    requestBody: body(row.request_body, row.request_body_json),
    responseBody: body(row.response_body, row.response_body_json),
  };
}
