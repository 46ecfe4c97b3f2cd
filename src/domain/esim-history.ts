/**
 * What an eSIM's history records of a change: the tracked fields whose value differs, and
 * when the change took effect. Pure: the caller stores the entry in the transaction of the
 * change (src/store/esim-history.ts).
 */
import { isDeepStrictEqual } from 'node:util';
import { TRACKED_FIELDS, type FieldChange, type HistoryCause } from '../contract/history.js';
import type { EsimState } from './esim.js';

/** A history entry before it is stored: the store adds its id, the request, real time and the webhook deliveries. */
export interface HistoryDraft {
  /** When the change took effect, on the reseller's sandbox clock (ISO 8601 UTC): the eSIM's lastUpdatedAt after it. */
  at: string;
  cause: HistoryCause;
  changes: FieldChange[];
}

/**
 * The tracked fields (`TRACKED_FIELDS`) whose value differs between `before` and `after`,
 * in the status response's order; values compared deeply (lists of countries and of daily
 * usage). With `before` null (the creation) every field that is not null is listed, from null.
 */
export function fieldChanges(before: EsimState | null, after: EsimState): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of TRACKED_FIELDS) {
    const from = before === null ? null : before[field];
    const to = after[field];
    if (!isDeepStrictEqual(from, to)) changes.push({ field, from, to });
  }
  return changes;
}

/**
 * The history entry of a change from `before` (null: the eSIM's creation) to `after`.
 * `at` is `after.lastUpdatedAt`: every change moves it to the instant it took effect.
 */
export function historyDraft(before: EsimState | null, after: EsimState, cause: HistoryCause): HistoryDraft {
  return { at: after.lastUpdatedAt, cause, changes: fieldChanges(before, after) };
}
