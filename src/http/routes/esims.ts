/** `GET /v1/esims/{iccid}` and `POST /v1/esims/{iccid}/emergency-control`. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { IccidParam, NoQuery } from '../../contract/common.js';
import { EmergencyControlRequest, Esim } from '../../contract/esims.js';
import { IdempotencyKeyHeaders } from '../../contract/idempotency.js';
import { IDEMPOTENT } from '../plugins/idempotency.js';
import { callerOf } from '../caller.js';
import type { SandboxService } from '../../service/sandbox.js';
import { limitPerMinute } from '../rate-limit.js';
import { responses } from '../responses.js';
import { STANDARD_LIMIT_PER_MINUTE, STRICT_LIMIT_PER_MINUTE, rateLimitText } from '../../contract/rate-limits.js';

/** Path of every per-eSIM route. */
export const IccidParams = Type.Object({ iccid: IccidParam }, { additionalProperties: false });

export const esimRoutes: FastifyPluginAsyncTypebox<{ service: SandboxService }> = async (app, { service }) => {
  app.get(
    '/esims/:iccid',
    {
      config: limitPerMinute(STANDARD_LIMIT_PER_MINUTE),
      schema: {
        operationId: 'getEsim',
        tags: ['eSIMs'],
        summary: 'Get eSIM status',
        description:
          'Simulates querying the current state of a specified eSIM (ICCID) from the MNO core system, returning mock contract and ' +
          'profile-download information. ' +
          rateLimitText(STANDARD_LIMIT_PER_MINUTE),
        querystring: NoQuery,
        params: IccidParams,
        response: responses({ status: 200, description: 'The eSIM', schema: Esim, problems: ['ESIM_NOT_FOUND'] }),
      },
    },
    async (request) => service.getEsim(callerOf(request), request.params.iccid),
  );

  app.post(
    '/esims/:iccid/emergency-control',
    {
      config: { ...limitPerMinute(STRICT_LIMIT_PER_MINUTE), ...IDEMPOTENT },
      schema: {
        operationId: 'emergencyControl',
        tags: ['eSIMs'],
        summary: 'Suspend or release an eSIM (emergency control)',
        description:
          "Simulates emergency suspension or release of an eSIM. Use 'suspend' to suspend the eSIM, or 'release' to lift the " +
          "suspension. The contract status (cmconMdlsts) will be updated to '03' (Suspended) or '01' (Active) accordingly. " +
          'Repeating the action already in force answers 200 and changes nothing (not even lastUpdatedAt), so retries are safe. ' +
          'Any action on a TERMINATED eSIM answers 409 ESIM_TERMINATED. With an Idempotency-Key, the same key, eSIM and body ' +
          'within 24 hours replay the first response (Idempotent-Replayed: true) without acting again. ' +
          rateLimitText(STRICT_LIMIT_PER_MINUTE),
        querystring: NoQuery,
        params: IccidParams,
        headers: IdempotencyKeyHeaders,
        body: EmergencyControlRequest,
        response: responses({
          status: 200,
          description: 'The eSIM after the action',
          schema: Esim,
          problems: ['ESIM_NOT_FOUND', 'ESIM_TERMINATED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
          idempotent: true,
        }),
      },
    },
    async (request) => service.emergencyControl(callerOf(request), request.params.iccid, request.body.action),
  );
};
