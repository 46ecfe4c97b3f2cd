/**
 * Webhook endpoints and the delivery outbox. Events are written by
 * `writeEvents` inside the transaction of the change they announce, so a change and its
 * events commit or roll back together and a crash or restart loses none. Deliveries are
 * taken for an attempt with a lease (a conditional UPDATE), so several instances on one
 * database never send the same attempt twice at once.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, SelectQueryBuilder, Transaction } from 'kysely';
import type {
  DeliveryState,
  WebhookAttempt,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEventType,
} from '../contract/webhooks.js';
import { webhookEventBody, type NewWebhookEvent } from '../domain/webhook-events.js';
import type { Database, WebhookDeliveryTable, WebhookEndpointTable } from './schema.js';
import { SecretBox } from './secret-box.js';

/** An endpoint with the reseller it belongs to. */
export interface StoredEndpoint extends WebhookEndpoint {
  resellerId: string;
}

/** A delivery due for an attempt, with what the attempt needs. */
export interface DueDelivery {
  id: string;
  resellerId: string;
  payload: string;
  eventId: string;
  eventType: string;
  attemptCount: number;
}

/** What one attempt gave, and what the delivery becomes after it. */
export interface AttemptOutcome {
  attempt: WebhookAttempt;
  state: DeliveryState;
  /** Real time of the next attempt when `state` is pending. */
  nextAttemptAt: Date | null;
}

type DeliveryRow = Selectable<WebhookDeliveryTable>;

/**
 * Reads and writes the webhook tables. Every instant is real time (ISO 8601 UTC). Signing
 * secrets are stored sealed by `box` (AES-256-GCM, secret-box.ts), never in clear.
 */
export class WebhookRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
  ) {}

  /**
   * Seals the secrets that rows written before encryption at rest still hold in clear; run at
   * start-up (idempotent: a sealed row is left alone, so instances starting together agree).
   * @returns how many rows were sealed.
   */
  async sealClearSecrets(): Promise<number> {
    const rows = await this.db.selectFrom('webhook_endpoints').select(['reseller_id', 'secret']).execute();
    let sealed = 0;
    for (const row of rows.filter((r) => !SecretBox.isSealed(r.secret))) {
      const result = await this.db
        .updateTable('webhook_endpoints')
        .set({ secret: this.box.seal(row.secret) })
        .where('reseller_id', '=', row.reseller_id)
        .where('secret', '=', row.secret)
        .executeTakeFirst();
      sealed += Number(result.numUpdatedRows);
    }
    return sealed;
  }

  /** The reseller's endpoint, or undefined. */
  async endpoint(resellerId: string): Promise<StoredEndpoint | undefined> {
    const row = await this.db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('reseller_id', '=', resellerId)
      .executeTakeFirst();
    return row ? this.toEndpoint(row) : undefined;
  }

  /** The resellers whose endpoint takes events of `type`. */
  async subscribers(type: WebhookEventType): Promise<string[]> {
    const rows = await this.db
      .selectFrom('webhook_endpoints')
      .select(['reseller_id', 'events'])
      .orderBy('reseller_id')
      .execute();
    return rows.filter((row) => (JSON.parse(row.events) as string[]).includes(type)).map((row) => row.reseller_id);
  }

  /**
   * Registers or replaces the reseller's endpoint. Replacing keeps the secret (receivers
   * keep verifying); `secret` is used only when the endpoint is new.
   * @returns the endpoint and whether it was created.
   */
  async putEndpoint(
    resellerId: string,
    input: { url: string; events: WebhookEventType[] },
    secret: string,
    now: Date,
  ): Promise<{ endpoint: StoredEndpoint; created: boolean }> {
    const at = now.toISOString();
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('webhook_endpoints')
        .select('created_at')
        .where('reseller_id', '=', resellerId)
        .executeTakeFirst();
      if (existing) {
        await trx
          .updateTable('webhook_endpoints')
          .set({ url: input.url, events: JSON.stringify(input.events), updated_at: at })
          .where('reseller_id', '=', resellerId)
          .execute();
      } else {
        await trx
          .insertInto('webhook_endpoints')
          .values({
            reseller_id: resellerId,
            url: input.url,
            events: JSON.stringify(input.events),
            secret: this.box.seal(secret),
            created_at: at,
            updated_at: at,
          })
          .execute();
      }
      const row = await trx
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('reseller_id', '=', resellerId)
        .executeTakeFirstOrThrow();
      return { endpoint: this.toEndpoint(row), created: !existing };
    });
  }

  /**
   * Deletes the reseller's endpoint and cancels its pending deliveries (their secret is
   * gone; a new registration gets a new one). The delivery log stays.
   * @returns false when there was no endpoint.
   */
  async deleteEndpoint(resellerId: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const deleted = await trx
        .deleteFrom('webhook_endpoints')
        .where('reseller_id', '=', resellerId)
        .executeTakeFirst();
      if (deleted.numDeletedRows === 0n) return false;
      await trx
        .updateTable('webhook_deliveries')
        .set({ state: 'cancelled', next_attempt_at: null, lease_until: null })
        .where('reseller_id', '=', resellerId)
        .where('state', '=', 'pending')
        .execute();
      return true;
    });
  }

  /**
   * Records every event in `webhook_events` (what the live stream's `webhook.event` shows,
   * endpoint or not) and writes a delivery into the outbox for each event the reseller's
   * endpoint subscribes to, inside the caller's transaction `trx` (the change's own). An event
   * and its delivery share one number of the reseller's outbox sequence, so events are
   * numbered in commit order (the counter row's lock) and a delivery's `seq` is its event's.
   * @param now real time: the first attempt is due at once.
   * @returns one entry per event, in order: the id of its delivery, or null when none was
   *   queued (no endpoint, or one that does not take the event's type).
   */
  async writeEvents(
    trx: Transaction<Database>,
    resellerId: string,
    events: readonly NewWebhookEvent[],
    now: Date,
  ): Promise<(string | null)[]> {
    if (events.length === 0) return [];
    const endpoint = await trx
      .selectFrom('webhook_endpoints')
      .select('events')
      .where('reseller_id', '=', resellerId)
      .executeTakeFirst();
    const subscribed = new Set(endpoint ? (JSON.parse(endpoint.events) as string[]) : []);
    let seq = (await this.reserveSeq(trx, resellerId, events.length)) - events.length;
    const at = now.toISOString();
    const ids: (string | null)[] = [];
    for (const event of events) {
      const eventId = randomUUID();
      const payload = webhookEventBody(eventId, event);
      seq++;
      await trx
        .insertInto('webhook_events')
        .values({
          reseller_id: resellerId,
          seq,
          id: eventId,
          type: event.type,
          iccid: event.iccid,
          created_at: event.createdAt,
          recorded_at: at,
          payload,
        })
        .execute();
      if (!subscribed.has(event.type)) {
        ids.push(null);
        continue;
      }
      const id = randomUUID();
      ids.push(id);
      await trx
        .insertInto('webhook_deliveries')
        .values({
          id,
          seq,
          reseller_id: resellerId,
          event_id: eventId,
          event_type: event.type,
          iccid: event.iccid,
          ordering_key: event.orderingKey,
          after_key: event.afterKey,
          payload,
          state: 'pending',
          attempt_count: 0,
          next_attempt_at: at,
          lease_until: null,
          redelivery_of: null,
          created_at: at,
        })
        .execute();
    }
    return ids;
  }

  /**
   * Reserves `count` numbers of the reseller's outbox sequence. The upsert takes the
   * counter row's lock until the transaction ends (SQLite and PostgreSQL alike), so the
   * events of one reseller are numbered in commit order.
   */
  private async reserveSeq(
    trx: Transaction<Database>,
    resellerId: string,
    count: number,
    counter = 'webhook',
  ): Promise<number> {
    const row = await trx
      .insertInto('counters')
      .values({ name: `${counter}:${resellerId}`, value: count })
      .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', count) })))
      .returning('value')
      .executeTakeFirstOrThrow();
    return Number(row.value);
  }

  /**
   * Deliveries due at `now` and not held by another process, oldest first, at most
   * `limit`: only the first pending delivery of each ordering key (one eSIM's events go
   * out one after the other, a later one waits while an earlier one is retried; and an
   * eSIM's events wait for its order's order.completed).
   */
  async due(now: Date, limit: number): Promise<DueDelivery[]> {
    const at = now.toISOString();
    const rows = await this.db
      .selectFrom('webhook_deliveries as d')
      .select(['d.id', 'd.reseller_id', 'd.payload', 'd.event_id', 'd.event_type', 'd.attempt_count'])
      .where('d.state', '=', 'pending')
      .where('d.next_attempt_at', '<=', at)
      .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<=', at)]))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('webhook_deliveries as p')
              .select('p.id')
              .whereRef('p.ordering_key', '=', 'd.ordering_key')
              .$call(earlierPending),
          ),
        ),
      )
      // An eSIM's events also wait for its order's order.completed (the receiver learns of the eSIM first).
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('webhook_deliveries as p')
              .select('p.id')
              .whereRef('p.ordering_key', '=', 'd.after_key')
              .$call(earlierPending),
          ),
        ),
      )
      .orderBy('d.created_at')
      .orderBy('d.seq')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      id: row.id,
      resellerId: row.reseller_id,
      payload: row.payload,
      eventId: row.event_id,
      eventType: row.event_type,
      attemptCount: row.attempt_count,
    }));
  }

  /**
   * Takes a due delivery for one attempt until `until`. Of several processes trying at
   * once exactly one succeeds (the UPDATE re-checks the lease).
   */
  async lease(id: string, now: Date, until: Date): Promise<boolean> {
    const at = now.toISOString();
    const result = await this.db
      .updateTable('webhook_deliveries')
      .set({ lease_until: until.toISOString() })
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', at)]))
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /**
   * Records an attempt and the delivery's next state, and releases the lease, in one
   * transaction; records nothing when the delivery is gone (a reset or a reseller's deletion
   * during the attempt deleted it). The attempt is numbered in the reseller's attempt sequence
   * (its counter row's lock orders the commits), which the live stream follows.
   */
  async recordAttempt(id: string, resellerId: string, outcome: AttemptOutcome): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const { attempt } = outcome;
      const updated = await trx
        .updateTable('webhook_deliveries')
        .set({
          state: outcome.state,
          attempt_count: attempt.attempt,
          next_attempt_at: outcome.nextAttemptAt ? outcome.nextAttemptAt.toISOString() : null,
          lease_until: null,
        })
        .where('id', '=', id)
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) return;
      const seq = await this.reserveSeq(trx, resellerId, 1, 'webhook-attempt');
      await trx
        .insertInto('webhook_attempts')
        .values({
          delivery_id: id,
          attempt: attempt.attempt,
          url: attempt.url,
          started_at: attempt.startedAt,
          duration_ms: attempt.durationMs,
          status_code: attempt.statusCode,
          error: attempt.error,
          reseller_id: resellerId,
          seq,
        })
        .execute();
    });
  }

  /** Ends a pending delivery without an attempt (its endpoint is gone). */
  async cancel(id: string): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set({ state: 'cancelled', next_attempt_at: null, lease_until: null })
      .where('id', '=', id)
      .execute();
  }

  /** One page of the reseller's deliveries, newest first, with their attempts. */
  async list(resellerId: string, page: number, limit: number): Promise<{ items: WebhookDelivery[]; total: number }> {
    const count = await this.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('reseller_id', '=', resellerId)
      .executeTakeFirstOrThrow();
    const total = Number(count.n);
    const offset = (page - 1) * limit;
    if (offset >= total) return { items: [], total };
    const rows = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('reseller_id', '=', resellerId)
      .orderBy('seq', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    return { items: await this.withAttempts(rows), total };
  }

  /** One of the reseller's deliveries, or undefined (unknown and another reseller's alike). */
  async find(resellerId: string, id: string): Promise<WebhookDelivery | undefined> {
    const row = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', id)
      .where('reseller_id', '=', resellerId)
      .executeTakeFirst();
    return row ? (await this.withAttempts([row]))[0] : undefined;
  }

  /**
   * Queues the event of one of the reseller's deliveries again, as a new delivery due at
   * once, outside any ordering (it is a manual resend). The body is the same bytes.
   * @returns the new delivery, or undefined when the reseller has no such delivery.
   */
  async redeliver(resellerId: string, id: string, now: Date): Promise<WebhookDelivery | undefined> {
    const created = await this.db.transaction().execute(async (trx) => {
      const original = await trx
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('id', '=', id)
        .where('reseller_id', '=', resellerId)
        .executeTakeFirst();
      if (!original) return undefined;
      const seq = await this.reserveSeq(trx, resellerId, 1);
      const at = now.toISOString();
      const row: DeliveryRow = {
        ...original,
        id: randomUUID(),
        seq,
        ordering_key: null,
        after_key: null,
        state: 'pending',
        attempt_count: 0,
        next_attempt_at: at,
        lease_until: null,
        redelivery_of: original.id,
        created_at: at,
      };
      await trx.insertInto('webhook_deliveries').values(row).execute();
      return row;
    });
    return created ? (await this.withAttempts([created]))[0] : undefined;
  }

  private async withAttempts(rows: DeliveryRow[]): Promise<WebhookDelivery[]> {
    const ids = rows.map((row) => row.id);
    const attempts =
      ids.length === 0
        ? []
        : await this.db
            .selectFrom('webhook_attempts')
            .selectAll()
            .where('delivery_id', 'in', ids)
            .orderBy('delivery_id')
            .orderBy('attempt')
            .execute();
    const byDelivery = new Map<string, WebhookAttempt[]>();
    for (const a of attempts) {
      const list = byDelivery.get(a.delivery_id) ?? [];
      list.push({
        attempt: a.attempt,
        url: a.url,
        startedAt: a.started_at,
        durationMs: a.duration_ms,
        statusCode: a.status_code,
        error: a.error,
      });
      byDelivery.set(a.delivery_id, list);
    }
    return rows.map((row) => ({
      id: row.id,
      eventId: row.event_id,
      eventType: row.event_type as WebhookEventType,
      iccid: row.iccid,
      status: row.state as DeliveryState,
      attempts: byDelivery.get(row.id) ?? [],
      nextAttemptAt: row.next_attempt_at,
      redeliveryOf: row.redelivery_of,
      createdAt: row.created_at,
    }));
  }

  private toEndpoint(row: Selectable<WebhookEndpointTable>): StoredEndpoint {
    return {
      resellerId: row.reseller_id,
      url: row.url,
      events: JSON.parse(row.events) as WebhookEventType[],
      // A row from before encryption at rest that start-up has not sealed yet (another
      // instance's start) still reads.
      secret: SecretBox.isSealed(row.secret) ? this.box.open(row.secret) : row.secret,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}

/** Narrows a subquery over `p` to the pending deliveries of `d`'s reseller queued before `d`. */
function earlierPending<
  QB extends SelectQueryBuilder<
    Database & { p: WebhookDeliveryTable; d: WebhookDeliveryTable },
    'p' | 'd',
    { id: string }
  >,
>(qb: QB): QB {
  return qb
    .whereRef('p.reseller_id', '=', 'd.reseller_id')
    .where('p.state', '=', 'pending')
    .whereRef('p.seq', '<', 'd.seq') as QB;
}
