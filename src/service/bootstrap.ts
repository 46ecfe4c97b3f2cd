/**
 * Start-up data: the reseller API keys of `SANDBOX_API_KEYS`, or a `demo` reseller with a
 * random key when the database has no key at all (DESIGN.md section 2, Authentication).
 */
import type { ApiKeySeed } from '../config.js';
import type { ResellerRepository } from '../store/resellers.js';
import { configuredKey, generateApiKey } from './api-keys.js';

/** What start-up did about keys, for the start-up log. */
export type KeyBootstrap =
  | { kind: 'configured'; resellers: string[] }
  | { kind: 'demo-created'; reseller: 'demo'; key: string }
  | { kind: 'stored'; keys: number };

/**
 * Upserts the configured resellers and keys; with none configured and none stored, creates
 * reseller `demo` with a random key (generateApiKey) and returns it (the only time the
 * plain key exists: it is logged once, then only its hash remains).
 */
export async function bootstrapKeys(
  resellers: ResellerRepository,
  seeds: readonly ApiKeySeed[],
  now: Date,
): Promise<KeyBootstrap> {
  if (seeds.length > 0) {
    for (const seed of seeds) await resellers.upsertWithKey(seed.reseller, configuredKey(seed.key), now);
    return { kind: 'configured', resellers: [...new Set(seeds.map((s) => s.reseller))] };
  }
  const stored = await resellers.countKeys();
  if (stored > 0) return { kind: 'stored', keys: stored };
  const { key, stored: demo } = generateApiKey();
  await resellers.upsertWithKey('demo', demo, now);
  return { kind: 'demo-created', reseller: 'demo', key };
}
