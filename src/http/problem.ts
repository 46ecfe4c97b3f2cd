/**
 * RFC 9457 problem details: the one error format of the API (DESIGN.md section 2, Errors).
 * Maps every failure (validation, domain refusal, Fastify's own errors, rate limiting,
 * anything unexpected) to `{type, title, status, detail, code, requestId, errors?}` served
 * as `application/problem+json`. A 500 never carries a stack trace or internal message.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Problem } from '../contract/common.js';
import { DomainError, type DomainErrorCode, type FieldViolation } from '../domain/errors.js';
import { requestViolations, toViolations } from './validation.js';

/** The stable problem codes of the contract. */
export type ProblemCode =
  | DomainErrorCode
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'REQUEST_HEADERS_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_KEY_IN_USE'
  | 'INTERNAL'
  | 'NOT_READY'
  | InjectedProblemCode;

/**
 * The answers of `Sandbox-Fault: error=<status>` (issue 6): codes of their own, named after
 * the RFC 9110 reason phrase, so that a client (and its logs) can tell a rehearsed failure
 * from a real one (INTERNAL, NOT_READY).
 */
export type InjectedProblemCode =
  'INJECTED_INTERNAL_ERROR' | 'INJECTED_BAD_GATEWAY' | 'INJECTED_SERVICE_UNAVAILABLE' | 'INJECTED_GATEWAY_TIMEOUT';

const PROBLEMS: Record<ProblemCode, { status: number; title: string }> = {
  VALIDATION_ERROR: { status: 400, title: 'Validation error' },
  UNAUTHORIZED: { status: 401, title: 'Unauthorized' },
  PLAN_NOT_FOUND: { status: 404, title: 'Plan not found' },
  ESIM_NOT_FOUND: { status: 404, title: 'eSIM not found' },
  ORDER_NOT_FOUND: { status: 404, title: 'Order not found' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  WEBHOOK_NOT_FOUND: { status: 404, title: 'Webhook endpoint not found' },
  DELIVERY_NOT_FOUND: { status: 404, title: 'Webhook delivery not found' },
  RESELLER_NOT_FOUND: { status: 404, title: 'Reseller not found' },
  API_KEY_NOT_FOUND: { status: 404, title: 'API key not found' },
  RESELLER_EXISTS: { status: 409, title: 'Reseller exists' },
  ESIM_TERMINATED: { status: 409, title: 'eSIM terminated' },
  INVALID_TRANSITION: { status: 409, title: 'Invalid lifecycle transition' },
  IDEMPOTENCY_KEY_IN_USE: { status: 409, title: 'Idempotency key in use' },
  WEBHOOK_NOT_REGISTERED: { status: 409, title: 'No webhook endpoint registered' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  // Answered by the client-error handler (src/http/client-error.ts): Node's header limit, RFC 6585 section 5.
  REQUEST_HEADERS_TOO_LARGE: { status: 431, title: 'Request header fields too large' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Idempotency key reused' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Internal server error' },
  NOT_READY: { status: 503, title: 'Service unavailable' },
  INJECTED_INTERNAL_ERROR: { status: 500, title: 'Internal server error (injected)' },
  INJECTED_BAD_GATEWAY: { status: 502, title: 'Bad gateway (injected)' },
  INJECTED_SERVICE_UNAVAILABLE: { status: 503, title: 'Service unavailable (injected)' },
  INJECTED_GATEWAY_TIMEOUT: { status: 504, title: 'Gateway timeout (injected)' },
};

/** HTTP status of a problem code. */
export function statusOf(code: ProblemCode): number {
  return PROBLEMS[code].status;
}

/** An error the HTTP layer raises with a contract code (401, 404 of routes, 429). */
export class HttpProblem extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpProblem';
  }
}

/** The problem `type` URI for a code: `urn:esim-sandbox:problem:validation-error`. */
export function problemType(code: ProblemCode): string {
  return `urn:esim-sandbox:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}

/** Builds the problem body for a code. */
export function problem(code: ProblemCode, detail: string, requestId: string, errors?: FieldViolation[]): Problem {
  const { status, title } = PROBLEMS[code];
  return { type: problemType(code), title, status, detail, code, requestId, ...(errors ? { errors } : {}) };
}

/** Sends a problem response. */
export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type('application/problem+json').send(body);
}

// Fastify's own error codes for what the client sent, and the contract code for each.
const FASTIFY_CODES: Record<string, ProblemCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_ERROR',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_ERROR',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION_ERROR',
};

/** Classifies any error thrown while handling a request. */
export function toProblem(error: FastifyError | Error, request: FastifyRequest): Problem {
  const requestId = request.id;
  if (error instanceof DomainError) {
    return problem(error.code, error.message, requestId, error.violations.length > 0 ? error.violations : undefined);
  }
  if (error instanceof HttpProblem) return problem(error.code, error.message, requestId);
  const fastifyError = error as FastifyError & { validationContext?: string };
  if (fastifyError.validation) {
    const all = requestViolations(request);
    const errors =
      all.length > 0 ? all : toViolations(fastifyError.validation as never, fastifyError.validationContext ?? 'body');
    return problem('VALIDATION_ERROR', errors.map((e) => `${e.path} ${e.message}`).join('; '), requestId, errors);
  }
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped === 'PAYLOAD_TOO_LARGE')
    return problem(mapped, 'the request body is larger than 1 MiB (1048576 bytes)', requestId);
  if (mapped === 'UNSUPPORTED_MEDIA_TYPE') {
    if (error.message.startsWith('Content-Encoding') || error.message.startsWith('Content-Type charset'))
      return problem(mapped, error.message, requestId);
    return problem(
      mapped,
      `the request body must be application/json, got ${request.headers['content-type'] ?? 'no Content-Type'}`,
      requestId,
    );
  }
  if (mapped === 'VALIDATION_ERROR' || error instanceof SyntaxError || fastifyError.statusCode === 400) {
    const detail = `the request body is not valid JSON: ${error.message}`;
    return problem('VALIDATION_ERROR', detail, requestId, [{ path: 'body', message: 'must be valid JSON' }]);
  }
  return problem('INTERNAL', 'an unexpected error occurred; quote the requestId when reporting it', requestId);
}

/**
 * Installs the error and not-found handlers. Unexpected errors are logged with their stack
 * (under the request id); the client sees only the problem.
 */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const body = toProblem(error, request);
    if (body.status >= 500) request.log.error({ err: error }, 'unexpected error');
    if (error instanceof HttpProblem) reply.headers(error.headers);
    return sendProblem(reply, body);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`, request.id)),
  );
}
