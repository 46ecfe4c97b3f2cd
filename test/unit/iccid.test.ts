import { describe, expect, it } from 'vitest';
import {
  ICCID_LENGTH,
  MAX_ICCID_SEQUENCE,
  SANDBOX_ICCID_PREFIX,
  hasValidLuhnDigit,
  isSandboxIccid,
  luhnCheckDigit,
  sandboxIccid,
  sandboxIccidProblem,
} from '../../src/domain/iccid.js';

/**
 * Reference Luhn (ISO/IEC 7812-1 Annex B), written independently of the code under test:
 * over the FULL number (check digit included), double every second digit counting from the
 * right (the check digit itself is not doubled), subtract 9 from doubles above 9, and the
 * number is valid when the sum is a multiple of 10.
 */
function referenceLuhnValid(number: string): boolean {
  const digits = number.split('').reverse().map(Number);
  const sum = digits.reduce((acc, digit, index) => {
    if (index % 2 === 0) return acc + digit;
    const doubled = digit * 2;
    return acc + (doubled > 9 ? doubled - 9 : doubled);
  }, 0);
  return sum % 10 === 0;
}

/** The one digit that makes `payload + digit` valid, found by trying all ten. */
function referenceCheckDigit(payload: string): number {
  const found = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((d) => referenceLuhnValid(payload + d));
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('luhnCheckDigit', () => {
  it('computes the textbook vector 7992739871 -> 3', () => {
    expect(luhnCheckDigit('7992739871')).toBe(3);
    expect(referenceLuhnValid('79927398713')).toBe(true);
  });

  it.each([
    ['0', 0],
    ['1', 8],
    ['9', 1],
    ['4992739871', 6],
    ['890000000000000000', 3],
    ['890000000000000001', 1],
    ['890000000000000002', 9],
    ['890010000000000000', 2],
    ['890012345678901234', 0],
    ['890099999999999999', 7],
    ['898110000000000000', 2],
  ])('check digit of %s is %i', (payload, digit) => {
    expect(luhnCheckDigit(payload)).toBe(digit);
    expect(referenceCheckDigit(payload)).toBe(digit);
  });

  it('agrees with the reference implementation on 2,000 pseudo-random payloads of 1 to 30 digits', () => {
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 2000; i++) {
      const length = 1 + (next() % 30);
      const payload = Array.from({ length }, () => String(next() % 10)).join('');
      expect(luhnCheckDigit(payload), payload).toBe(referenceCheckDigit(payload));
    }
  });

  it.each(['', '12a4', ' 123', '12.3', '-12', '١٢٣'])('throws RangeError for %j', (input) => {
    expect(() => luhnCheckDigit(input)).toThrow(RangeError);
  });
});

describe('hasValidLuhnDigit', () => {
  it('accepts numbers whose last digit is their Luhn digit', () => {
    expect(hasValidLuhnDigit('79927398713')).toBe(true);
    expect(hasValidLuhnDigit('8900000000000000011')).toBe(true);
    expect(hasValidLuhnDigit('00')).toBe(true);
    expect(hasValidLuhnDigit('18')).toBe(true);
  });

  it('rejects every other last digit', () => {
    for (let d = 0; d <= 9; d++) {
      expect(hasValidLuhnDigit(`7992739871${d}`)).toBe(d === 3);
    }
  });

  it('rejects strings too short to hold a payload and a check digit, or with non-digits', () => {
    expect(hasValidLuhnDigit('')).toBe(false);
    expect(hasValidLuhnDigit('0')).toBe(false);
    expect(hasValidLuhnDigit('7992739871a')).toBe(false);
    expect(hasValidLuhnDigit('79927398713 ')).toBe(false);
  });
});

describe('sandboxIccid', () => {
  it('builds 8900 + 14-digit sequence + Luhn digit', () => {
    expect(sandboxIccid(1)).toBe('8900000000000000011');
    expect(sandboxIccid(2)).toBe('8900000000000000029');
    expect(sandboxIccid(10)).toBe('8900000000000000102');
    expect(SANDBOX_ICCID_PREFIX).toBe('8900');
    expect(ICCID_LENGTH).toBe(19);
  });

  it('works up to the largest sequence, 10^14 - 1', () => {
    expect(MAX_ICCID_SEQUENCE).toBe(99_999_999_999_999);
    const last = sandboxIccid(10 ** 14 - 1);
    expect(last).toBe('8900999999999999997');
    expect(referenceLuhnValid(last)).toBe(true);
  });

  it.each([0, -1, 10 ** 14, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])(
    'throws RangeError for sequence %s',
    (sequence) => {
      expect(() => sandboxIccid(sequence)).toThrow(RangeError);
    },
  );

  it('gives 10,000 distinct, valid ICCIDs for the sequences 1..10000, ascending', () => {
    const iccids = Array.from({ length: 10_000 }, (_, i) => sandboxIccid(i + 1));
    expect(new Set(iccids).size).toBe(10_000);
    for (const [i, iccid] of iccids.entries()) {
      expect(iccid).toMatch(/^8900\d{15}$/);
      expect(iccid.slice(4, 18)).toBe(String(i + 1).padStart(14, '0'));
      if (!referenceLuhnValid(iccid)) throw new Error(`${iccid} fails the reference Luhn check`);
      if (!isSandboxIccid(iccid)) throw new Error(`${iccid} is refused by isSandboxIccid`);
    }
    expect([...iccids].sort()).toEqual(iccids);
  });
});

describe('sandboxIccidProblem', () => {
  it('returns null for valid sandbox ICCIDs', () => {
    expect(sandboxIccidProblem('8900000000000000011')).toBeNull();
    expect(sandboxIccidProblem('8900000000000000029')).toBeNull();
    expect(isSandboxIccid('8900000000000000011')).toBe(true);
  });

  it('names the digits rule first', () => {
    expect(sandboxIccidProblem('890000000000000001a')).toBe('must contain only decimal digits (19 digits)');
    expect(sandboxIccidProblem('8900-0000000000001')).toMatch(/decimal digits/);
  });

  it('names the length rule with the length given', () => {
    expect(sandboxIccidProblem('')).toBe('must be 19 digits long, got 0');
    expect(sandboxIccidProblem('890000000000000001')).toBe('must be 19 digits long, got 18');
    expect(sandboxIccidProblem('89000000000000000110')).toBe('must be 19 digits long, got 20');
  });

  it('names the prefix rule', () => {
    expect(sandboxIccidProblem('8910000000000000013')).toBe('must start with 8900 (sandbox ICCIDs)');
  });

  it('names the check digit rule with the expected digit', () => {
    expect(sandboxIccidProblem('8900000000000000012')).toBe(
      'has a wrong check digit: the Luhn digit (ITU-T E.118) for 890000000000000001 is 1, not 2',
    );
  });

  describe("the seed reference's own example ICCIDs", () => {
    it('8981100000000000001 fails the prefix rule (it also has the wrong Luhn digit, 2)', () => {
      expect(sandboxIccidProblem('8981100000000000001')).toBe('must start with 8900 (sandbox ICCIDs)');
      expect(referenceLuhnValid('8981100000000000001')).toBe(false);
      expect(referenceCheckDigit('898110000000000000')).toBe(2);
    });

    it.each([
      ['8900100000000000001', '890010000000000000', 2],
      ['8900123456789012345', '890012345678901234', 0],
      ['8900000000000000001', '890000000000000000', 3],
    ])('%s has the right prefix but fails the check digit (expected %s -> %i)', (iccid, payload, expected) => {
      expect(referenceLuhnValid(iccid)).toBe(false);
      expect(referenceCheckDigit(payload)).toBe(expected);
      expect(sandboxIccidProblem(iccid)).toBe(
        `has a wrong check digit: the Luhn digit (ITU-T E.118) for ${payload} is ${expected}, not ${iccid.at(-1)}`,
      );
      expect(isSandboxIccid(iccid)).toBe(false);
      expect(isSandboxIccid(payload + expected)).toBe(true);
    });
  });
});
