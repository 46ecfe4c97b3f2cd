/**
 * What the live stream follows besides the request log, read per reseller after a position:
 * eSIM history entries (by id), webhook delivery attempts (by the reseller's attempt
 * sequence) and webhook events (by the reseller's outbox sequence). Each source is numbered
 * in commit order (see migrations 005 and 006), so reading "after the last one seen" never
 * misses a row that commits late.
 */
import type { Kysely } from 'kysely';
import type { EsimChangedEvent, WebhookAttemptEvent, WebhookEventEvent } from '../contract/request-log.js';
import type { WebhookEventType } from '../contract/webhooks.js';
import { toEntry } from './esim-history.js';
import type { Database } from './schema.js';

/** A row of a source with its position in it and its real time (to interleave the sources). */
export interface Positioned<T> {
  position: number;
  at: string;
  data: T;
  /** Text that names the ICCIDs the item concerns (the iccid filter looks in it). */
  iccidText: string;
}

/** The stream's reads of the history and webhook tables. */
export class LiveEventRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The newest position of each of the three sources for the reseller (0 when empty). */
  async heads(resellerId: string): Promise<{ history: number; attempt: number; event: number }> {
    const [history, attempt, event] = await Promise.all([
      this.db
        .selectFrom('esim_history')
        .select((eb) => eb.fn.max('id').as('n'))
        .where('reseller_id', '=', resellerId)
        .executeTakeFirst(),
      this.db
        .selectFrom('webhook_attempts')
        .select((eb) => eb.fn.max('seq').as('n'))
        .where('reseller_id', '=', resellerId)
        .executeTakeFirst(),
      this.db
        .selectFrom('webhook_events')
        .select((eb) => eb.fn.max('seq').as('n'))
        .where('reseller_id', '=', resellerId)
        .executeTakeFirst(),
    ]);
    return { history: Number(history?.n ?? 0), attempt: Number(attempt?.n ?? 0), event: Number(event?.n ?? 0) };
  }

  /** The reseller's eSIM history entries after id `after`, in id order. */
  async historyAfter(resellerId: string, after: number, limit: number): Promise<Positioned<EsimChangedEvent>[]> {
    const rows = await this.db
      .selectFrom('esim_history')
      .selectAll()
      .where('reseller_id', '=', resellerId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      position: Number(row.id),
      at: row.recorded_at,
      iccidText: row.iccid,
      data: { iccid: row.iccid, ...toEntry(row) },
    }));
  }

  /** The reseller's delivery attempts after sequence number `after`, in order. */
  async attemptsAfter(resellerId: string, after: number, limit: number): Promise<Positioned<WebhookAttemptEvent>[]> {
    const rows = await this.db
      .selectFrom('webhook_attempts as a')
      .innerJoin('webhook_deliveries as d', 'd.id', 'a.delivery_id')
      .select([
        'a.seq',
        'a.attempt',
        'a.started_at',
        'a.duration_ms',
        'a.status_code',
        'a.error',
        'd.id',
        'd.event_id',
        'd.event_type',
        'd.iccid',
        'd.payload',
      ])
      .where('a.reseller_id', '=', resellerId)
      .where('a.seq', '>', after)
      .orderBy('a.seq')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      position: Number(row.seq),
      at: row.started_at,
      iccidText: row.payload,
      data: {
        deliveryId: row.id,
        eventId: row.event_id,
        eventType: row.event_type as WebhookEventType,
        iccid: row.iccid,
        attempt: row.attempt,
        statusCode: row.status_code,
        durationMs: row.duration_ms,
        error: row.error,
        attemptedAt: row.started_at,
      },
    }));
  }

  /** The reseller's webhook events after sequence number `after`, in order. */
  async eventsAfter(resellerId: string, after: number, limit: number): Promise<Positioned<WebhookEventEvent>[]> {
    const rows = await this.db
      .selectFrom('webhook_events')
      .selectAll()
      .where('reseller_id', '=', resellerId)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      position: Number(row.seq),
      at: row.recorded_at,
      iccidText: row.payload,
      data: {
        id: row.id,
        type: row.type as WebhookEventType,
        createdAt: row.created_at,
        payload: JSON.parse(row.payload) as unknown,
      },
    }));
  }
}
