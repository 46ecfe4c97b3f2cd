/**
 * The keyset module: cursors (opaque base64url, bound to listing, owner and filters), the
 * 400 at query.cursor for a malformed or foreign one, and pages read from a real SQLite
 * table that never repeat or skip a row while rows arrive between pages, in both orders.
 */
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RuleViolation } from '../../src/domain/errors.js';
import { decodeCursor, encodeCursor, Keyset } from '../../src/store/keyset.js';

interface Row {
  id: number;
  name: string;
}
let db: Kysely<{ rows: Row }>;
beforeEach(async () => {
  db = new Kysely<{ rows: Row }>({ dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }) });
  await db.schema
    .createTable('rows')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();
});
afterEach(async () => db.destroy());

const insert = async (...ids: number[]) =>
  db
    .insertInto('rows')
    .values(ids.map((id) => ({ id, name: `r${String(id).padStart(3, '0')}` })))
    .execute();

function violation(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RuleViolation);
    return (error as RuleViolation).violations;
  }
  throw new Error('expected a RuleViolation');
}

describe('cursors', () => {
  it('are base64url of {k, s} and decode back; anything else decodes to null', () => {
    const cursor = encodeCursor(42, 'tag');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(cursor, 'base64url').toString()).toBe('{"k":42,"s":"tag"}');
    expect(decodeCursor(cursor)).toEqual({ k: 42, s: 'tag' });
    expect(decodeCursor(encodeCursor('8900000000000000011', 'x'))).toEqual({ k: '8900000000000000011', s: 'x' });
    for (const bad of [
      '',
      'a+b',
      'a/b',
      'Zm9v',
      Buffer.from('[1,2]').toString('base64url'),
      Buffer.from('{"k":1}').toString('base64url'),
      Buffer.from('{"s":"x"}').toString('base64url'),
      Buffer.from('null').toString('base64url'),
    ])
      expect(decodeCursor(bad), bad).toBeNull();
  });

  it('position: the first page without a cursor, the key after the cursor with one', () => {
    const keyset = new Keyset<number>('rows', 'integer', 'desc');
    const first = keyset.position({ owner: 'acme' }, { limit: 5 });
    expect(first).toEqual({ after: undefined, limit: 5, tag: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/) });
    const cursor = encodeCursor(7, first.tag);
    expect(keyset.position({ owner: 'acme' }, { limit: 2, cursor })).toEqual({ after: 7, limit: 2, tag: first.tag });
  });

  it('refuses at query.cursor a malformed cursor, or a key of the wrong type', () => {
    const keyset = new Keyset<number>('rows', 'integer', 'desc');
    const { tag } = keyset.position({ owner: 'acme' }, { limit: 1 });
    const message = 'is not a cursor of this listing: pass a nextCursor it returned, unchanged';
    for (const cursor of ['Zm9v', encodeCursor('7', tag), encodeCursor(-1, tag), encodeCursor(1.5, tag)])
      expect(violation(() => keyset.position({ owner: 'acme' }, { limit: 1, cursor }))).toEqual([
        { path: 'query.cursor', message },
      ]);
    const strings = new Keyset<string>('names', 'string', 'asc');
    const { tag: stringTag } = strings.position({ owner: 'acme' }, { limit: 1 });
    for (const cursor of [
      encodeCursor(7, stringTag),
      encodeCursor('', stringTag),
      encodeCursor('x'.repeat(129), stringTag),
    ])
      expect(violation(() => strings.position({ owner: 'acme' }, { limit: 1, cursor }))[0]!.message).toBe(message);
  });

  it("refuses another listing's, another owner's or another filter set's cursor; absent filters count as not given", () => {
    const rows = new Keyset<number>('rows', 'integer', 'desc');
    const scope = { owner: 'acme', filters: { plan: 'KD0001', status: undefined } };
    const cursor = encodeCursor(3, rows.position(scope, { limit: 1 }).tag);
    expect(rows.position({ owner: 'acme', filters: { plan: 'KD0001' } }, { limit: 9, cursor }).after).toBe(3);
    const foreign = [
      () => new Keyset<number>('others', 'integer', 'desc').position(scope, { limit: 1, cursor }),
      () => rows.position({ ...scope, owner: 'globex' }, { limit: 1, cursor }),
      () => rows.position({ owner: 'acme' }, { limit: 1, cursor }),
      () => rows.position({ owner: 'acme', filters: { plan: 'KD0002' } }, { limit: 1, cursor }),
    ];
    for (const run of foreign)
      expect(violation(run)).toEqual([
        {
          path: 'query.cursor',
          message:
            'was returned by another listing, for another API key, or with other filters: pass it with the filters it came with, or leave it out to start from the first page',
        },
      ]);
  });
});

describe('pages', () => {
  it('newest first: rows inserted between pages are neither repeated nor skipped, and the last page has nextCursor null', async () => {
    const keyset = new Keyset<number>('rows', 'integer', 'desc');
    await insert(1, 2, 3, 4, 5);
    const read = async (cursor?: string) =>
      keyset.page(
        db.selectFrom('rows').selectAll(),
        'id',
        keyset.position({ owner: 'acme' }, { limit: 2, cursor }),
        (row) => row.id,
        (row) => row.name,
      );
    const first = await read();
    expect(first.items).toEqual(['r005', 'r004']);
    expect(decodeCursor(first.nextCursor!)?.k).toBe(4);
    await insert(6, 7);
    const second = await read(first.nextCursor!);
    expect(second.items).toEqual(['r003', 'r002']);
    const third = await read(second.nextCursor!);
    expect(third).toEqual({ items: ['r001'], nextCursor: null });
    expect((await read()).items).toEqual(['r007', 'r006']);
  });

  it('oldest first by a string key, the query narrowed by its own filter; an exact last page ends with null', async () => {
    const keyset = new Keyset<string>('names', 'string', 'asc');
    await insert(1, 2, 3, 4, 5, 6);
    const read = async (cursor?: string) =>
      keyset.page(
        db.selectFrom('rows').selectAll().where('id', '!=', 3),
        'name',
        keyset.position({ owner: 'acme' }, { limit: 5, cursor }),
        (row) => row.name,
        (row) => row.id,
      );
    const first = await read();
    expect(first).toEqual({ items: [1, 2, 4, 5, 6], nextCursor: null });
    await insert(7);
    const again = await read();
    expect(again.items).toEqual([1, 2, 4, 5, 6]);
    expect(await read(again.nextCursor!)).toEqual({ items: [7], nextCursor: null });
  });

  it('toPage pages rows a caller read itself: limit + 1 rows make a next cursor', () => {
    const keyset = new Keyset<number>('rows', 'integer', 'asc');
    const position = keyset.position({ owner: 'acme' }, { limit: 2 });
    const page = keyset.toPage(
      [{ id: 1 }, { id: 2 }, { id: 3 }],
      position,
      (r) => r.id,
      (r) => r.id * 10,
    );
    expect(page.items).toEqual([10, 20]);
    expect(decodeCursor(page.nextCursor!)).toEqual({ k: 2, s: position.tag });
    expect(
      keyset.toPage(
        [{ id: 1 }, { id: 2 }],
        position,
        (r) => r.id,
        (r) => r.id,
      ),
    ).toEqual({
      items: [1, 2],
      nextCursor: null,
    });
  });
});
