/**
 * Queries compiled once. Kysely builds and compiles a query on every call (about 13 µs for
 * the eSIM lookup, more for a 25-column insert); on the hot paths the SQL text never
 * changes, only the values, so the query is compiled once with placeholder values and then
 * run with the real ones. The SQL stays Kysely's, in the dialect of the database it was
 * built for; run it with `db.executeQuery(...)` or `trx.executeQuery(...)`.
 */
import { CompiledQuery, type Compilable } from 'kysely';

/**
 * Compiles `build(...placeholders)` once and returns a function that makes the same query
 * with the real values, in the same order.
 * @param placeholders one distinct sample value per parameter; the builder must bind each
 *   exactly once, so that the compiled parameter list is exactly these values, in order.
 * @throws Error at once if the compiled parameters are not the placeholders in order.
 */
export function precompile<Row, Args extends unknown[]>(
  placeholders: Args,
  build: (...args: Args) => Compilable<Row>,
): (...args: Args) => CompiledQuery<Row> {
  const { sql, parameters } = build(...placeholders).compile();
  const inOrder =
    parameters.length === placeholders.length && parameters.every((value, i) => value === placeholders[i]);
  if (!inOrder)
    throw new Error(
      `precompile: the query must bind each placeholder once, in order; got ${JSON.stringify(parameters)}`,
    );
  return (...args: Args) => CompiledQuery.raw(sql, args);
}
