/**
 * The shapes the console reads, taken from the typed client's schema (src/client/schema.ts,
 * generated from openapi.json; type-only imports, nothing reaches the bundle), so that a
 * change of the API breaks the console's type check rather than the page.
 */
import type { components, operations } from '../../src/client/index';

type Schemas = components['schemas'];
type Json<O extends keyof operations, S extends number> =
  operations[O]['responses'] extends Record<S, { content: { 'application/json': infer T } }> ? T : never;

export type DataPlan = Schemas['DataPlan'];
export type PlanPage = Json<'listPlans', 200>;
export type Esim = Schemas['Esim'];
export type OrderResponse = Json<'orderEsims', 201>;
export type DataUsageDailyItem = Schemas['DataUsageDailyItem'];
export type EsimPage = Json<'listSandboxEsims', 200>;
export type OrderPage = Json<'listSandboxOrders', 200>;
export type EsimHistoryEntry = Schemas['EsimHistoryEntry'];
export type EsimHistoryPage = Json<'getEsimHistory', 200>;
export type WebhookEndpoint = Json<'getWebhook', 200>;
export type DeliveryPage = Json<'listWebhookDeliveries', 200>;
export type WebhookDelivery = DeliveryPage['items'][number];
export type SandboxClock = Json<'getSandboxClock', 200>;
export type RequestLogEntry = Json<'getSandboxRequest', 200>;
export type RequestLogPage = Json<'listSandboxRequests', 200>;
export type EsimQuery = NonNullable<operations['listSandboxEsims']['parameters']['query']>;
