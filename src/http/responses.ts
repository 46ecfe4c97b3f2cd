/**
 * Response declarations shared by the routes: the success body with its rate-limit headers,
 * and the problem responses each operation can give. They feed both the serializer and the
 * OpenAPI document.
 */
import { Type, type TSchema } from 'typebox';
import { rateLimitHeaders } from '../contract/common.js';
import { idempotentReplayedHeader } from '../contract/idempotency.js';
import { INJECTED_PROBLEMS, statusOf, type ProblemCode } from './problem.js';

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Validation error (VALIDATION_ERROR): `errors` names each invalid field and the rule it broke.',
  401: 'Missing or unknown API key (UNAUTHORIZED). Carries `WWW-Authenticate: Bearer`.',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'Body over 1 MiB (PAYLOAD_TOO_LARGE)',
  415: 'Body is not application/json (UNSUPPORTED_MEDIA_TYPE)',
  422: 'The Idempotency-Key was used with a different request (IDEMPOTENCY_KEY_REUSED): another method, path or body. Use a new key for a new request.',
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
  'Retry-After': {
    type: 'integer',
    description: 'Seconds to wait before retrying (RFC 9110 delay-seconds): always 1 for an injected 503',
    examples: [1],
  },
};

// Every /v1 operation can be made to answer these with Sandbox-Fault: error=<status>.
const INJECTED_CODES = Object.values(INJECTED_PROBLEMS);

const retryInUse = {
  'Retry-After': {
    type: 'integer',
    description: 'With IDEMPOTENCY_KEY_IN_USE only: seconds to wait before retrying with the same Idempotency-Key',
    examples: [1],
  },
};

// Problems answered before an idempotent operation claims its key (body parsing): never
// stored, so never replayed. Neither are 400, 401 and 429 (before the claim too), 409
// IDEMPOTENCY_KEY_IN_USE and 422 (answers about the key), nor 500 (it releases the key).
const BEFORE_CLAIM: ReadonlySet<ProblemCode> = new Set(['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE']);

/** What an operation can answer: its success and the problem codes it may return. */
export interface ResponseSpec {
  status: number;
  description: string;
  /** The success body; none for a 204. */
  schema?: TSchema;
  /** Other success statuses with the same body (PUT: 201 created, 200 replaced). */
  alternatives?: { status: number; description: string }[];
  /** Problem codes beyond the ones every authenticated route has (400, 401, 429, 500, and the injected 500, 502, 503, 504). */
  problems?: ProblemCode[];
  /** Whether the route is rate-limited (adds the X-RateLimit-* headers). */
  limited?: boolean;
  /**
   * Whether the route takes an `Idempotency-Key`: adds 409 IDEMPOTENCY_KEY_IN_USE
   * (with `Retry-After`), 422 IDEMPOTENCY_KEY_REUSED, and `Idempotent-Replayed` on what can be replayed.
   */
  idempotent?: boolean;
  /** Whether `Sandbox-Fault` applies (every /v1 operation; not the admin API): adds the injected 500, 502, 503, 504. */
  faults?: boolean;
  /** The 401's description, when it is not about the reseller's API key (the admin token). */
  unauthorized?: string;
}

/** The Fastify `response` map of an authenticated, rate-limited operation. */
export function responses(spec: ResponseSpec): Record<number, unknown> {
  const limited = spec.limited ?? true;
  const headers = limited ? rateLimitHeaders : undefined;
  const idempotent = spec.idempotent ?? false;
  const keyProblems: ProblemCode[] = idempotent ? ['IDEMPOTENCY_KEY_IN_USE', 'IDEMPOTENCY_KEY_REUSED'] : [];
  const codes: ProblemCode[] = [
    'VALIDATION_ERROR',
    'UNAUTHORIZED',
    ...(spec.problems ?? []),
    ...keyProblems,
    ...(limited ? ['RATE_LIMITED' as const] : []),
    'INTERNAL',
    ...((spec.faults ?? true) ? INJECTED_CODES : []),
  ];
  const successHeaders = idempotent ? { ...headers, ...idempotentReplayedHeader } : headers;
  // The operation's own refusals (404, 409 ESIM_TERMINATED) are stored and replayed.
  const replayable = new Set((spec.problems ?? []).filter((code) => !BEFORE_CLAIM.has(code)).map(statusOf));
  const success = (description: string) => ({
    description,
    ...(successHeaders ? { headers: successHeaders } : {}),
    // @fastify/swagger documents `type: 'null'` as a response without content (a 204).
    ...(spec.schema ? { content: { 'application/json': { schema: spec.schema } } } : { type: 'null' }),
  });
  const result: Record<number, unknown> = { [spec.status]: success(spec.description) };
  for (const alternative of spec.alternatives ?? []) result[alternative.status] = success(alternative.description);
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of codes) byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
  for (const [status, list] of byStatus) {
    const described =
      status === 404 || status === 409
        ? `${PROBLEM_DESCRIPTIONS[status]} (${list.join(', ')})`
        : status === 401 && spec.unauthorized
          ? spec.unauthorized
          : status === 500 && !(spec.faults ?? true)
            ? 'Unexpected error (INTERNAL)'
            : PROBLEM_DESCRIPTIONS[status];
    const problemHeaders =
      status === 429
        ? { ...rateLimitHeaders, ...retryAfter }
        : status === 503
          ? { ...headers, ...injectedRetryAfter }
          : status === 401
            ? undefined
            : idempotent
              ? idempotentProblemHeaders(status, headers, replayable.has(status))
              : headers;
    result[status] = {
      description: described,
      ...(problemHeaders ? { headers: problemHeaders } : {}),
      content: { 'application/problem+json': { schema: ProblemRef } },
    };
  }
  return result;
}

/** The headers of an idempotent operation's problem response of `status`. */
function idempotentProblemHeaders(
  status: number,
  headers: Record<string, unknown> | undefined,
  replayable: boolean,
): Record<string, unknown> | undefined {
  const replayed = replayable ? idempotentReplayedHeader : {};
  const inUse = status === 409 ? retryInUse : {};
  const all = { ...headers, ...replayed, ...inUse };
  return Object.keys(all).length > 0 ? all : undefined;
}
