/**
 * The request log's reads under `/v1/sandbox/requests` (DESIGN.md section 3, Seeing and
 * managing a sandbox): a reseller's requests, newest first, with the answers they got. Not
 * recorded themselves (`requestLog: false`), and limited as the other inspection reads.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NoQuery } from '../../contract/common.js';
import { DEFAULT_PAGE_LIMIT } from '../../contract/pagination.js';
import { RequestLogEntry, RequestLogIdParams, RequestLogPage, RequestLogQuery } from '../../contract/request-log.js';
import type { RequestLogService } from '../../service/request-log.js';
import { callerOf } from '../caller.js';
import { HttpProblem } from '../problem.js';
import { limitPerMinute } from '../rate-limit.js';
import { responses } from '../responses.js';
import { INSPECTION_LIMIT_PER_MINUTE } from './inspection.js';

const RECORDED =
  'Every request made with a valid API key under /v1 is recorded (errors, rate-limited and fault-injected ones included), ' +
  'except the inspection reads (this log, eSIM histories, the listings, the stream). An entry is readable within a second ' +
  'of its response, from every instance sharing the database. Kept: the newest REQUEST_LOG_LIMIT entries (default 1000) ' +
  'and none older than REQUEST_LOG_DAYS real days (default 7). Bodies: the JSON value when JSON and at most 16 KiB, else ' +
  'the first 16 KiB as text with `truncated` set. Authorization is kept as `Bearer …` and the last 4 characters of the key; ' +
  'a webhook signing secret reads "[redacted]".';

export const requestLogRoutes: FastifyPluginAsyncTypebox<{ requestLog: RequestLogService }> = async (
  app,
  { requestLog },
) => {
  const config = { ...limitPerMinute(INSPECTION_LIMIT_PER_MINUTE), requestLog: false };

  app.get(
    '/sandbox/requests',
    {
      config,
      schema: {
        operationId: 'listSandboxRequests',
        tags: ['Inspection'],
        summary: 'List the requests you made (sandbox only)',
        description:
          `The reseller's requests, newest first, each with what the sandbox answered. ${RECORDED} Filters (all must match): ` +
          'method, operationId, status (a code such as `429` or a class such as `4xx`), iccid (named or produced), transactionId ' +
          "(created or read), requestId, idempotencyKey, since (receivedAt at or after it). Cursor pagination: pass a page's " +
          '`nextCursor` as `cursor` (null on the last page); a page never repeats or skips an entry while new ones arrive. ' +
          `Default limit ${DEFAULT_PAGE_LIMIT}. Rate limit: ${INSPECTION_LIMIT_PER_MINUTE} requests per minute.`,
        querystring: RequestLogQuery,
        response: responses({ status: 200, description: 'A page of entries, newest first', schema: RequestLogPage }),
      },
    },
    async (request) => {
      const { limit = DEFAULT_PAGE_LIMIT, cursor, ...filter } = request.query;
      return requestLog.list(callerOf(request), filter, { limit, cursor });
    },
  );

  app.get(
    '/sandbox/requests/:id',
    {
      config,
      schema: {
        operationId: 'getSandboxRequest',
        tags: ['Inspection'],
        summary: 'Read one request you made (sandbox only)',
        description:
          `One entry of the request log by its id. Another reseller's entry, an unknown id and an entry past retention answer ` +
          `404 NOT_FOUND alike. ${RECORDED} Rate limit: ${INSPECTION_LIMIT_PER_MINUTE} requests per minute.`,
        querystring: NoQuery,
        params: RequestLogIdParams,
        response: responses({
          status: 200,
          description: 'The entry',
          schema: RequestLogEntry,
          problems: ['NOT_FOUND'],
        }),
      },
    },
    async (request) => {
      const entry = await requestLog.find(callerOf(request), Number(request.params.id));
      if (!entry) throw new HttpProblem('NOT_FOUND', `no request log entry ${request.params.id} for this API key`);
      return entry;
    },
  );
};
