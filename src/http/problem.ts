/**
 * RFC 9457 problem details: the one error format of the API (DESIGN.md section 2, Errors).
 * Maps every failure (validation, domain refusal, Fastify's own errors, rate limiting,
 * anything unexpected) to `{type, title, status, detail, code, requestId, errors?}` served
 * as `application/problem+json`. A 500 never carries a stack trace or internal message.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Problem } from '../contract/common.js';
import { PROBLEM_CODES, type InjectedProblemCode, type ProblemCode } from '../contract/problem-codes.js';
import { DomainError, type FieldViolation } from '../domain/errors.js';
import type { InjectableStatus } from '../domain/faults.js';
import { requestViolations, toViolations } from './validation.js';

export type { InjectedProblemCode, ProblemCode } from '../contract/problem-codes.js';

/** The problem code of each `error=<status>`. */
export const INJECTED_PROBLEMS: Record<InjectableStatus, InjectedProblemCode> = {
  500: 'INJECTED_INTERNAL_ERROR',
  502: 'INJECTED_BAD_GATEWAY',
  503: 'INJECTED_SERVICE_UNAVAILABLE',
  504: 'INJECTED_GATEWAY_TIMEOUT',
};

/** HTTP status of a problem code. */
export function statusOf(code: ProblemCode): number {
  return PROBLEM_CODES[code].status;
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
  const { status, title } = PROBLEM_CODES[code];
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
