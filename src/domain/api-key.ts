/**
 * API keys are stored only as their hash (DESIGN.md section 2, Authentication): the start-up
 * bootstrap hashes the configured keys, authentication hashes the key a request presents and
 * looks the hash up, and the rate limits count per hash.
 */
import { createHash } from 'node:crypto';

/**
 * Hex SHA-256 of an API key (UTF-8): 64 lower-case hex characters, the only form in which
 * keys are stored or used as an identity.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
