/**
 * Sandbox-only eSIM routes under `/v1/sandbox/`: `PUT /v1/sandbox/esims/{iccid}/data-usage`
 * and `POST /v1/sandbox/esims/{iccid}/events`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DataUsageRequest, DataUsageResponse, Esim } from '../../contract/esims.js';
import { NoQuery } from '../../contract/common.js';
import { LifecycleEventRequest } from '../../contract/lifecycle.js';
import { lifecycleRequestViolations } from '../../domain/lifecycle.js';
import { usageListViolations } from '../../domain/usage.js';
import { callerOf } from '../caller.js';
import type { SandboxService } from '../../service/sandbox.js';
import { limitPerMinute } from '../rate-limit.js';
import { responses } from '../responses.js';
import { IccidParams } from './esims.js';
import { STANDARD_LIMIT_PER_MINUTE, rateLimitText } from '../../contract/rate-limits.js';

export const sandboxRoutes: FastifyPluginAsyncTypebox<{ service: SandboxService }> = async (app, { service }) => {
  app.put(
    '/sandbox/esims/:iccid/data-usage',
    {
      config: { ...limitPerMinute(STANDARD_LIMIT_PER_MINUTE), bodyRules: (body) => usageListViolations(body) },
      schema: {
        operationId: 'configureDataUsage',
        tags: ['Sandbox'],
        summary: 'Configure data usage (sandbox only)',
        description:
          'Configures data usage for testing various usage scenarios. Only works with sandbox eSIMs. The list replaces the ' +
          "eSIM's whole daily list; totalDataUsage becomes its sum (KB) and lastUpdatedAt moves. Days are real calendar dates, " +
          'each at most once; usage is a string of decimal digits in KB (100MB = 102400KB), each day and the sum at most 2^53 - 1. ' +
          rateLimitText(STANDARD_LIMIT_PER_MINUTE),
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
      const esim = await service.setDataUsage(callerOf(request), request.params.iccid, request.body);
      return {
        message: 'Data usage updated successfully',
        iccid: esim.iccid,
        dataUsageDailyList: esim.dataUsageDailyList,
      };
    },
  );

  app.post(
    '/sandbox/esims/:iccid/events',
    {
      config: { ...limitPerMinute(STANDARD_LIMIT_PER_MINUTE), bodyRules: lifecycleRequestViolations },
      schema: {
        operationId: 'sendLifecycleEvent',
        tags: ['Sandbox'],
        summary: 'Drive the eSIM lifecycle (sandbox only)',
        description:
          'Makes something happen to an eSIM that production only reports: the end user downloads or installs the profile, the ' +
          'installation fails, a device first connects, the provider terminates the line. Each event changes exactly the fields ' +
          'tied to it (see `event`) and answers the updated eSIM; lastUpdatedAt takes the event time. States: READY -> ' +
          'DOWNLOADED -> INSTALLED -> ACTIVATED (first connect), READY/DOWNLOADED -> CONFIRMATION_FAILED (install_failed), any ' +
          'of them -> TERMINATED (terminate). An event the current state does not allow answers 409 INVALID_TRANSITION naming ' +
          'the state and the events allowed from it; connect on a SUSPENDED eSIM is refused the same way; no event applies to a ' +
          "TERMINATED eSIM (409 ESIM_TERMINATED). The eSIM is first brought up to date with the reseller's sandbox clock (expiry, " +
          'activation deadline). ' +
          rateLimitText(STANDARD_LIMIT_PER_MINUTE),
        querystring: NoQuery,
        params: IccidParams,
        body: LifecycleEventRequest,
        response: responses({
          status: 200,
          description: 'The eSIM after the event',
          schema: Esim,
          problems: [
            'ESIM_NOT_FOUND',
            'ESIM_TERMINATED',
            'INVALID_TRANSITION',
            'PAYLOAD_TOO_LARGE',
            'UNSUPPORTED_MEDIA_TYPE',
          ],
        }),
      },
    },
    async (request) => service.lifecycleEvent(callerOf(request), request.params.iccid, request.body),
  );
};
