/**
 * Cursor pagination by keyset, for every inspection listing: a page is the rows after a
 * position of one unique, monotonic key (an id, a sequence number, an ICCID), in the
 * listing's order, never an OFFSET. Rows that arrive while a client pages get keys beyond
 * the first page's, so a page never repeats or skips a row (an OFFSET shifts by the rows
 * inserted before it). One more row than the page holds is read to know whether a next page exists.
 *
 * The cursor is opaque to clients: base64url (RFC 4648 section 5) of the JSON
 * `{"k": <last key of the page>, "s": <scope tag>}`. The scope tag is a hash of the
 * listing's name, its owner (the reseller, and the eSIM of a history) and its filters, so
 * that a cursor is refused (400 at `query.cursor`) outside the listing it came from, as
 * Google's AIP-158 asks of page tokens; the limit may change from page to page.
 */
import { createHash } from 'node:crypto';
import { sql, type SelectQueryBuilder } from 'kysely';
import { RuleViolation } from '../domain/errors.js';

/** A keyset key: an integer (ids, sequence numbers) or a string (ICCIDs). */
export type KeysetKey = number | string;

/** What a cursor belongs to. */
export interface CursorScope {
  /** Whose rows: the reseller's id, with the parent for a nested listing (`<reseller>/<iccid>`). */
  owner: string;
  /** The listing's filters as given; absent ones (undefined) count as not given. */
  filters?: Readonly<Record<string, string | number | boolean | undefined>>;
}

/** A page request as the query gives it. */
export interface PageRequest {
  /** Rows per page (the schema keeps it within 1-100). */
  limit: number;
  /** The previous page's nextCursor, absent for the first page. */
  cursor?: string | undefined;
}

/** A page request checked against its listing: where the page starts and what the next cursor is bound to. */
export interface PagePosition<K extends KeysetKey> {
  /** The last key of the previous page, or undefined for the first page. */
  after: K | undefined;
  limit: number;
  /** The scope tag of the listing, owner and filters (see the module comment). */
  tag: string;
}

/** A page: `{items, nextCursor}`; nextCursor is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const CURSOR_PATH = 'query.cursor';
const MAX_STRING_KEY = 128;

/**
 * One listing's keyset: its name, its key's type and its order.
 * @example
 *   const ORDERS = new Keyset<number>('orders', 'integer', 'desc');
 *   const position = ORDERS.position({ owner: resellerId }, { limit, cursor }); // throws a 400 first
 *   return ORDERS.page(db.selectFrom('orders').selectAll().where(...), 'seq', position, (r) => r.seq, toItem);
 */
export class Keyset<K extends KeysetKey> {
  /**
   * @param listing names the listing in the scope tag (a cursor of another listing is refused).
   * @param keyType `integer` (a safe integer >= 0) or `string` (at most 128 characters).
   * @param order `desc` (newest first) or `asc` (oldest first) by the key.
   */
  constructor(
    readonly listing: string,
    readonly keyType: K extends number ? 'integer' : 'string',
    readonly order: 'asc' | 'desc',
  ) {}

  /**
   * Checks a page request: decodes its cursor and checks that it was made by this listing
   * for this owner and these filters. Pure: call it before anything is read or written.
   * @throws RuleViolation at `query.cursor` for a cursor that is not one of this listing's,
   *   saying whether it is malformed or belongs to another listing, sandbox or filter set.
   */
  position(scope: CursorScope, request: PageRequest): PagePosition<K> {
    const tag = this.tag(scope);
    if (request.cursor === undefined) return { after: undefined, limit: request.limit, tag };
    const decoded = decodeCursor(request.cursor);
    if (decoded === null || !this.isKey(decoded.k))
      throw new RuleViolation([
        { path: CURSOR_PATH, message: `is not a cursor of this listing: pass a nextCursor it returned, unchanged` },
      ]);
    if (decoded.s !== tag)
      throw new RuleViolation([
        {
          path: CURSOR_PATH,
          message:
            'was returned by another listing, for another API key, or with other filters: pass it with the filters it came with, or leave it out to start from the first page',
        },
      ]);
    return { after: decoded.k as K, limit: request.limit, tag };
  }

  /**
   * Reads one page: `query` narrowed to the keys after the position, ordered by `column`
   * in the listing's order, limited to one row more than the page (which, when it comes,
   * makes nextCursor the cursor of the page's last key).
   * @param query the listing's rows (its owner and filters applied).
   * @param column the key's column, unique within `query`'s rows.
   */
  async page<DB, TB extends keyof DB, Row, T>(
    query: SelectQueryBuilder<DB, TB, Row>,
    column: string,
    position: PagePosition<K>,
    keyOf: (row: Row) => K,
    toItem: (row: Row) => T,
  ): Promise<Page<T>> {
    const ref = sql.ref(column);
    const after = position.after;
    const narrowed = after === undefined ? query : query.where(ref, this.order === 'desc' ? '<' : '>', after as never);
    const rows = await narrowed
      .orderBy(ref, this.order)
      .limit(position.limit + 1)
      .execute();
    return this.toPage(rows, position, keyOf, toItem);
  }

  /** The page of `rows` read as `page` reads them (`limit` + 1 at most, in order): pure, for callers with their own query. */
  toPage<Row, T>(
    rows: readonly Row[],
    position: PagePosition<K>,
    keyOf: (row: Row) => K,
    toItem: (row: Row) => T,
  ): Page<T> {
    const shown = rows.slice(0, position.limit);
    const last = shown.at(-1);
    const nextCursor =
      rows.length > position.limit && last !== undefined ? encodeCursor(keyOf(last), position.tag) : null;
    return { items: shown.map(toItem), nextCursor };
  }

  private tag(scope: CursorScope): string {
    const filters = Object.entries(scope.filters ?? {})
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return createHash('sha256')
      .update(JSON.stringify([this.listing, scope.owner, filters]))
      .digest('base64url')
      .slice(0, 16);
  }

  private isKey(value: unknown): boolean {
    return this.keyType === 'integer'
      ? Number.isSafeInteger(value) && (value as number) >= 0
      : typeof value === 'string' && value.length > 0 && value.length <= MAX_STRING_KEY;
  }
}

/** The cursor of a position: base64url of `{"k": key, "s": tag}`. */
export function encodeCursor(key: KeysetKey, tag: string): string {
  return Buffer.from(JSON.stringify({ k: key, s: tag }), 'utf8').toString('base64url');
}

/** The `{k, s}` a cursor holds, or null when it is not base64url of such a JSON object. */
export function decodeCursor(cursor: string): { k: unknown; s: string } | null {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const { k, s } = value as { k?: unknown; s?: unknown };
  if (typeof s !== 'string' || k === undefined) return null;
  return { k, s };
}
