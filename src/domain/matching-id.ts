/**
 * SGP.22 matching IDs: the activation-code part that tells the SM-DP+ which profile to
 * download. GSMA SGP.22 (section 4.1) allows upper-case letters, digits and '-'; production
 * SM-DP+ servers issue groups like `K2F9Q-7ZJ4M-XW3TD-8HN6C`, which we imitate.
 */
import { randomBytes } from 'node:crypto';

// No 0/O and 1/I: end users type activation codes by hand when they cannot scan a QR code.
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A random matching ID: 4 groups of 5 characters of [2-9A-HJ-NP-Z], joined by '-' (100 bits). */
export function newMatchingId(): string {
  const bytes = randomBytes(20);
  let id = '';
  for (let i = 0; i < 20; i++) {
    if (i > 0 && i % 5 === 0) id += '-';
    id += ALPHABET[bytes[i]! & 31];
  }
  return id;
}
