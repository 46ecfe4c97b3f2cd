/** One JSON request to a server process over real HTTP (fetch), for the end-to-end tests. */

/** What came back: status, headers, and the body parsed as JSON (undefined when empty). */
export interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

/** Options of one call: a JSON body, the API key, an X-Request-Id, more headers. */
export interface CallOptions {
  body?: unknown;
  key: string;
  requestId?: string;
  headers?: Record<string, string>;
}

/** Sends `method path` to `baseUrl` with `Authorization: Bearer <key>` and reads the answer. */
export async function callApi(baseUrl: string, method: string, path: string, options: CallOptions): Promise<Reply> {
  const headers: Record<string, string> = { authorization: `Bearer ${options.key}`, ...options.headers };
  if (options.requestId) headers['x-request-id'] = options.requestId;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
