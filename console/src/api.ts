/**
 * The console's only way to the sandbox: the public /v1 API on the same origin, with the
 * signed-in user's key as the bearer token. Errors are the API's RFC 9457 problem details,
 * thrown as `ApiError` so that each page shows their `detail` (never swallowed).
 */
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

/** A successful answer: the parsed JSON body (undefined for 204), status and headers. */
export interface ApiResponse<T> {
  data: T;
  status: number;
  headers: Headers;
}

/** Options of `call`: a query (undefined and '' values left out), a JSON body, a signal. */
export interface CallOptions {
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
  signal?: AbortSignal;
}

/** `/v1<path>?<query>`: the URL of an operation. */
export function v1Url(path: string, query: CallOptions['query'] = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const search = params.toString();
  return `/v1${path}${search ? `?${search}` : ''}`;
}

/** The Authorization header of the signed-in user (or of `key` when given, at sign-in). */
export function authHeaders(key: string | null = apiKey()): Record<string, string> {
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/**
 * Calls `method /v1<path>` with the key.
 * @throws ApiError with the problem's fields on a non-2xx answer; status 0 and code NETWORK
 *   when the sandbox did not answer (stopped, unreachable).
 */
export async function call<T>(
  method: string,
  path: string,
  options: CallOptions = {},
  key?: string,
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders(key ?? apiKey()) };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(v1Url(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'No answer', `the sandbox did not answer (${String(error)}): is it running?`);
  }
  const text = await response.text();
  let body: unknown = undefined;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (!response.ok) throw problemOf(response, body);
  return { data: body as T, status: response.status, headers: response.headers };
}

function problemOf(response: Response, body: unknown): ApiError {
  const requestId = response.headers.get('X-Request-Id');
  if (body !== null && typeof body === 'object' && 'detail' in body) {
    const problem = body as { code?: string; title?: string; detail?: string; errors?: FieldError[] };
    return new ApiError(
      response.status,
      problem.code ?? `HTTP_${response.status}`,
      problem.title ?? response.statusText,
      problem.detail ?? '',
      Array.isArray(problem.errors) ? problem.errors : [],
      requestId,
    );
  }
  return new ApiError(
    response.status,
    `HTTP_${response.status}`,
    response.statusText,
    typeof body === 'string' && body !== '' ? body : `HTTP ${response.status} ${response.statusText}`,
    [],
    requestId,
  );
}

/** Shorthands. */
export const get = <T>(path: string, query?: CallOptions['query'], signal?: AbortSignal) =>
  call<T>('GET', path, { query, ...(signal ? { signal } : {}) }).then((r) => r.data);
export const post = <T>(path: string, body?: unknown) => call<T>('POST', path, { body }).then((r) => r.data);
export const put = <T>(path: string, body: unknown) => call<T>('PUT', path, { body }).then((r) => r.data);
export const del = (path: string) => call<undefined>('DELETE', path).then(() => undefined);
