/**
 * Data-usage rules for the sandbox's `PUT .../data-usage` (DESIGN.md section 2, Validation):
 * a list of `{day, usage}` where `day` is a real calendar date, unique in the list, and
 * `usage` a decimal string of kilobytes (KB). Each usage and the list's sum are at most
 * 2^53 - 1 KB so that `totalDataUsage` is an exact JSON integer.
 */
import type { DataUsageDailyItem } from '../contract/esims.js';
import { isCalendarDate } from './dates.js';
import { RuleViolation, type FieldViolation } from './errors.js';

/** Largest usage a day or the total may have, in KB: 2^53 - 1. */
export const MAX_USAGE_KB = BigInt(Number.MAX_SAFE_INTEGER);

/** A checked usage list: sorted by day, usage normalized (no leading zeros), and its sum in KB. */
export interface UsageList {
  list: DataUsageDailyItem[];
  totalKb: number;
}

/**
 * Checks a daily usage list and returns it sorted by day with its total.
 * @param bodyPath prefix of the problem paths, `body` for a request body.
 * @throws RuleViolation naming every item that is not a calendar date, repeats a day, or
 *   exceeds 2^53 - 1 KB, and the list when its sum does.
 */
export function checkUsageList(items: readonly DataUsageDailyItem[], bodyPath = 'body'): UsageList {
  const violations: FieldViolation[] = [];
  const firstIndexOfDay = new Map<string, number>();
  let total = 0n;
  items.forEach((item, index) => {
    const at = `${bodyPath}[${index}]`;
    if (!isCalendarDate(item.day)) {
      violations.push({ path: `${at}.day`, message: 'must be a real calendar date YYYY-MM-DD' });
    } else if (firstIndexOfDay.has(item.day)) {
      violations.push({ path: `${at}.day`, message: `repeats ${item.day}, already given at ${bodyPath}[${firstIndexOfDay.get(item.day)}]; each day may appear once` });
    } else {
      firstIndexOfDay.set(item.day, index);
    }
    if (!/^[0-9]+$/.test(item.usage)) {
      violations.push({ path: `${at}.usage`, message: 'must be a string of decimal digits (KB)' });
      return;
    }
    const kb = BigInt(item.usage);
    if (kb > MAX_USAGE_KB) violations.push({ path: `${at}.usage`, message: `must be at most ${MAX_USAGE_KB} KB (2^53 - 1)` });
    total += kb;
  });
  if (violations.length === 0 && total > MAX_USAGE_KB) {
    violations.push({ path: bodyPath, message: `the sum of usage must be at most ${MAX_USAGE_KB} KB (2^53 - 1), got ${total}` });
  }
  if (violations.length > 0) throw new RuleViolation(violations);
  const list = items
    .map((item) => ({ day: item.day, usage: BigInt(item.usage).toString() }))
    .sort((a, b) => (a.day < b.day ? -1 : 1));
  return { list, totalKb: Number(total) };
}
