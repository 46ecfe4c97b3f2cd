/**
 * Idempotency keys (`idempotency_keys`). Every change of a row is one conditional
 * statement, so that of several requests racing for one key, on any number of instances
 * sharing the database, exactly one wins: the claim is an INSERT that the primary key
 * (scope, idempotency_key) lets only one request make (ON CONFLICT DO NOTHING), and every
 * later change names the state it expects in its WHERE (SQLite runs writes one at a time;
 * PostgreSQL re-checks the WHERE of an UPDATE after waiting for a concurrent one). The
 * claim's random `owner` id guards the store and the release: a request whose claim was
 * taken over changes nothing.
 */
import type { Kysely } from 'kysely';
import type { StoredIdempotencyKey } from '../domain/idempotency.js';
import type { Database } from './schema.js';

/** One request's claim of a key. Instants are real time. */
export interface IdempotencyClaim {
  /** Hex SHA-256 of the API key. */
  scope: string;
  key: string;
  fingerprint: string;
  /** Random id of this claim. */
  owner: string;
  claimedAt: Date;
  expiresAt: Date;
}

/** A response as sent, to replay: status, Content-Type and the body text exactly. */
export interface StoredResponse {
  statusCode: number;
  contentType: string;
  body: string;
}

/** A stored key: its claim, and its response once done. */
export interface StoredKeyRow extends StoredIdempotencyKey {
  owner: string;
  response: StoredResponse | null;
}

/** Claims, completes, releases and sweeps idempotency keys. */
export class IdempotencyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Claims a key no one holds: inserts it in flight.
   * @returns true when this claim inserted the row, false when the key is stored already.
   */
  async claim(claim: IdempotencyClaim): Promise<boolean> {
    const result = await this.db
      .insertInto('idempotency_keys')
      .values({ ...claimColumns(claim), scope: claim.scope, idempotency_key: claim.key })
      .onConflict((oc) => oc.columns(['scope', 'idempotency_key']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /** The stored key, or undefined. */
  async find(scope: string, key: string): Promise<StoredKeyRow | undefined> {
    const row = await this.db
      .selectFrom('idempotency_keys')
      .select(['fingerprint', 'state', 'owner', 'claimed_at', 'expires_at', 'status_code', 'content_type', 'body'])
      .where('scope', '=', scope)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    if (!row) return undefined;
    const done = row.state === 'done' && row.status_code !== null && row.body !== null;
    return {
      fingerprint: row.fingerprint,
      state: done ? 'done' : 'in_flight',
      owner: row.owner,
      claimedAt: row.claimed_at,
      expiresAt: row.expires_at,
      response: done
        ? {
            statusCode: Number(row.status_code),
            contentType: row.content_type ?? 'application/json; charset=utf-8',
            body: row.body!,
          }
        : null,
    };
  }

  /**
   * Takes over a key kept past its 24 hours (whatever its state), as a new claim.
   * @returns true when this claim won; false when the key was no longer expired (another
   *   request took it over first) or is gone (swept or released: claim it anew).
   */
  async takeOverExpired(claim: IdempotencyClaim): Promise<boolean> {
    const result = await this.db
      .updateTable('idempotency_keys')
      .set(claimColumns(claim))
      .where('scope', '=', claim.scope)
      .where('idempotency_key', '=', claim.key)
      .where('expires_at', '<=', claim.claimedAt.toISOString())
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Takes over an abandoned in-flight claim (older than the lease), keeping the key's
   * fingerprint and expiry (24 hours from its first request).
   * @param abandonedOwner the owner read with the abandoned claim: the update applies only
   *   if that claim is still the one stored, so of two requests taking over, one wins.
   */
  async takeOverAbandoned(claim: IdempotencyClaim, abandonedOwner: string): Promise<boolean> {
    const result = await this.db
      .updateTable('idempotency_keys')
      .set({ owner: claim.owner, claimed_at: claim.claimedAt.toISOString() })
      .where('scope', '=', claim.scope)
      .where('idempotency_key', '=', claim.key)
      .where('state', '=', 'in_flight')
      .where('owner', '=', abandonedOwner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Stores the response of the claim's request: the key is done and replays it.
   * @returns false when the claim is no longer this owner's (taken over as abandoned).
   */
  async complete(scope: string, key: string, owner: string, response: StoredResponse): Promise<boolean> {
    const result = await this.db
      .updateTable('idempotency_keys')
      .set({ state: 'done', status_code: response.statusCode, content_type: response.contentType, body: response.body })
      .where('scope', '=', scope)
      .where('idempotency_key', '=', key)
      .where('owner', '=', owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Deletes the claim (if still this owner's), so that the next request with the key runs. */
  async release(scope: string, key: string, owner: string): Promise<void> {
    await this.db
      .deleteFrom('idempotency_keys')
      .where('scope', '=', scope)
      .where('idempotency_key', '=', key)
      .where('owner', '=', owner)
      .execute();
  }

  /**
   * Deletes up to `limit` keys expired at `now` (bounded, so that one sweep never holds the
   * write lock long).
   * @returns how many were deleted.
   */
  async deleteExpired(now: Date, limit: number): Promise<number> {
    const result = await this.db
      .deleteFrom('idempotency_keys')
      .where(({ eb, refTuple, selectFrom }) =>
        eb(
          refTuple('scope', 'idempotency_key'),
          'in',
          selectFrom('idempotency_keys')
            .select(['scope', 'idempotency_key'])
            .where('expires_at', '<=', now.toISOString())
            .limit(limit)
            .$asTuple('scope', 'idempotency_key'),
        ),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/** The columns a claim sets: in flight, no response. */
function claimColumns(claim: IdempotencyClaim) {
  return {
    fingerprint: claim.fingerprint,
    state: 'in_flight' as const,
    owner: claim.owner,
    claimed_at: claim.claimedAt.toISOString(),
    expires_at: claim.expiresAt.toISOString(),
    status_code: null,
    content_type: null,
    body: null,
  };
}
