/** Sandbox-only routes under `/v1/sandbox/`: `PUT /v1/sandbox/esims/{iccid}/data-usage`. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DataUsageRequest, DataUsageResponse } from '../../contract/esims.js';
import { NoQuery } from '../../contract/common.js';
import { usageListViolations } from '../../domain/usage.js';
import type { SandboxService } from '../../service/sandbox.js';
import { limitPerMinute } from '../rate-limit.js';
import { responses } from '../responses.js';
import { IccidParams } from './esims.js';

export const sandboxRoutes: FastifyPluginAsyncTypebox<{ service: SandboxService }> = async (app, { service }) => {
  app.put(
    '/sandbox/esims/:iccid/data-usage',
    {
      config: { ...limitPerMinute(60), bodyRules: (body) => usageListViolations(body) },
      schema: {
        operationId: 'configureDataUsage',
        tags: ['Sandbox'],
        summary: 'Configure data usage (sandbox only)',
        description:
          'Configures data usage for testing various usage scenarios. Only works with sandbox eSIMs. The list replaces the ' +
          "eSIM's whole daily list; totalDataUsage becomes its sum (KB) and lastUpdatedAt moves. Days are real calendar dates, " +
          'each at most once; usage is a string of decimal digits in KB (100MB = 102400KB), each day and the sum at most 2^53 - 1. ' +
          'Rate limit: 60 requests per minute.',
        querystring: NoQuery,
        params: IccidParams,
        body: DataUsageRequest,
        response: responses({
          status: 200,
          description: 'The configured list, by day',
          schema: DataUsageResponse,
          problems: ['ESIM_NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
        }),
      },
    },
    async (request) => {
      const esim = await service.setDataUsage(request.reseller.id, request.params.iccid, request.body);
      return { message: 'Data usage updated successfully', iccid: esim.iccid, dataUsageDailyList: esim.dataUsageDailyList };
    },
  );
};
