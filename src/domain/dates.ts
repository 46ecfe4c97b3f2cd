/**
 * Calendar rules. The seed reference gives instants as ISO 8601 UTC with milliseconds
 * (`2026-06-05T00:00:00.000Z`) and the dates `activatedOn`, `expiresOn`, `terminatedOn` as
 * calendar dates in Japan time (`YYYY-MM-DD`, JST = UTC+9, no daylight saving).
 */

/** Japan Standard Time offset from UTC, in milliseconds (UTC+9, no DST). */
export const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** An ISO 8601 UTC instant with milliseconds, e.g. `2026-06-05T00:00:00.000Z`. */
export function isoInstant(date: Date): string {
  return date.toISOString();
}

/** The Japan-time calendar date (`YYYY-MM-DD`) of an instant. */
export function jstDate(instant: Date): string {
  return new Date(instant.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The UTC instant at which a Japan-time date begins (00:00 JST = 15:00 UTC the day before). */
export function jstStartOfDay(date: string): Date {
  assertCalendarDate(date);
  return new Date(Date.parse(`${date}T00:00:00.000Z`) - JST_OFFSET_MS);
}

/**
 * A calendar date `days` later (or earlier when negative).
 * @throws RangeError if `date` is not a real `YYYY-MM-DD` date, `days` is not an integer,
 *   or the result falls outside the years 0001-9999.
 */
export function addDays(date: string, days: number): string {
  assertCalendarDate(date);
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  const result = new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
  if (!isCalendarDate(result)) throw new RangeError(`${date} + ${days} days is outside the years 0001-9999`);
  return result;
}

/** An instant `days` whole days (of 24 h) after `instant`. */
export function addDaysToInstant(instant: Date, days: number): Date {
  return new Date(instant.getTime() + days * DAY_MS);
}

/**
 * True for a real proleptic-Gregorian date written `YYYY-MM-DD` (years 0001-9999):
 * `2024-02-29` yes, `2025-02-29` and `2025-13-01` no.
 */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

function assertCalendarDate(date: string): void {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date YYYY-MM-DD: "${date}"`);
}
