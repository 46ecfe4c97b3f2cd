/**
 * The request log, as a plugin of the /v1 scope: every request made with a valid API key is
 * recorded (errors, rate-limited and fault-injected ones included), except those of routes
 * whose config says `requestLog: false` (the log's own reads, the history, the listings, the
 * stream). What is recorded is what the server committed and meant to send: this scope onSend
 * takes the status, headers and body after `idempotency`'s (the response stored) and before
 * `fault-injection`'s route-level onSend drops, cuts or delays them.
 *
 * Recording costs the request a few property reads and one object in a queue: bodies are
 * kept as the text that was sent (parsed only when the log is read), and the batch writer
 * (src/service/request-log-writer.ts) stores entries off the request path. A dropped or
 * truncated response never reaches onResponse, so it is queued from onSend.
 *
 * Secrets: Authorization is kept as `Bearer …` and the key's last 4 characters; a webhook
 * signing secret (any `secret`, `apiKey`, `key` or `token` field) in a body reads "[redacted]".
 */
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import {
  iccidsOf,
  loggedBody,
  loggedHeaders,
  problemCodeOf,
  queryObject,
  redactSecrets,
  transactionIdOf,
} from '../../domain/request-log.js';
import type { RequestLogWriter } from '../../service/request-log-writer.js';
import { rawJsonBody } from '../json-parser.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** False for a route whose requests the request log leaves out (inspection reads). */
    requestLog?: boolean;
  }
}

export interface RequestLogPluginOptions {
  writer: RequestLogWriter;
  /** Real time (tests inject a clock). */
  now?: () => Date;
}

// What onSend saw, kept for onResponse (a symbol: most requests of other scopes never carry it).
const CAPTURED = Symbol('request-log-captured');
interface Captured {
  status: number;
  headers: Record<string, string>;
  body: string | null;
  contentType: string | undefined;
}
type WithCapture = { [CAPTURED]?: Captured | null };

const register: FastifyPluginCallback<RequestLogPluginOptions> = (scope, options, done) => {
  const { writer } = options;
  const now = options.now ?? (() => new Date());

  const record = (request: FastifyRequest, reply: FastifyReply, captured: Captured): void => {
    const raw = rawJsonBody(request);
    const requestText = raw === undefined ? undefined : redactSecrets(raw.toString('utf8'));
    const requestBody = loggedBody(requestText, request.body !== undefined);
    const responseBody = loggedBody(captured.body ?? undefined, captured.contentType?.includes('json') ?? false);
    const params = (request.params ?? {}) as { iccid?: string; transactionId?: string };
    const query = queryObject(request.url);
    const iccidList = iccidsOf(params.iccid, requestText, captured.body);
    const problemCode = problemCodeOf(captured.contentType, captured.body);
    const elapsedMs = reply.elapsedTime;
    const faultHeader = request.headers['sandbox-fault'];
    const honoured =
      typeof faultHeader === 'string' &&
      (request.sandboxFault !== null || problemCode?.startsWith('INJECTED_') === true);
    const named = params.transactionId ?? (typeof query.transactionId === 'string' ? query.transactionId : undefined);
    writer.add({
      reseller_id: request.reseller.id,
      request_id: request.id,
      received_at: new Date(now().getTime() - elapsedMs).toISOString(),
      method: request.method,
      path: request.url.split('?', 1)[0]!,
      query: JSON.stringify(query),
      operation_id: request.routeOptions.schema?.operationId ?? null,
      status: captured.status,
      duration_us: Math.round(elapsedMs * 1000),
      idempotency_key:
        typeof request.headers['idempotency-key'] === 'string' ? request.headers['idempotency-key'] : null,
      idempotent_replayed: captured.headers['idempotent-replayed'] === 'true' ? 1 : 0,
      fault: honoured ? faultHeader.trim() : null,
      problem_code: problemCode,
      request_headers: JSON.stringify(loggedHeaders(request.headers)),
      request_body: requestBody.text,
      request_body_json: requestBody.json ? 1 : 0,
      request_truncated: requestBody.truncated ? 1 : 0,
      response_headers: JSON.stringify(captured.headers),
      response_body: responseBody.text,
      response_body_json: responseBody.json ? 1 : 0,
      response_truncated: responseBody.truncated ? 1 : 0,
      iccids: JSON.stringify(iccidList),
      iccidList,
      transaction_id: transactionIdOf(named, captured.body),
    });
  };

  scope.addHook('onSend', (request, reply, payload, next) => {
    // No reseller: the request failed authentication (not recorded).
    if (!request.reseller || request.routeOptions.config.requestLog === false) return next();
    const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
    const contentType = reply.getHeader('content-type') as string | undefined;
    const captured: Captured = {
      status: reply.statusCode,
      headers: loggedHeaders(reply.getHeaders()),
      body: text === null ? null : redactSecrets(text),
      contentType,
    };
    const fault = request.sandboxFault?.kind;
    // Fault injection's onSend ends these without onResponse: recorded now, as committed.
    if (fault === 'drop-response' || fault === 'truncate-response') {
      (request as WithCapture)[CAPTURED] = null;
      record(request, reply, captured);
    } else (request as WithCapture)[CAPTURED] = captured;
    next();
  });

  scope.addHook('onResponse', (request, reply, next) => {
    const captured = (request as WithCapture)[CAPTURED];
    if (captured) {
      (request as WithCapture)[CAPTURED] = null;
      record(request, reply, captured);
    }
    next();
  });

  done();
};

/**
 * The `request-log` plugin (needs `auth`: the reseller; `fault-injection`: the fault honoured,
 * whose route-level onSend runs after this scope onSend; `idempotency`: its onSend, which
 * stores the response, runs before this one). Register it in the /v1 scope before the routes.
 */
export const requestLogPlugin = fp(register, {
  name: 'request-log',
  fastify: '5.x',
  dependencies: ['auth', 'fault-injection', 'idempotency'],
});
