/** `POST /v1/orders` and `GET /v1/orders/{transactionId}`: ordering and reconciliation. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { OrderIccids, OrderRequest, OrderResponse, TransactionIdParams } from '../../contract/esims.js';
import { NoQuery } from '../../contract/common.js';
import { IdempotencyKeyHeaders } from '../../contract/idempotency.js';
import { IDEMPOTENT } from '../plugins/idempotency.js';
import { callerOf } from '../caller.js';
import type { SandboxService } from '../../service/sandbox.js';
import { limitPerMinute } from '../rate-limit.js';
import { responses } from '../responses.js';
import { STRICT_LIMIT_PER_MINUTE, rateLimitText } from '../../contract/rate-limits.js';

export const orderRoutes: FastifyPluginAsyncTypebox<{ service: SandboxService }> = async (app, { service }) => {
  app.post(
    '/orders',
    {
      config: { ...limitPerMinute(STRICT_LIMIT_PER_MINUTE), ...IDEMPOTENT },
      schema: {
        operationId: 'orderEsims',
        tags: ['Orders'],
        summary: 'Order eSIMs',
        description:
          'Simulates new eSIM order for the reseller. The quantity parameter specifies the number of eSIMs to order (1-1000). ' +
          'Different ICCIDs are allocated per request. The order is all or nothing: one transaction allocates every eSIM. ' +
          'Send an Idempotency-Key to retry safely after a lost response: the same key and body within 24 hours replay the first ' +
          'response (same transactionId and ICCIDs, Idempotent-Replayed: true) and allocate nothing. ' +
          rateLimitText(STRICT_LIMIT_PER_MINUTE),
        querystring: NoQuery,
        headers: IdempotencyKeyHeaders,
        body: OrderRequest,
        response: responses({
          status: 201,
          description: 'The order and its new eSIMs',
          schema: OrderResponse,
          problems: ['PLAN_NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
          idempotent: true,
        }),
      },
    },
    async (request, reply) => {
      const order = await service.placeOrder(callerOf(request), request.body.planCode, request.body.quantity);
      return reply.code(201).send(order);
    },
  );

  app.get(
    '/orders/:transactionId',
    {
      config: limitPerMinute(STRICT_LIMIT_PER_MINUTE),
      schema: {
        operationId: 'getOrderIccids',
        tags: ['Orders'],
        summary: "List an order's ICCIDs (reconciliation)",
        description:
          'Simulates returning the list of ICCIDs associated with the given transactionId. Use the transactionId returned from ' +
          'the Order eSIM API response. Intended for emergency reconciliation when the normal response could not be retrieved. ' +
          rateLimitText(STRICT_LIMIT_PER_MINUTE),
        querystring: NoQuery,
        params: TransactionIdParams,
        response: responses({
          status: 200,
          description: "The order's ICCIDs, in the order of the original response",
          schema: OrderIccids,
          problems: ['ORDER_NOT_FOUND'],
        }),
      },
    },
    async (request) => service.orderIccids(callerOf(request), request.params.transactionId),
  );
};
