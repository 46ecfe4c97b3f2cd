/**
 * The reseller's sandbox clock under `/v1/sandbox/clock`: read it, move it forward, put it
 * back to real time. Every answer is the clock, `{now, offsetSeconds}` (DESIGN.md section 3).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NoQuery } from '../../contract/common.js';
import { ClockAdvanceRequest, SandboxClock } from '../../contract/lifecycle.js';
import { clockMoveViolations } from '../../domain/clock.js';
import { callerOf } from '../caller.js';
import type { SandboxService } from '../../service/sandbox.js';
import { refuseBody } from '../no-body.js';
import { limitPerMinute } from '../rate-limit.js';
import { responses } from '../responses.js';
import { STANDARD_LIMIT_PER_MINUTE, rateLimitText } from '../../contract/rate-limits.js';

const FOLLOWS_THE_CLOCK =
  'Everything time-based for this reseller follows its clock: order times and activationDeadline, event defaults, ' +
  'lastUpdatedAt, the day after expiresOn (Japan time: TERMINATED, terminatedOn = expiresOn + 1) and the activation deadline ' +
  "(never installed: TERMINATED, profile CANCELED). Other resellers' clocks never move.";

export const clockRoutes: FastifyPluginAsyncTypebox<{ service: SandboxService }> = async (app, { service }) => {
  app.get(
    '/sandbox/clock',
    {
      config: limitPerMinute(STANDARD_LIMIT_PER_MINUTE),
      schema: {
        operationId: 'getSandboxClock',
        tags: ['Sandbox'],
        summary: 'Read the sandbox clock (sandbox only)',
        description: `The reseller's sandbox time: real time plus the offset its advances added. ${FOLLOWS_THE_CLOCK} ${rateLimitText(STANDARD_LIMIT_PER_MINUTE)}`,
        querystring: NoQuery,
        response: responses({ status: 200, description: "The reseller's sandbox clock", schema: SandboxClock }),
      },
    },
    async (request) => service.clock(callerOf(request)),
  );

  app.post(
    '/sandbox/clock/advance',
    {
      config: { ...limitPerMinute(STANDARD_LIMIT_PER_MINUTE), bodyRules: clockMoveViolations },
      schema: {
        operationId: 'advanceSandboxClock',
        tags: ['Sandbox'],
        summary: 'Move the sandbox clock forward (sandbox only)',
        description:
          "Moves the reseller's clock forward by `days` and `hours` (whole numbers; at least 1 hour and at most 400 days a call; " +
          'at most 100 years ahead of real time in all). It only moves forward: reset puts it back. A read after advancing shows ' +
          `what the clock changed at once, and the change is stored: a later reset does not undo it. ${FOLLOWS_THE_CLOCK} ` +
          rateLimitText(STANDARD_LIMIT_PER_MINUTE),
        querystring: NoQuery,
        body: ClockAdvanceRequest,
        response: responses({
          status: 200,
          description: 'The clock after the move',
          schema: SandboxClock,
          problems: ['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
        }),
      },
    },
    async (request) => service.advanceClock(callerOf(request), request.body),
  );

  app.post(
    '/sandbox/clock/reset',
    {
      config: limitPerMinute(STANDARD_LIMIT_PER_MINUTE),
      schema: {
        operationId: 'resetSandboxClock',
        tags: ['Sandbox'],
        summary: 'Put the sandbox clock back to real time (sandbox only)',
        description:
          "Sets the reseller's clock offset back to 0. Takes no body (or an empty JSON object). What the clock already changed " +
          '(eSIMs it expired or terminated, and were seen so) stays changed. ' +
          rateLimitText(STANDARD_LIMIT_PER_MINUTE),
        querystring: NoQuery,
        response: responses({
          status: 200,
          description: 'The clock, back at real time',
          schema: SandboxClock,
          problems: ['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
        }),
      },
    },
    async (request) => {
      refuseBody(request.body, 'reset');
      return service.resetClock(callerOf(request));
    },
  );
};
