/**
 * ICCID rules for sandbox eSIMs.
 *
 * An ICCID (ITU-T E.118) is the SIM's serial number: "89" (telecommunications), a country
 * and issuer part, an account number, and a Luhn check digit (ISO/IEC 7812-1 Annex B)
 * computed over everything before it. Sandbox ICCIDs have 19 digits: the prefix `8900`, a
 * 14-digit sequence number and the check digit (the seed reference: "19-digit numeric
 * string: 18-digit base + 1-digit check digit, starts with 8900 for sandbox").
 */

/** Prefix every sandbox ICCID starts with (the seed reference). */
export const SANDBOX_ICCID_PREFIX = '8900';
/** Total length of a sandbox ICCID, check digit included. */
export const ICCID_LENGTH = 19;
/** Digits of the sequence number between the prefix and the check digit. */
export const ICCID_SEQUENCE_DIGITS = ICCID_LENGTH - SANDBOX_ICCID_PREFIX.length - 1;
/** Largest sequence number that fits: 10^14 - 1. */
export const MAX_ICCID_SEQUENCE = 10 ** ICCID_SEQUENCE_DIGITS - 1;

/**
 * The Luhn check digit (0-9) for a string of decimal digits (ISO/IEC 7812-1, used by
 * ITU-T E.118 for ICCIDs and by 3GPP TS 23.003 for IMEIs).
 * @throws RangeError if `digits` is empty or holds anything but 0-9.
 */
export function luhnCheckDigit(digits: string): number {
  if (!/^\d+$/.test(digits)) throw new RangeError(`luhnCheckDigit needs decimal digits, got "${digits}"`);
  let sum = 0;
  // Double every second digit counting from the right of the payload, i.e. the digit
  // that will sit just left of the check digit is doubled.
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the last digit of `digits` is the Luhn check digit of the ones before it. */
export function hasValidLuhnDigit(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  return luhnCheckDigit(digits.slice(0, -1)) === Number(digits.at(-1));
}

/**
 * Why `value` is not a sandbox ICCID, or null when it is one. The message names the one
 * rule that failed first, in the order: 19 digits, the 8900 prefix, the Luhn check digit.
 */
export function sandboxIccidProblem(value: string): string | null {
  if (value === '') return `must be ${ICCID_LENGTH} digits long, got 0`;
  if (!/^\d+$/.test(value)) return `must contain only decimal digits (${ICCID_LENGTH} digits)`;
  if (value.length !== ICCID_LENGTH) return `must be ${ICCID_LENGTH} digits long, got ${value.length}`;
  if (!value.startsWith(SANDBOX_ICCID_PREFIX)) return `must start with ${SANDBOX_ICCID_PREFIX} (sandbox ICCIDs)`;
  const expected = luhnCheckDigit(value.slice(0, -1));
  if (expected !== Number(value.at(-1))) {
    return `has a wrong check digit: the Luhn digit (ITU-T E.118) for ${value.slice(0, -1)} is ${expected}, not ${value.at(-1)}`;
  }
  return null;
}

/** True when `value` is a valid sandbox ICCID (19 digits, prefix 8900, Luhn digit). */
export function isSandboxIccid(value: string): boolean {
  return sandboxIccidProblem(value) === null;
}

/**
 * The sandbox ICCID for a sequence number: `8900` + the number on 14 digits + Luhn digit.
 * @throws RangeError if `sequence` is not an integer from 1 to 10^14 - 1.
 */
export function sandboxIccid(sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1 || sequence > MAX_ICCID_SEQUENCE) {
    throw new RangeError(`ICCID sequence must be an integer from 1 to ${MAX_ICCID_SEQUENCE}, got ${sequence}`);
  }
  const base = SANDBOX_ICCID_PREFIX + String(sequence).padStart(ICCID_SEQUENCE_DIGITS, '0');
  return base + String(luhnCheckDigit(base));
}
