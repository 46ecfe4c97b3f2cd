/**
 * Inspection reads under `/v1/sandbox/` (DESIGN.md section 3, Seeing and managing a
 * sandbox): an eSIM's history and the listings of the reseller's orders and eSIMs. Sandbox
 * reads that the production contract does not have; limited generously, so that a console
 * or a test polling for a change is never throttled.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EsimHistoryPage, HistoryQuery } from '../../contract/history.js';
import { EsimListQuery, EsimPage, OrderListQuery, OrderPage } from '../../contract/listings.js';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../../contract/pagination.js';
import type { SandboxService } from '../../service/sandbox.js';
import { callerOf } from '../caller.js';
import { limitPerMinute } from '../rate-limit.js';
import { responses } from '../responses.js';
import { IccidParams } from './esims.js';

/** Requests per minute per API key of each inspection read. */
export const INSPECTION_LIMIT_PER_MINUTE = 600;

const PAGING =
  'Cursor pagination: pass the `nextCursor` of a page as `cursor` to read the next one (null on the last page); a page never ' +
  'repeats or skips an entry while new ones arrive. A cursor answers 400 at query.cursor with another listing, API key or filter set.';
const LIMIT = `Rate limit: ${INSPECTION_LIMIT_PER_MINUTE} requests per minute.`;

export const inspectionRoutes: FastifyPluginAsyncTypebox<{ service: SandboxService }> = async (app, { service }) => {
  app.get(
    '/sandbox/esims/:iccid/history',
    {
      config: { ...limitPerMinute(INSPECTION_LIMIT_PER_MINUTE), requestLog: false },
      schema: {
        operationId: 'getEsimHistory',
        tags: ['Inspection'],
        summary: "Read an eSIM's history (sandbox only)",
        description:
          'Every change of the eSIM, oldest first, from its creation by the order: when it took effect on the sandbox clock (`at`) ' +
          'and in real time (`recordedAt`), what caused it (order, emergency control, a lifecycle event, a data-usage update, or ' +
          'a rule of the sandbox clock: expiry or activation deadline), the request that made it (`requestId`, the X-Request-Id), ' +
          'each field it changed with its value before and after, and the webhook deliveries it queued. A retry that changes ' +
          'nothing (suspending a SUSPENDED eSIM, the same usage list again) adds no entry. The eSIM is first read as GET ' +
          `/v1/esims/{iccid} reads it: a clock rule due is stored, with this request's id. ${PAGING} Default limit ${MAX_PAGE_LIMIT}. ${LIMIT}`,
        querystring: HistoryQuery,
        params: IccidParams,
        response: responses({
          status: 200,
          description: "A page of the eSIM's history, oldest first",
          schema: EsimHistoryPage,
          problems: ['ESIM_NOT_FOUND'],
        }),
      },
    },
    async (request) => {
      const { limit = MAX_PAGE_LIMIT, cursor } = request.query;
      return service.esimHistory(callerOf(request), request.params.iccid, { limit, cursor });
    },
  );

  app.get(
    '/sandbox/orders',
    {
      config: { ...limitPerMinute(INSPECTION_LIMIT_PER_MINUTE), requestLog: false },
      schema: {
        operationId: 'listSandboxOrders',
        tags: ['Inspection'],
        summary: 'List orders (sandbox only)',
        description:
          "The reseller's orders, newest first: transactionId, planCode, quantity, when each was placed (`createdAt`, sandbox clock) " +
          `and the X-Request-Id of the request that placed it. An idempotent replay places no order. ${PAGING} ` +
          `Default limit ${DEFAULT_PAGE_LIMIT}. ${LIMIT}`,
        querystring: OrderListQuery,
        response: responses({ status: 200, description: 'A page of orders, newest first', schema: OrderPage }),
      },
    },
    async (request) => {
      const { limit = DEFAULT_PAGE_LIMIT, cursor } = request.query;
      return service.listOrders(callerOf(request), { limit, cursor });
    },
  );

  app.get(
    '/sandbox/esims',
    {
      config: { ...limitPerMinute(INSPECTION_LIMIT_PER_MINUTE), requestLog: false },
      schema: {
        operationId: 'listSandboxEsims',
        tags: ['Inspection'],
        summary: 'List eSIMs (sandbox only)',
        description:
          "The reseller's eSIMs, newest first (the order they were issued in, reversed), each exactly as GET /v1/esims/{iccid} " +
          'shows it. Filters (all must match): transactionId, planCode, contractStatus, profileProvisionStatus, ' +
          "profileInstallStatus. The sandbox clock's due rules (expiry, activation deadline) are applied and stored as a status " +
          'read applies them, before the contractStatus and profileProvisionStatus filters look, so the filters see what a status ' +
          `read would. ${PAGING} Default limit ${DEFAULT_PAGE_LIMIT}. ${LIMIT}`,
        querystring: EsimListQuery,
        response: responses({ status: 200, description: 'A page of eSIMs, newest first', schema: EsimPage }),
      },
    },
    async (request) => {
      const { limit = DEFAULT_PAGE_LIMIT, cursor, ...filter } = request.query;
      return service.listEsims(callerOf(request), filter, { limit, cursor });
    },
  );
};
