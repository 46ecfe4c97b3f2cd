import { describe, expect, it } from 'vitest';
import {
  JST_OFFSET_MS,
  addDays,
  addDaysToInstant,
  isCalendarDate,
  isoInstant,
  jstDate,
  jstStartOfDay,
} from '../../src/domain/dates.js';

describe('jstDate', () => {
  it('is UTC+9: the Japanese date changes at 15:00 UTC', () => {
    expect(jstDate(new Date('2026-01-01T14:59:59.999Z'))).toBe('2026-01-01');
    expect(jstDate(new Date('2026-01-01T15:00:00.000Z'))).toBe('2026-01-02');
  });

  it('crosses month and year ends in Japan time, not UTC', () => {
    expect(jstDate(new Date('2025-12-31T15:00:00.000Z'))).toBe('2026-01-01');
    expect(jstDate(new Date('2025-12-31T14:59:59.999Z'))).toBe('2025-12-31');
    expect(jstDate(new Date('2024-02-28T15:00:00.000Z'))).toBe('2024-02-29');
    expect(jstDate(new Date('2026-06-05T00:00:00.000Z'))).toBe('2026-06-05');
  });

  it('uses a fixed 9-hour offset', () => {
    expect(JST_OFFSET_MS).toBe(32_400_000);
  });
});

describe('jstStartOfDay', () => {
  it('is 15:00 UTC of the day before', () => {
    expect(jstStartOfDay('2026-01-02').toISOString()).toBe('2026-01-01T15:00:00.000Z');
    expect(jstStartOfDay('2024-03-01').toISOString()).toBe('2024-02-29T15:00:00.000Z');
    expect(jstStartOfDay('2026-01-01').toISOString()).toBe('2025-12-31T15:00:00.000Z');
  });

  it('round-trips with jstDate', () => {
    const start = jstStartOfDay('2025-07-15');
    expect(jstDate(start)).toBe('2025-07-15');
    expect(jstDate(new Date(start.getTime() - 1))).toBe('2025-07-14');
  });

  it('throws RangeError for a date that does not exist', () => {
    expect(() => jstStartOfDay('2025-02-29')).toThrow(RangeError);
    expect(() => jstStartOfDay('2025-1-1')).toThrow(RangeError);
  });
});

describe('addDays', () => {
  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2025-01-31', 1, '2025-02-01'],
    ['2025-04-30', 1, '2025-05-01'],
    ['2026-01-01', 0, '2026-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2025-03-01', -1, '2025-02-28'],
    ['2025-12-01', 7, '2025-12-08'],
    ['2025-01-01', 365, '2026-01-01'],
    ['2024-01-01', 365, '2024-12-31'],
    ['2000-02-28', 1, '2000-02-29'],
    ['1900-02-28', 1, '1900-03-01'],
  ])('%s %+d days = %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it('throws RangeError for a date that is not a calendar date', () => {
    expect(() => addDays('2025-02-29', 1)).toThrow(RangeError);
    expect(() => addDays('2025-13-01', 1)).toThrow(RangeError);
    expect(() => addDays('not a date', 1)).toThrow(/not a calendar date/);
  });
});

describe('isCalendarDate', () => {
  it.each([
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['2025-02-28', true],
    ['2025-12-31', true],
    ['0001-01-01', true],
    ['9999-12-31', true],
    ['2025-02-29', false],
    ['1900-02-29', false],
    ['2025-04-31', false],
    ['2025-13-01', false],
    ['2025-00-10', false],
    ['2025-01-00', false],
    ['2025-01-32', false],
    ['2025-1-1', false],
    ['0000-01-01', false],
    ['20250101', false],
    ['2025-01-01T00:00:00Z', false],
    [' 2025-01-01', false],
    ['', false],
  ])('%j -> %s', (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });
});

describe('addDaysToInstant', () => {
  it('adds whole days of 24 hours, keeping the time of day', () => {
    expect(addDaysToInstant(new Date('2026-01-01T10:30:00.123Z'), 180).toISOString()).toBe('2026-06-30T10:30:00.123Z');
    expect(addDaysToInstant(new Date('2024-02-28T23:59:59.999Z'), 1).toISOString()).toBe('2024-02-29T23:59:59.999Z');
    expect(addDaysToInstant(new Date('2026-01-01T00:00:00.000Z'), -1).toISOString()).toBe('2025-12-31T00:00:00.000Z');
  });

  it('does not modify its argument', () => {
    const instant = new Date('2026-01-01T00:00:00.000Z');
    addDaysToInstant(instant, 3);
    expect(instant.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});

describe('isoInstant', () => {
  it('is ISO 8601 UTC with milliseconds, even when they are zero', () => {
    expect(isoInstant(new Date(Date.UTC(2026, 5, 5)))).toBe('2026-06-05T00:00:00.000Z');
    expect(isoInstant(new Date(Date.UTC(2025, 6, 15, 0, 46, 9, 816)))).toBe('2025-07-15T00:46:09.816Z');
    expect(isoInstant(new Date())).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});

describe('addDays at the edges of the calendar', () => {
  it('refuses fractional day counts and results outside 0001-9999', () => {
    expect(() => addDays('2026-01-01', 1.5)).toThrow(RangeError);
    expect(() => addDays('9999-12-31', 1)).toThrow(/outside the years 0001-9999/);
    expect(() => addDays('0001-01-01', -1)).toThrow(/outside the years 0001-9999/);
    expect(addDays('9999-12-30', 1)).toBe('9999-12-31');
  });
});
