/**
 * The bodies the outbox stores (built by the domain's event rules and `webhookEventBody`,
 * exactly as src/store/webhooks.ts writes them) validate against the `webhooks` schemas of
 * the served OpenAPI document. The e2e suite checks the same of what a receiver really gets.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { applyEmergencyAction, newEsim, withUsage } from '../../src/domain/esim.js';
import { toCatalogPlan } from '../../src/domain/plans.js';
import {
  esimChangeEvents,
  orderCompletedEvent,
  webhookEventBody,
  type NewWebhookEvent,
} from '../../src/domain/webhook-events.js';
import { renderOpenApi } from '../../src/scripts/render-openapi.js';
import { assertWebhookBodyMatchesContract, type OpenApiDocument } from '../helpers/contract.js';
import { makePlan } from '../unit/fixtures.js';

const EVENT_ID = '6f9619ff-8b86-4d01-b42d-00cf4fc964ff';
const ICCID = '8900000000000000011';
const orderedAt = new Date('2026-11-29T12:00:00.000Z');
const fresh = newEsim(toCatalogPlan(makePlan('KD0001', 'KDDI', ['JP', 'KR']), 'JP'), {
  iccid: ICCID,
  matchingId: 'K2F9Q-7ZJ4M-XW3TD-8HN6C',
  smdpAddress: 'smdp.sandbox.example',
  orderedAt,
});

let document: OpenApiDocument;
beforeAll(async () => {
  document = JSON.parse(await renderOpenApi()) as OpenApiDocument;
});

/** The events of an order, a suspension and a usage report, in the order they happen. */
function events(): NewWebhookEvent[] {
  const suspended = applyEmergencyAction(fresh, 'suspend', new Date('2026-11-29T13:00:00.000Z')).esim;
  const used = withUsage(suspended, [{ day: '2026-11-29', usage: '2048' }], 2048, new Date('2026-11-29T14:00:00.000Z'));
  return [
    orderCompletedEvent(
      { transactionId: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890', planCode: 'KD0001', quantity: 1, iccids: [ICCID] },
      orderedAt.toISOString(),
    ),
    ...esimChangeEvents(fresh, suspended, suspended.lastUpdatedAt),
    ...esimChangeEvents(suspended, used, used.lastUpdatedAt),
  ];
}

describe('webhook delivery bodies', () => {
  it('validate against the documented schema of their type, one of each type', () => {
    const built = events();
    expect(built.map((event) => event.type)).toEqual(['order.completed', 'esim.status_changed', 'esim.usage_updated']);
    for (const event of built)
      expect(
        () => assertWebhookBodyMatchesContract(document, event.type, webhookEventBody(EVENT_ID, event)),
        event.type,
      ).not.toThrow();
  });

  it('are refused by the schema of another type, or with a property the document does not declare', () => {
    const [order, status] = events() as [NewWebhookEvent, NewWebhookEvent];
    expect(() =>
      assertWebhookBodyMatchesContract(document, 'esim.status_changed', webhookEventBody(EVENT_ID, order)),
    ).toThrow(/body breaks the OpenAPI schema/);
    const extra = JSON.stringify({ ...(JSON.parse(webhookEventBody(EVENT_ID, status)) as object), extra: 1 });
    expect(() => assertWebhookBodyMatchesContract(document, 'esim.status_changed', extra)).toThrow(
      /additional properties/,
    );
    const stale = JSON.parse(webhookEventBody(EVENT_ID, status)) as { data: { esim: Record<string, unknown> } };
    delete stale.data.esim.lastUpdatedAt;
    expect(() => assertWebhookBodyMatchesContract(document, 'esim.status_changed', JSON.stringify(stale))).toThrow(
      /lastUpdatedAt/,
    );
  });
});
