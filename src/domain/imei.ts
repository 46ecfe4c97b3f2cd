/**
 * IMEI rules (3GPP TS 23.003 section 6.2.1): an IMEI is 15 digits, the 8-digit Type
 * Allocation Code, a 6-digit serial number and a check digit computed with the Luhn
 * algorithm over the first 14 (3GPP TS 23.003 Annex B).
 */
import { luhnCheckDigit } from './iccid.js';

/** Digits of an IMEI, check digit included. */
export const IMEI_LENGTH = 15;

/**
 * Why `value` is not an IMEI, or null when it is one. The message names the rule that
 * failed first: 15 decimal digits, then the Luhn check digit.
 */
export function imeiProblem(value: string): string | null {
  if (!/^\d*$/.test(value)) return `must contain only decimal digits (${IMEI_LENGTH} digits)`;
  if (value.length !== IMEI_LENGTH) return `must be ${IMEI_LENGTH} digits long, got ${value.length}`;
  const expected = luhnCheckDigit(value.slice(0, -1));
  if (expected !== Number(value.at(-1))) {
    return `has a wrong check digit: the Luhn digit (3GPP TS 23.003) for ${value.slice(0, -1)} is ${expected}, not ${value.at(-1)}`;
  }
  return null;
}

/** True when `value` is a 15-digit IMEI with a valid Luhn check digit. */
export function isImei(value: string): boolean {
  return imeiProblem(value) === null;
}
