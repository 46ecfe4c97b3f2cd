/**
 * Which webhook events a change produces: pure functions of the state before and
 * after, so the same rule holds for API calls, lifecycle events and the sandbox clock.
 */
import type {
  EsimStatusSnapshot,
  OrderCompletedData,
  WebhookEventBody,
  WebhookEventData,
  WebhookEventType,
} from '../contract/webhooks.js';
import type { EsimState } from './esim.js';

/**
 * An event about to be written to the outbox: `orderingKey` groups the events that must
 * reach the receiver in the order they happened (one eSIM's ICCID, or an order's
 * transactionId); `createdAt` is the reseller's sandbox time of the change (as lastUpdatedAt).
 * `data` is typed by `type` from the contract schemas that the OpenAPI document shows under `webhooks`.
 */
export type NewWebhookEvent = {
  [Type in WebhookEventType]: {
    type: Type;
    orderingKey: string;
    /** A key whose earlier events must be delivered first too: an eSIM's order (its order.completed). */
    afterKey: string | null;
    iccid: string | null;
    createdAt: string;
    data: WebhookEventData[Type];
  };
}[WebhookEventType];

/** The status fields of an eSIM, as an esim.status_changed event reports them. */
export function statusSnapshot(esim: EsimState): EsimStatusSnapshot {
  return {
    contractStatus: esim.contractStatus,
    profileProvisionStatus: esim.profileProvisionStatus,
    profileInstallStatus: esim.profileInstallStatus,
    isServiceRestricted: esim.isServiceRestricted,
  };
}

/**
 * The events one change of an eSIM produces, in the order they are delivered:
 * `esim.status_changed` when the contract, provision or install status (or the restriction
 * that goes with suspension) differs, then `esim.usage_updated` when the daily usage list
 * differs. `data` carries the eSIM after the change (the status response) and what it was.
 * @param at the reseller's sandbox time of the change (ISO 8601 UTC).
 * @param transactionId the eSIM's order: its events go out after the order's order.completed.
 */
export function esimChangeEvents(
  before: EsimState,
  after: EsimState,
  at: string,
  transactionId: string | null = null,
): NewWebhookEvent[] {
  const events: NewWebhookEvent[] = [];
  const previous = statusSnapshot(before);
  const current = statusSnapshot(after);
  const base = { orderingKey: after.iccid, afterKey: transactionId, iccid: after.iccid, createdAt: at };
  if ((Object.keys(previous) as (keyof EsimStatusSnapshot)[]).some((field) => previous[field] !== current[field])) {
    events.push({ ...base, type: 'esim.status_changed', data: { iccid: after.iccid, previous, current, esim: after } });
  }
  if (JSON.stringify(before.dataUsageDailyList) !== JSON.stringify(after.dataUsageDailyList)) {
    events.push({
      ...base,
      type: 'esim.usage_updated',
      data: {
        iccid: after.iccid,
        previousTotalDataUsage: before.totalDataUsage,
        totalDataUsage: after.totalDataUsage,
        esim: after,
      },
    });
  }
  return events;
}

/** The `order.completed` event of a committed order; ordered by its transactionId. */
export function orderCompletedEvent(data: OrderCompletedData, at: string): NewWebhookEvent {
  return { type: 'order.completed', orderingKey: data.transactionId, afterKey: null, iccid: null, createdAt: at, data };
}

/**
 * The JSON body of a delivery of `event` (what the outbox stores and every attempt sends, byte
 * for byte): `{id, type, createdAt, data}`, the shape the OpenAPI document shows under `webhooks`.
 * @param eventId the event's UUID, kept across retries and redeliveries.
 */
export function webhookEventBody(eventId: string, event: NewWebhookEvent): string {
  // The cast only joins `type` and `data` again: NewWebhookEvent already pairs them per type,
  // which TypeScript does not follow through the spread fields.
  const body = { id: eventId, type: event.type, createdAt: event.createdAt, data: event.data } as WebhookEventBody;
  return JSON.stringify(body);
}
