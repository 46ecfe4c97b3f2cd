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
 * Every rule a daily usage list breaks, as `{path, message}`: an item whose day is not a
 * calendar date or repeats an earlier day, a usage that is not decimal digits or exceeds
 * 2^53 - 1 KB, and a sum over 2^53 - 1 KB. Accepts any value, so that a request which also
 * fails its schema still hears about these rules in the same answer; items or fields of
 * the wrong type are left to the schema.
 * @param bodyPath prefix of the problem paths, `body` for a request body.
 */
export function usageListViolations(items: unknown, bodyPath = 'body'): FieldViolation[] {
  if (!Array.isArray(items)) return [];
  const violations: FieldViolation[] = [];
  const firstIndexOfDay = new Map<string, number>();
  let total = 0n;
  items.forEach((item: unknown, index) => {
    if (item === null || typeof item !== 'object') return;
    const { day, usage } = item as { day?: unknown; usage?: unknown };
    const at = `${bodyPath}[${index}]`;
    if (typeof day === 'string') {
      if (!isCalendarDate(day)) {
        violations.push({ path: `${at}.day`, message: 'must be a real calendar date YYYY-MM-DD' });
      } else if (firstIndexOfDay.has(day)) {
        violations.push({
          path: `${at}.day`,
          message: `repeats ${day}, already given at ${bodyPath}[${firstIndexOfDay.get(day)}]; each day may appear once`,
        });
      } else {
        firstIndexOfDay.set(day, index);
      }
    }
    if (typeof usage !== 'string') return;
    if (!/^[0-9]+$/.test(usage)) {
      violations.push({ path: `${at}.usage`, message: 'must be a string of decimal digits (KB)' });
      return;
    }
    const kb = BigInt(usage);
    if (kb > MAX_USAGE_KB)
      violations.push({ path: `${at}.usage`, message: `must be at most ${MAX_USAGE_KB} KB (2^53 - 1)` });
    total += kb;
  });
  if (violations.length === 0 && total > MAX_USAGE_KB) {
    violations.push({
      path: bodyPath,
      message: `must have a usage sum of at most ${MAX_USAGE_KB} KB (2^53 - 1), got ${total}`,
    });
  }
  return violations;
}

/**
 * Checks a daily usage list and returns it sorted by day, usage without leading zeros,
 * with its total in KB.
 * @throws RuleViolation with every violation `usageListViolations` finds.
 */
export function checkUsageList(items: readonly DataUsageDailyItem[], bodyPath = 'body'): UsageList {
  const violations = usageListViolations(items, bodyPath);
  if (violations.length > 0) throw new RuleViolation(violations);
  let total = 0n;
  const list = items
    .map((item) => {
      const kb = BigInt(item.usage);
      total += kb;
      return { day: item.day, usage: kb.toString() };
    })
    .sort((a, b) => (a.day < b.day ? -1 : 1));
  return { list, totalKb: Number(total) };
}
