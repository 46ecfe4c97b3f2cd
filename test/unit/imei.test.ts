import { describe, expect, it } from 'vitest';
import { imeiProblem, isImei } from '../../src/domain/imei.js';

describe('IMEI (3GPP TS 23.003: 14 digits + Luhn check digit)', () => {
  it.each(['490154203237518', '352099001761481', '000000000000000'])('accepts %s', (imei) => {
    expect(imeiProblem(imei)).toBeNull();
    expect(isImei(imei)).toBe(true);
  });

  it.each([
    ['14 digits', '49015420323751', 'must be 15 digits long, got 14'],
    ['16 digits', '4901542032375180', 'must be 15 digits long, got 16'],
    ['empty', '', 'must be 15 digits long, got 0'],
    ['a letter', '49015420323751X', 'must contain only decimal digits (15 digits)'],
    ['a space', '490154203237518 ', 'must contain only decimal digits (15 digits)'],
    [
      'a wrong check digit',
      '490154203237517',
      'has a wrong check digit: the Luhn digit (3GPP TS 23.003) for 49015420323751 is 8, not 7',
    ],
    [
      'two digits swapped (54 -> 45)',
      '490145203237518',
      'has a wrong check digit: the Luhn digit (3GPP TS 23.003) for 49014520323751 is 6, not 8',
    ],
  ])('refuses %s, naming the rule', (_name, imei, message) => {
    expect(imeiProblem(imei)).toBe(message);
    expect(isImei(imei)).toBe(false);
  });

  it("cannot see 09 swapped for 90, Luhn's one blind transposition", () => {
    expect(imeiProblem('409154203237518')).toBeNull();
  });
});
