/**
 * The console's only way to the sandbox: the typed client (`esim-commerce-sandbox/client`,
 * src/client) on the same origin, with the signed-in user's key as the bearer token, like the
 * CLI and the tests. Errors are the API's RFC 9457 problem details, thrown as `ApiError` so
 * that each page shows their `detail` (never swallowed).
 */
import { createSandboxClient, SandboxApiError, type SandboxClient } from '../../src/client/index';
import { apiKey } from './session';

/** One invalid field of a 400 problem (`errors[]`). */
export interface FieldError {
  path: string;
  message: string;
}

/** A problem answer of the API (or a network failure, status 0), as thrown by `call`. */
export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when no answer came. */
    readonly status: number,
    /** The problem's stable `code` (`VALIDATION_ERROR`, `UNAUTHORIZED`...); `NETWORK` when no answer came. */
    readonly code: string,
    /** The problem's `title`. */
    readonly title: string,
    /** The problem's `detail`: what the console shows. */
    readonly detail: string,
    /** `errors[]` of a validation problem. */
    readonly errors: FieldError[] = [],
    /** The request's X-Request-Id, to find it in the request log. */
    readonly requestId: string | null = null,
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

/** Options of `call`: another key than the signed-in one (at sign-in), a signal to abort the request. */
export interface CallOptions {
  key?: string;
  signal?: AbortSignal;
}

/**
 * A typed client for the signed-in key (or `options.key`). Its requests omit cookies and the
 * HTTP cache (every page shows the sandbox as it is now) and stop when `options.signal` aborts.
 */
export function sandbox(options: CallOptions = {}): SandboxClient {
  return createSandboxClient({
    baseUrl: location.origin,
    apiKey: options.key ?? apiKey() ?? '',
    fetch: (input: RequestInfo | URL, init?: RequestInit) =>
      fetch(input, { ...init, credentials: 'omit', cache: 'no-store', signal: options.signal ?? init?.signal ?? null }),
  });
}

/**
 * Runs `request` on a client for the key and returns its answer.
 * @example const clock = await call((sandbox) => sandbox.getClock(), { signal });
 * @throws ApiError with the problem's fields on a non-2xx answer; status 0 and code NETWORK
 *   when the sandbox did not answer (stopped, unreachable). An abort's DOMException as is.
 */
export async function call<T>(request: (client: SandboxClient) => Promise<T>, options: CallOptions = {}): Promise<T> {
  try {
    return await request(sandbox(options));
  } catch (error) {
    throw asApiError(error);
  }
}

/** The console's form of what the typed client or fetch threw. */
export function asApiError(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  if (error instanceof DOMException && error.name === 'AbortError') return error;
  if (error instanceof SandboxApiError) {
    const problem = error.problem;
    return new ApiError(
      error.status,
      error.code,
      problem?.title ?? `HTTP ${error.status}`,
      error.detail,
      Array.isArray(problem?.errors) ? problem.errors : [],
      problem?.requestId ?? null,
    );
  }
  return new ApiError(0, 'NETWORK', 'No answer', `the sandbox did not answer (${String(error)}): is it running?`);
}

/** `query` without its empty values: an unset form field ('') is no filter, not an empty one. */
export function compact<T extends Record<string, unknown>>(query: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(query).filter(([, value]) => value !== undefined && value !== null && value !== ''),
  ) as Partial<T>;
}
