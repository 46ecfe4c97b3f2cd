/**
 * New API keys and their stored form. A key is shown once, when it is made; the store keeps
 * its SHA-256 hash, a random public id (what an admin revokes it by) and, for keys the
 * sandbox generated, the last 4 characters, so that a person can tell keys apart.
 */
import { randomBytes } from 'node:crypto';
import { hashApiKey } from '../domain/api-key.js';
import type { NewApiKey } from '../store/resellers.js';

/** Characters of a generated key's end shown for display (`hint`). */
export const KEY_HINT_LENGTH = 4;

/** A generated key: the secret (shown once) and what is stored of it. */
export interface GeneratedKey {
  /** `sk_sandbox_` + 32 base64url characters (24 random bytes, 192 bits): an RFC 6750 b64token. */
  key: string;
  stored: NewApiKey;
}

/** A new key id: `key_` + 16 base64url characters (96 random bits, not derived from the key). */
export function newKeyId(): string {
  return `key_${randomBytes(12).toString('base64url')}`;
}

/** Generates a new random API key. */
export function generateApiKey(): GeneratedKey {
  const key = `sk_sandbox_${randomBytes(24).toString('base64url')}`;
  return { key, stored: { id: newKeyId(), hash: hashApiKey(key), hint: key.slice(-KEY_HINT_LENGTH) } };
}

/** The stored form of a key an operator chose (`SANDBOX_API_KEYS`): no hint, the operator knows it. */
export function configuredKey(key: string): NewApiKey {
  return { id: newKeyId(), hash: hashApiKey(key), hint: null };
}
