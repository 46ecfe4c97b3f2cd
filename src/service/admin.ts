/**
 * The admin API's use cases (docs/admin.md): resellers with their first key, more keys,
 * revocation, deletion with all data, throwaway sandboxes and their sweep; and a reseller's
 * reset of its own data. Times are real time (`now`), never a reseller's sandbox clock.
 */
import { randomBytes } from 'node:crypto';
import type {
  CreatedKey,
  CreatedReseller,
  CreateSandboxRequest,
  DeletedResellerResponse,
  ResellerDetail,
  ResellerPage,
  ResetResponse,
  RevokedKey,
} from '../contract/admin.js';
import { DEFAULT_SANDBOX_PREFIX, SANDBOX_SUFFIX_LENGTH, sandboxTtlSeconds } from '../domain/admin.js';
import { DomainError, RuleViolation } from '../domain/errors.js';
import type { PageRequest } from '../store/keyset.js';
import type { ResellerRepository } from '../store/resellers.js';
import type { ResellerOrigin } from '../store/schema.js';
import { generateApiKey } from './api-keys.js';

/** Settings of the admin use cases. */
export interface AdminServiceOptions {
  resellers: ResellerRepository;
  /** The shortest time to live a sandbox may ask for, in seconds (ADMIN_SANDBOX_MIN_TTL_SECONDS). */
  minTtlSeconds: number;
  now?: () => Date;
}

// Lower-case letters and digits: a suffix that reads the same in any case-insensitive tool.
const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
// Sandboxes deleted per sweep round; the next round goes on.
const SWEEP_BATCH = 100;

/** Admin use cases over the reseller repository. */
export class AdminService {
  private readonly resellers: ResellerRepository;
  private readonly minTtlSeconds: number;
  private readonly now: () => Date;

  constructor(options: AdminServiceOptions) {
    this.resellers = options.resellers;
    this.minTtlSeconds = options.minTtlSeconds;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Creates the reseller `name` with a first API key (returned in clear, this once).
   * @throws DomainError RESELLER_EXISTS when the name is taken.
   */
  async createReseller(name: string): Promise<CreatedReseller> {
    const created = await this.create(name, 'admin', null, this.now());
    if (!created) throw new DomainError('RESELLER_EXISTS', `a reseller named "${name}" exists already`);
    return created;
  }

  /**
   * Creates a throwaway reseller `<namePrefix>-<random>` with a key, deleted with all its
   * data after its time to live (its keys are refused from `expiresAt` on).
   * @throws RuleViolation for a time to live out of bounds (domain/admin.ts sandboxTtlSeconds).
   */
  async createSandbox(request: CreateSandboxRequest): Promise<CreatedReseller> {
    const ttl = sandboxTtlSeconds(request, this.minTtlSeconds);
    if (ttl.violations) throw new RuleViolation(ttl.violations);
    const prefix = request.namePrefix ?? DEFAULT_SANDBOX_PREFIX;
    // 36^12 names: a clash is next to impossible, and one more draw settles it.
    for (;;) {
      const now = this.now();
      const created = await this.create(
        `${prefix}-${randomSuffix()}`,
        'sandbox',
        new Date(now.getTime() + ttl.seconds * 1000),
        now,
      );
      if (created) return created;
    }
  }

  /** One page of the resellers, by name. @throws RuleViolation for a cursor of another listing. */
  async listResellers(request: PageRequest): Promise<ResellerPage> {
    return this.resellers.list(request, this.now());
  }

  /** The reseller `name` with its keys (never in clear). @throws DomainError RESELLER_NOT_FOUND. */
  async getReseller(name: string): Promise<ResellerDetail> {
    const found = await this.resellers.get(name, this.now());
    if (!found) throw await this.notFound(name);
    const { apiKeys, ...summary } = found;
    return { ...summary, apiKeys: apiKeys.map(({ resellerName: _name, ...key }) => key) };
  }

  /** A new API key for the reseller `name`, in clear this once. @throws DomainError RESELLER_NOT_FOUND. */
  async addKey(name: string): Promise<CreatedKey> {
    const { key, stored } = generateApiKey();
    const now = this.now();
    if (!(await this.resellers.addKey(name, stored, now))) throw await this.notFound(name);
    return { resellerName: name, apiKey: { id: stored.id, key, createdAt: now.toISOString() } };
  }

  /**
   * Revokes the key `keyId`: every instance refuses it from the next request on. Revoking a
   * revoked key answers it as it is (idempotent). @throws DomainError API_KEY_NOT_FOUND.
   */
  async revokeKey(keyId: string): Promise<RevokedKey> {
    const key = await this.resellers.revokeKey(keyId, this.now());
    if (!key) throw new DomainError('API_KEY_NOT_FOUND', `no API key has the id ${keyId}`);
    return key;
  }

  /**
   * Deletes the reseller `name`, its keys and all its data in one transaction. Its ICCIDs
   * are never issued again (one global ICCID counter). @throws DomainError RESELLER_NOT_FOUND.
   */
  async deleteReseller(name: string): Promise<DeletedResellerResponse> {
    const deleted = await this.resellers.delete(name, this.now());
    if (!deleted) throw await this.notFound(name);
    return { name, deleted };
  }

  /**
   * Deletes every sandbox expired by now, with all its data; safe to run on several
   * instances at once (each deletion re-checks the expiry under a lock).
   * @returns the names this call deleted.
   */
  async sweepExpiredSandboxes(): Promise<string[]> {
    const deleted: string[] = [];
    for (;;) {
      const now = this.now();
      const ids = await this.resellers.expiredSandboxes(now, SWEEP_BATCH);
      for (const id of ids) {
        const name = await this.resellers.deleteIfExpired(id, now);
        if (name !== undefined) deleted.push(name);
      }
      if (ids.length < SWEEP_BATCH) return deleted;
    }
  }

  /** Deletes the reseller's own data (not the reseller, not its keys) in one transaction. */
  async reset(resellerId: string): Promise<ResetResponse> {
    return { deleted: await this.resellers.reset(resellerId) };
  }

  private async create(
    name: string,
    origin: ResellerOrigin,
    expiresAt: Date | null,
    now: Date,
  ): Promise<CreatedReseller | null> {
    const { key, stored } = generateApiKey();
    if (!(await this.resellers.create(name, origin, expiresAt, stored, now))) return null;
    const createdAt = now.toISOString();
    return {
      name,
      origin,
      createdAt,
      expiresAt: expiresAt ? expiresAt.toISOString() : null,
      apiKey: { id: stored.id, key, createdAt },
    };
  }

  private async notFound(name: string): Promise<DomainError> {
    const tombstone = await this.resellers.tombstone(name);
    const why = tombstone
      ? `: it was ${tombstone.cause === 'expired' ? 'a sandbox that expired and was deleted' : 'deleted'} at ${tombstone.deletedAt}`
      : '';
    return new DomainError('RESELLER_NOT_FOUND', `no reseller named "${name}"${why}`);
  }
}

function randomSuffix(): string {
  // Bytes of 252 and more are dropped (252 = 7 x 36), so that every character is equally likely.
  let suffix = '';
  while (suffix.length < SANDBOX_SUFFIX_LENGTH) {
    for (const byte of randomBytes(SANDBOX_SUFFIX_LENGTH)) {
      if (byte < 252 && suffix.length < SANDBOX_SUFFIX_LENGTH) suffix += SUFFIX_ALPHABET[byte % 36];
    }
  }
  return suffix;
}
