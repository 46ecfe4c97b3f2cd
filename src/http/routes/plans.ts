/** `GET /v1/plans`: the seed reference's plan list. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PlanPage, PlanQuery } from '../../contract/plans.js';
import type { SandboxService } from '../../service/sandbox.js';
import { limitPerMinute } from '../rate-limit.js';
import { responses } from '../responses.js';

export const planRoutes: FastifyPluginAsyncTypebox<{ service: SandboxService }> = async (app, { service }) => {
  app.get(
    '/plans',
    {
      config: limitPerMinute(60),
      schema: {
        operationId: 'listPlans',
        tags: ['Plans'],
        summary: 'List data plans',
        description:
          'Returns a paginated list of data plans available for the reseller. Optionally filter by country code ' +
          '(ISO 3166-1 alpha-2, 2 uppercase letters) and provider code. Items are ordered by planCode; a page past the end ' +
          'answers an empty `items` with true `meta`. Rate limit: 60 requests per minute.',
        querystring: PlanQuery,
        response: responses({ status: 200, description: 'One page of data plans', schema: PlanPage }),
      },
    },
    async (request) => {
      const { countryCode, providerCode, includeRoaming, page = 1, limit = 10 } = request.query;
      return service.listPlans({ countryCode, providerCode, includeRoaming }, page, limit);
    },
  );
};
