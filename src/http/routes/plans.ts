/** `GET /v1/plans`: the seed reference's plan list. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PlanPage, PlanQuery } from '../../contract/plans.js';
import type { SandboxService } from '../../service/sandbox.js';
import { limitPerMinute } from '../rate-limit.js';
import { responses } from '../responses.js';
import { STANDARD_LIMIT_PER_MINUTE, rateLimitText } from '../../contract/rate-limits.js';

// Distinct queries whose serialized page is kept; the oldest goes first when full.
const PAGE_CACHE_LIMIT = 1000;

export const planRoutes: FastifyPluginAsyncTypebox<{ service: SandboxService }> = async (app, { service }) => {
  // The catalogue only changes with a restart, so a page's JSON is the same for every call
  // with the same query: serialize it once. Keys are the validated, defaulted query values.
  const pages = new Map<string, string>();

  app.get(
    '/plans',
    {
      config: limitPerMinute(STANDARD_LIMIT_PER_MINUTE),
      schema: {
        operationId: 'listPlans',
        tags: ['Plans'],
        summary: 'List data plans',
        description:
          'Returns a paginated list of data plans available for the reseller. Optionally filter by country code ' +
          '(ISO 3166-1 alpha-2, 2 uppercase letters) and provider code. Items are ordered by planCode; a page past the end ' +
          'answers an empty `items` with true `meta`. ' +
          rateLimitText(STANDARD_LIMIT_PER_MINUTE),
        querystring: PlanQuery,
        response: responses({ status: 200, description: 'One page of data plans', schema: PlanPage }),
      },
    },
    async (request, reply) => {
      const { countryCode, providerCode, includeRoaming = false, page = 1, limit = 10 } = request.query;
      const key = `${countryCode ?? ''}|${providerCode ?? ''}|${includeRoaming}|${page}|${limit}`;
      let json = pages.get(key);
      if (json === undefined) {
        const serialize = reply.getSerializationFunction('200', 'application/json') as (page: PlanPage) => string;
        json = serialize(service.listPlans({ countryCode, providerCode, includeRoaming }, page, limit));
        if (pages.size >= PAGE_CACHE_LIMIT) pages.delete(pages.keys().next().value as string);
        pages.set(key, json);
      }
      return reply.type('application/json; charset=utf-8').send(json);
    },
  );
};
