/**
 * The shapes the console reads, taken from the server's TypeBox contract (type-only imports:
 * nothing of TypeBox reaches the bundle), so that a change of the contract breaks the
 * console's type check rather than the page.
 */
export type { DataPlan, PlanPage } from '../../src/contract/plans';
export type { Esim, OrderResponse, DataUsageDailyItem } from '../../src/contract/esims';
export type { EsimPage, OrderPage } from '../../src/contract/listings';
export type { EsimHistoryEntry, EsimHistoryPage } from '../../src/contract/history';
export type { WebhookEndpoint, WebhookDelivery, DeliveryPage } from '../../src/contract/webhooks';
export type { SandboxClock } from '../../src/contract/lifecycle';

/** A request log entry (GET /v1/sandbox/requests), as the shared interface of the request log gives it. */
export interface RequestLogEntry {
  id: string;
  requestId: string;
  receivedAt: string;
  sandboxTime: string | null;
  method: string;
  path: string;
  query: string | Record<string, unknown> | null;
  operationId: string | null;
  status: number;
  durationMs: number;
  idempotencyKey: string | null;
  idempotentReplayed: boolean;
  fault: string | null;
  problemCode: string | null;
  requestHeaders: Record<string, string | string[]>;
  requestBody?: unknown;
  responseHeaders: Record<string, string | string[]>;
  responseBody?: unknown;
  truncated: { request: boolean; response: boolean };
  iccids: string[];
  transactionId: string | null;
}

/** A page of the request log. */
export interface RequestLogPage {
  items: RequestLogEntry[];
  nextCursor: string | null;
}
