/**
 * The live stream's feed for one reseller: where a new stream starts (the newest position of
 * every source) and, from a position, the events that came after it, interleaved by real time
 * while each source keeps its own order, so that every event's position is a valid place to
 * resume (`Last-Event-ID`). The stream route polls it; several instances sharing a database
 * see each other's rows because every source is read from the database.
 */
import type { StreamEventType } from '../contract/request-log.js';
import type { StreamPosition } from '../domain/stream-position.js';
import type { LiveEventRepository, Positioned } from '../store/live-events.js';
import type { RequestLogRepository } from '../store/request-log.js';

/** What a stream asked for. */
export interface StreamFilter {
  types: ReadonlySet<StreamEventType>;
  iccid?: string | undefined;
}

/** One event to send, with the position after it. */
export interface FeedEvent {
  type: StreamEventType;
  position: StreamPosition;
  data: unknown;
}

/** Rows read from each source per poll; a full batch makes the caller poll again at once. */
export const FEED_BATCH = 100;

const SOURCE_OF: Record<StreamEventType, keyof StreamPosition> = {
  request: 'request',
  'esim.changed': 'history',
  'webhook.attempt': 'attempt',
  'webhook.event': 'event',
};

/** Reads the stream's sources for one reseller at a time. */
export class LiveFeed {
  constructor(
    private readonly requestLog: RequestLogRepository,
    private readonly live: LiveEventRepository,
  ) {}

  /** The newest position of every source: a stream without Last-Event-ID starts there (only new events). */
  async head(resellerId: string): Promise<StreamPosition> {
    const [request, rest] = await Promise.all([this.requestLog.lastId(resellerId), this.live.heads(resellerId)]);
    return { request, ...rest };
  }

  /**
   * The events after `from` of the types the filter takes (and, with an iccid, only those
   * that concern it), oldest first, and the position reached (past the events filtered out
   * too). `more` is true when a source gave a full batch: poll again without waiting.
   */
  async next(
    resellerId: string,
    from: StreamPosition,
    filter: StreamFilter,
  ): Promise<{ events: FeedEvent[]; position: StreamPosition; more: boolean }> {
    const want = (type: StreamEventType) => filter.types.has(type);
    const none = Promise.resolve([] as Positioned<unknown>[]);
    const lists = await Promise.all([
      want('request')
        ? this.requestLog.after(resellerId, from.request, FEED_BATCH).then((rows) =>
            rows.map((row) => ({
              position: Number(row.id),
              at: row.receivedAt,
              data: row,
              iccidText: row.iccids.join(','),
            })),
          )
        : none,
      want('esim.changed') ? this.live.historyAfter(resellerId, from.history, FEED_BATCH) : none,
      want('webhook.attempt') ? this.live.attemptsAfter(resellerId, from.attempt, FEED_BATCH) : none,
      want('webhook.event') ? this.live.eventsAfter(resellerId, from.event, FEED_BATCH) : none,
    ]);
    const types: StreamEventType[] = ['request', 'esim.changed', 'webhook.attempt', 'webhook.event'];
    const more = lists.some((list) => list.length >= FEED_BATCH);
    const position = { ...from };
    const events: FeedEvent[] = [];
    const heads = lists.map(() => 0);
    // A k-way merge by real time: each source stays in its own order.
    for (;;) {
      let pick = -1;
      for (let i = 0; i < lists.length; i++) {
        const item = lists[i]![heads[i]!];
        if (item && (pick < 0 || item.at < lists[pick]![heads[pick]!]!.at)) pick = i;
      }
      if (pick < 0) break;
      const item = lists[pick]![heads[pick]!]!;
      heads[pick]!++;
      const type = types[pick]!;
      position[SOURCE_OF[type]] = item.position;
      if (filter.iccid !== undefined && !item.iccidText.includes(filter.iccid)) continue;
      events.push({ type, position: { ...position }, data: item.data });
    }
    return { events, position, more };
  }
}
