/**
 * Response declarations shared by the routes: the success body with its rate-limit headers,
 * and the problem responses each operation can give. They feed both the serializer and the
 * OpenAPI document.
 */
import { Type, type TSchema } from 'typebox';
import { rateLimitHeaders } from '../contract/common.js';
import { INJECTED_PROBLEMS } from './faults.js';
import { statusOf, type ProblemCode } from './problem.js';

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Validation error (VALIDATION_ERROR): `errors` names each invalid field and the rule it broke.',
  401: 'Missing or unknown API key (UNAUTHORIZED). Carries `WWW-Authenticate: Bearer`.',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'Body over 1 MiB (PAYLOAD_TOO_LARGE)',
  415: 'Body is not application/json (UNSUPPORTED_MEDIA_TYPE)',
  429: 'Rate limit exceeded (RATE_LIMITED). Retry after `Retry-After` seconds.',
  500: 'Unexpected error (INTERNAL), or one injected with `Sandbox-Fault: error=500` (INJECTED_INTERNAL_ERROR)',
  502: 'Injected with `Sandbox-Fault: error=502` (INJECTED_BAD_GATEWAY): the request was not processed',
  503: 'Injected with `Sandbox-Fault: error=503` (INJECTED_SERVICE_UNAVAILABLE): the request was not processed; retry after `Retry-After` seconds',
  504: 'Injected with `Sandbox-Fault: error=504` (INJECTED_GATEWAY_TIMEOUT): the request was not processed',
};

/** The shared Problem schema (registered by `registerSharedSchemas`), by reference. */
export const ProblemRef = Type.Ref('Problem');

const retryAfter = {
  'Retry-After': { type: 'integer', description: 'Seconds to wait before the next request', examples: [45] },
};
const injectedRetryAfter = {
  'Retry-After': { type: 'integer', description: 'Seconds to wait before retrying (RFC 9110 delay-seconds): always 1 for an injected 503', examples: [1] },
};
// Every /v1 operation can be made to answer these with Sandbox-Fault: error=<status> (issue 6).
const INJECTED_CODES = Object.values(INJECTED_PROBLEMS);

/** What an operation can answer: its success and the problem codes it may return. */
export interface ResponseSpec {
  status: number;
  description: string;
  schema: TSchema;
  /** Problem codes beyond the ones every authenticated route has (400, 401, 429, 500, and the injected 500, 502, 503, 504). */
  problems?: ProblemCode[];
  /** Whether the route is rate-limited (adds the X-RateLimit-* headers). */
  limited?: boolean;
}

/** The Fastify `response` map of an authenticated, rate-limited operation. */
export function responses(spec: ResponseSpec): Record<number, unknown> {
  const limited = spec.limited ?? true;
  const headers = limited ? rateLimitHeaders : undefined;
  const codes: ProblemCode[] = ['VALIDATION_ERROR', 'UNAUTHORIZED', ...(spec.problems ?? []), ...(limited ? ['RATE_LIMITED' as const] : []), 'INTERNAL', ...INJECTED_CODES];
  const result: Record<number, unknown> = {
    [spec.status]: { description: spec.description, ...(headers ? { headers } : {}), content: { 'application/json': { schema: spec.schema } } },
  };
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of codes) byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
  for (const [status, list] of byStatus) {
    const described = status === 404 || status === 409 ? `${PROBLEM_DESCRIPTIONS[status]} (${list.join(', ')})` : PROBLEM_DESCRIPTIONS[status];
    const problemHeaders =
      status === 429 ? { ...rateLimitHeaders, ...retryAfter } : status === 503 ? { ...headers, ...injectedRetryAfter } : status === 401 ? undefined : headers;
    result[status] = {
      description: described,
      ...(problemHeaders ? { headers: problemHeaders } : {}),
      content: { 'application/problem+json': { schema: ProblemRef } },
    };
  }
  return result;
}
