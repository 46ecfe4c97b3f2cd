/**
 * Idempotency keys (the IETF draft "The Idempotency-Key HTTP Header Field",
 * draft-ietf-httpapi-idempotency-key-header): the key's syntax, the fingerprint that tells
 * "the same request" from "another request under the same key", and what a request does
 * when its key is already stored. Pure rules: the store and HTTP live elsewhere.
 */
import { createHash } from 'node:crypto';
import { IDEMPOTENCY_KEY_MAX_LENGTH } from '../contract/idempotency.js';

/** How long a key is kept, from its first request, in real milliseconds (24 hours). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * How long an in-flight claim is trusted, in milliseconds. Longer than any request can take
 * (a 30 s injected delay included), so a claim older than this was left by a process that
 * died before storing its response, and another request may take the key over.
 */
export const IDEMPOTENCY_LEASE_MS = 60 * 1000;

/**
 * What is wrong with a header value as an idempotency key, or null when it is one:
 * 1 to 255 characters, each printable ASCII (0x20-0x7E).
 */
export function idempotencyKeyProblem(value: string): string | null {
  if (value.length === 0) return 'must not be empty: 1 to 255 printable ASCII characters (0x20-0x7E)';
  if (value.length > IDEMPOTENCY_KEY_MAX_LENGTH)
    return `must be at most ${IDEMPOTENCY_KEY_MAX_LENGTH} characters, got ${value.length}`;
  let position = 0;
  // By code point. Node reads header values as Latin-1, one character per byte, so over
  // HTTP the character named is a byte (UTF-8 "é" arrives as 0xC3 0xA9): say it as one.
  for (const char of value) {
    position++;
    const code = char.codePointAt(0)!;
    if (code < 0x20 || code > 0x7e) {
      const named =
        code <= 0xff ? `0x${code.toString(16).toUpperCase().padStart(2, '0')}` : `U+${code.toString(16).toUpperCase()}`;
      return `must be printable ASCII (0x20-0x7E): character ${position} is ${named}`;
    }
  }
  return null;
}

/** Whether a header value is a valid idempotency key (see idempotencyKeyProblem). */
export function isIdempotencyKey(value: string): boolean {
  return idempotencyKeyProblem(value) === null;
}

/**
 * JSON with the keys of every object sorted (arrays keep their order), so that two bodies
 * that parse to the same value give the same text whatever their whitespace or key order.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What identifies one request under an idempotency key. */
export interface FingerprintInput {
  /** HTTP method, upper case. */
  method: string;
  /** The route's template, e.g. `/v1/esims/:iccid/emergency-control`. */
  route: string;
  /** The parsed path parameters: with the route, the concrete path. */
  params: unknown;
  /** The parsed body (undefined when there is none). */
  body: unknown;
}

/**
 * SHA-256 (hex) of the method, the concrete path (route and parsed parameters, so that
 * the same key on another eSIM, or on the other operation, is another request) and the
 * canonical body.
 */
export function requestFingerprint(input: FingerprintInput): string {
  const text = canonicalJson([input.method, input.route, input.params ?? {}, input.body ?? null]);
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A stored key as the decision needs it. Instants are ISO 8601 UTC strings. */
export interface StoredIdempotencyKey {
  fingerprint: string;
  state: 'in_flight' | 'done';
  claimedAt: string;
  expiresAt: string;
}

/**
 * What a request does with a key already stored (DESIGN.md section 3):
 * - `take-over-expired`: kept 24 hours already; the key is free, the request runs anew;
 * - `reused`: another request (fingerprint) used it: 422 IDEMPOTENCY_KEY_REUSED;
 * - `in-use`: its first request is still running: 409 IDEMPOTENCY_KEY_IN_USE;
 * - `take-over-abandoned`: in flight for longer than the lease, so its process died: run;
 * - `replay`: answered already: send the stored response.
 * The fingerprint is compared before the state, so that a different request under a key in
 * flight learns that it reuses the key, which no retry will cure.
 */
export type IdempotencyDecision = 'take-over-expired' | 'reused' | 'in-use' | 'take-over-abandoned' | 'replay';

/** Decides per IdempotencyDecision; `now` is real time (never a reseller's sandbox clock). */
export function decideOnStoredKey(stored: StoredIdempotencyKey, fingerprint: string, now: Date): IdempotencyDecision {
  const at = now.getTime();
  if (Date.parse(stored.expiresAt) <= at) return 'take-over-expired';
  if (stored.fingerprint !== fingerprint) return 'reused';
  if (stored.state === 'done') return 'replay';
  return Date.parse(stored.claimedAt) + IDEMPOTENCY_LEASE_MS <= at ? 'take-over-abandoned' : 'in-use';
}
