/**
 * The error the typed client throws when the sandbox answers with a problem (RFC 9457).
 * Browser-safe: no Node.js imports.
 */
import type { components } from './schema.js';

/** A problem details body as the sandbox sends it (docs/errors.md): the `Problem` of openapi.json. */
export type Problem = components['schemas']['Problem'];

/**
 * A non-2xx answer. `status` is the HTTP status; `code` and `detail` come from the problem
 * body, or are `HTTP_<status>` and the raw body when the answer is not a problem (a proxy's
 * HTML page, say); `problem` is the parsed body (null when it was not JSON).
 */
export class SandboxApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly problem: Problem | null;

  constructor(status: number, body: unknown) {
    const problem = isProblem(body) ? body : null;
    const code = problem?.code ?? `HTTP_${status}`;
    const detail = problem?.detail ?? (typeof body === 'string' ? body : JSON.stringify(body ?? null));
    super(`${status} ${code}: ${detail}`);
    this.name = 'SandboxApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.problem = problem;
  }
}

function isProblem(body: unknown): body is Problem {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as Problem).code === 'string' &&
    typeof (body as Problem).detail === 'string'
  );
}
