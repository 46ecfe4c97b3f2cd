/**
 * Cursor pagination of the sandbox's inspection listings (DESIGN.md section 3, Seeing and
 * managing a sandbox): `limit` and `cursor` in the query, `{items, nextCursor}` in the
 * answer. A cursor is opaque to clients (base64url of a keyset position, src/store/keyset.ts):
 * pages never repeat or skip an entry while new entries arrive, unlike page numbers.
 */
import { Type, type TSchema } from 'typebox';

/** A cursor as `nextCursor` gives it, for the examples. */
export const EXAMPLE_CURSOR = 'eyJrIjoiODkwMDAwMDAwMDAwMDAwMDAyOSIsInMiOiJONU9RQm9saFhyUkxENTNLIn0';

/** Items per page of every listing but an eSIM's history. */
export const DEFAULT_PAGE_LIMIT = 20;
/** Most items one page holds. */
export const MAX_PAGE_LIMIT = 100;

/**
 * The `limit` query parameter: 1 to 100 items, `defaultLimit` when absent.
 * @param noun what the listing holds, for the description ("orders").
 */
export const PageLimit = (noun: string, defaultLimit = DEFAULT_PAGE_LIMIT) =>
  Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_PAGE_LIMIT,
      default: defaultLimit,
      description: `Most ${noun} on one page (1-${MAX_PAGE_LIMIT}, default ${defaultLimit}).`,
      examples: [defaultLimit],
    }),
  );

/** The `cursor` query parameter: a page's `nextCursor`, to read the page after it. */
export const PageCursor = Type.Optional(
  Type.String({
    minLength: 1,
    maxLength: 512,
    pattern: '^[A-Za-z0-9_-]+$',
    description:
      "The `nextCursor` of the previous page, to read the page after it; leave it out for the first page. Opaque: it is bound to the listing, the API key's sandbox and the filters it came with (another listing's or another filter set's cursor answers 400 at query.cursor). " +
      'Entries that arrive while you page never make a page repeat or skip an entry.',
    examples: [EXAMPLE_CURSOR],
  }),
);

/** `nextCursor`: the cursor of the next page, or null on the last page. */
export const NextCursor = Type.Unsafe<string | null>({
  type: ['string', 'null'],
  description: 'Pass it as `cursor` to read the next page; null on the last page.',
  examples: [EXAMPLE_CURSOR],
});

/** A page of `item`s: `{items, nextCursor}`. */
export const PageOf = <T extends TSchema>(item: T, description: string) =>
  Type.Object({ items: Type.Array(item, { description }), nextCursor: NextCursor }, { additionalProperties: false });
