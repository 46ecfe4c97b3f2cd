import { describe, expect, it } from 'vitest';
import { DomainError, RuleViolation, type FieldViolation } from '../../src/domain/errors.js';
import { MAX_USAGE_KB, checkUsageList } from '../../src/domain/usage.js';

/** The violations checkUsageList throws for `items` (fails the test if it does not throw). */
function violationsOf(items: { day: string; usage: string }[]): FieldViolation[] {
  try {
    checkUsageList(items);
  } catch (error) {
    expect(error).toBeInstanceOf(RuleViolation);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as RuleViolation).code).toBe('VALIDATION_ERROR');
    return (error as RuleViolation).violations;
  }
  throw new Error('checkUsageList accepted the list');
}

describe('checkUsageList', () => {
  it("accepts the seed's three days of 102400 KB: total 307200", () => {
    const days = ['2025-12-10', '2025-12-11', '2025-12-12'];
    const result = checkUsageList(days.map((day) => ({ day, usage: '102400' })));
    expect(result).toEqual({ list: days.map((day) => ({ day, usage: '102400' })), totalKb: 307200 });
  });

  it('sorts by day (across months and years) and normalizes leading zeros', () => {
    const result = checkUsageList([
      { day: '2026-01-01', usage: '5' },
      { day: '2025-12-31', usage: '000123' },
      { day: '2025-02-01', usage: '0' },
      { day: '2025-11-30', usage: '000' },
    ]);
    expect(result.list).toEqual([
      { day: '2025-02-01', usage: '0' },
      { day: '2025-11-30', usage: '0' },
      { day: '2025-12-31', usage: '123' },
      { day: '2026-01-01', usage: '5' },
    ]);
    expect(result.totalKb).toBe(128);
  });

  it('does not modify its input', () => {
    const items = [
      { day: '2025-12-11', usage: '007' },
      { day: '2025-12-10', usage: '1' },
    ];
    checkUsageList(items);
    expect(items).toEqual([
      { day: '2025-12-11', usage: '007' },
      { day: '2025-12-10', usage: '1' },
    ]);
  });

  it('gives total 0 for an empty list', () => {
    expect(checkUsageList([])).toEqual({ list: [], totalKb: 0 });
  });

  it('names both indexes of a repeated day', () => {
    expect(
      violationsOf([
        { day: '2025-12-10', usage: '1' },
        { day: '2025-12-11', usage: '1' },
        { day: '2025-12-10', usage: '2' },
      ]),
    ).toEqual([
      { path: 'body[2].day', message: 'repeats 2025-12-10, already given at body[0]; each day may appear once' },
    ]);
  });

  it('uses the path prefix given', () => {
    try {
      checkUsageList([{ day: '2025-02-30', usage: '1' }], 'list');
      expect.unreachable();
    } catch (error) {
      expect((error as RuleViolation).violations).toEqual([
        { path: 'list[0].day', message: 'must be a real calendar date YYYY-MM-DD' },
      ]);
      expect((error as RuleViolation).message).toBe('list[0].day must be a real calendar date YYYY-MM-DD');
    }
  });

  it('refuses days that are not calendar dates', () => {
    expect(
      violationsOf([
        { day: '2025-12-10', usage: '1' },
        { day: '2025-02-29', usage: '1' },
        { day: '2025-12-1', usage: '1' },
      ]),
    ).toEqual([
      { path: 'body[1].day', message: 'must be a real calendar date YYYY-MM-DD' },
      { path: 'body[2].day', message: 'must be a real calendar date YYYY-MM-DD' },
    ]);
  });

  it('refuses usage that is not decimal digits', () => {
    expect(violationsOf([{ day: '2025-12-10', usage: '-1' }])).toEqual([
      { path: 'body[0].usage', message: 'must be a string of decimal digits (KB)' },
    ]);
    expect(violationsOf([{ day: '2025-12-10', usage: '1e3' }])).toHaveLength(1);
    expect(violationsOf([{ day: '2025-12-10', usage: '' }])).toHaveLength(1);
  });

  it('accepts a day of exactly 2^53 - 1 KB and refuses 2^53', () => {
    expect(MAX_USAGE_KB).toBe(9007199254740991n);
    expect(checkUsageList([{ day: '2025-12-10', usage: '9007199254740991' }]).totalKb).toBe(Number.MAX_SAFE_INTEGER);
    expect(violationsOf([{ day: '2025-12-10', usage: '9007199254740992' }])).toEqual([
      { path: 'body[0].usage', message: 'must be at most 9007199254740991 KB (2^53 - 1)' },
    ]);
    expect(violationsOf([{ day: '2025-12-10', usage: '99999999999999999999999999' }])).toHaveLength(1);
  });

  it('refuses a list whose sum exceeds 2^53 - 1 even when each day is fine', () => {
    expect(
      violationsOf([
        { day: '2025-12-10', usage: '9007199254740991' },
        { day: '2025-12-11', usage: '1' },
      ]),
    ).toEqual([
      {
        path: 'body',
        message: 'must have a usage sum of at most 9007199254740991 KB (2^53 - 1), got 9007199254740992',
      },
    ]);
  });

  it('accepts a sum of exactly 2^53 - 1', () => {
    const result = checkUsageList([
      { day: '2025-12-10', usage: '9007199254740990' },
      { day: '2025-12-11', usage: '1' },
    ]);
    expect(result.totalKb).toBe(9007199254740991);
  });

  it('reports every bad item at once', () => {
    const violations = violationsOf([
      { day: 'x', usage: 'y' },
      { day: '2025-12-10', usage: '9007199254740992' },
    ]);
    expect(violations.map((v) => v.path)).toEqual(['body[0].day', 'body[0].usage', 'body[1].usage']);
  });
});
