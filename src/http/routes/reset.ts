/**
 * `POST /v1/sandbox/reset`: the reseller empties its own sandbox between test runs, with its
 * own API key (docs/admin.md, Reset), without a restart or a new database.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ResetResponse } from '../../contract/admin.js';
import { NoQuery } from '../../contract/common.js';
import type { AdminService } from '../../service/admin.js';
import { refuseBody } from '../no-body.js';
import { limitPerMinute } from '../rate-limit.js';
import { responses } from '../responses.js';

/** Resets per minute per API key: enough for a reset before every test of a suite. */
export const RESET_LIMIT_PER_MINUTE = 120;

/**
 * `admin` runs the reset; `beforeReset`, when given, runs first (this instance's request log
 * writer draining its queue, so that no entry of a request made before the reset is written
 * after it).
 */
export const resetRoutes: FastifyPluginAsyncTypebox<{
  admin: AdminService;
  beforeReset?: () => Promise<void>;
}> = async (app, { admin, beforeReset }) => {
  app.post(
    '/sandbox/reset',
    {
      config: limitPerMinute(RESET_LIMIT_PER_MINUTE),
      schema: {
        operationId: 'resetSandbox',
        tags: ['Sandbox'],
        summary: "Delete the reseller's sandbox data (sandbox only)",
        description:
          "Deletes, in one transaction, the caller's orders, eSIMs, eSIM history, request log, idempotency keys, webhook " +
          'endpoint and deliveries (with their attempts), and puts its clock back to real time; answers the counts deleted. The ' +
          "reseller and its API keys stay; other resellers' data is untouched. ICCIDs go on from where they were: none is ever " +
          `issued twice, so an ICCID from before the reset answers 404. Takes no body (or {}). Rate limit: ${RESET_LIMIT_PER_MINUTE} requests per minute.`,
        querystring: NoQuery,
        response: responses({
          status: 200,
          description: 'What was deleted',
          schema: ResetResponse,
          problems: ['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
        }),
      },
    },
    async (request) => {
      refuseBody(request.body, 'reset');
      await beforeReset?.();
      return admin.reset(request.reseller.id);
    },
  );
};
