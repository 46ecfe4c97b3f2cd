/**
 * The stable problem codes of the contract (DESIGN.md section 2, Errors), each with its HTTP
 * status and the `title` of its RFC 9457 problem: the one list the error handler, the route
 * response declarations and the OpenAPI document's text are built from.
 */

/** Status and title of each problem code, in status order. */
export const PROBLEM_CODES = {
  VALIDATION_ERROR: { status: 400, title: 'Validation error' },
  UNAUTHORIZED: { status: 401, title: 'Unauthorized' },
  PLAN_NOT_FOUND: { status: 404, title: 'Plan not found' },
  ESIM_NOT_FOUND: { status: 404, title: 'eSIM not found' },
  ORDER_NOT_FOUND: { status: 404, title: 'Order not found' },
  WEBHOOK_NOT_FOUND: { status: 404, title: 'Webhook endpoint not found' },
  DELIVERY_NOT_FOUND: { status: 404, title: 'Webhook delivery not found' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  // A method the path does not serve (RFC 9110 section 15.5.6), with `Allow`.
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  ESIM_TERMINATED: { status: 409, title: 'eSIM terminated' },
  INVALID_TRANSITION: { status: 409, title: 'Invalid lifecycle transition' },
  IDEMPOTENCY_KEY_IN_USE: { status: 409, title: 'Idempotency key in use' },
  WEBHOOK_NOT_REGISTERED: { status: 409, title: 'No webhook endpoint registered' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  // Answered by the protocol guards (src/http/protocol-guards.ts): an Expect other than 100-continue.
  EXPECTATION_FAILED: { status: 417, title: 'Expectation failed' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Idempotency key reused' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  // Node's header limit (RFC 6585 section 5), answered by the client-error handler.
  REQUEST_HEADERS_TOO_LARGE: { status: 431, title: 'Request header fields too large' },
  INTERNAL: { status: 500, title: 'Internal server error' },
  NOT_READY: { status: 503, title: 'Service unavailable' },
  // The answers of `Sandbox-Fault: error=<status>`: codes of their own, named after the RFC
  // 9110 reason phrase, so that a client (and its logs) can tell a rehearsed failure from a
  // real one (INTERNAL, NOT_READY).
  INJECTED_INTERNAL_ERROR: { status: 500, title: 'Internal server error (injected)' },
  INJECTED_BAD_GATEWAY: { status: 502, title: 'Bad gateway (injected)' },
  INJECTED_SERVICE_UNAVAILABLE: { status: 503, title: 'Service unavailable (injected)' },
  INJECTED_GATEWAY_TIMEOUT: { status: 504, title: 'Gateway timeout (injected)' },
} as const satisfies Record<string, { status: number; title: string }>;

/** A stable problem code: `VALIDATION_ERROR`, `ESIM_NOT_FOUND`, ... */
export type ProblemCode = keyof typeof PROBLEM_CODES;

/** The codes of the `Sandbox-Fault: error=<status>` answers. */
export type InjectedProblemCode = Extract<ProblemCode, `INJECTED_${string}`>;

/** Every code, in the table's order. */
export const ALL_PROBLEM_CODES = Object.keys(PROBLEM_CODES) as ProblemCode[];

/**
 * The codes as text, grouped by status: `VALIDATION_ERROR (400), UNAUTHORIZED (401),
 * PLAN_NOT_FOUND / ESIM_NOT_FOUND / ... (404), ...`, for the document's descriptions.
 */
export function problemCodesText(): string {
  const byStatus = new Map<number, string[]>();
  for (const code of ALL_PROBLEM_CODES) {
    const { status } = PROBLEM_CODES[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return [...byStatus]
    .sort(([a], [b]) => a - b)
    .map(([status, codes]) => `${codes.join(' / ')} (${status})`)
    .join(', ');
}
