/**
 * What the request log keeps of a request, as pure functions of what was sent and answered:
 * secrets reduced or redacted, bodies bounded to 16 KiB, the ICCIDs and the order a request
 * concerned. No HTTP, no SQL: the request-log plugin applies them, the tests call them directly.
 */

/** Largest body kept whole, in UTF-8 bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

/** What replaces a secret in a logged body. */
export const REDACTED = '[redacted]';

/**
 * Body fields that hold a secret, wherever they appear in a JSON body: the webhook signing
 * secret of `PUT/GET /v1/sandbox/webhook` (`secret`), and API keys or tokens an answer may
 * show once (`apiKey`, `key`, `token`).
 */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(['secret', 'apiKey', 'key', 'token']);

// A cheap look before parsing: a body without one of these names is stored as it is.
const SECRET_HINT = /"(secret|apiKey|key|token)"\s*:/;

/** Headers whose value is a credential: kept as the scheme, an ellipsis and the last 4 characters. */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'cookie',
]);

/**
 * `Bearer sk_sandbox_abcd1234` -> `Bearer …1234`: enough to tell keys apart, never the key
 * (DESIGN: secrets are never stored). A value of 8 characters or fewer keeps none of them.
 */
export function maskCredential(value: string): string {
  const match = /^(\S+)\s+(.*)$/.exec(value.trim());
  const scheme = match ? `${match[1]} ` : '';
  const secret = match ? match[2]! : value.trim();
  return `${scheme}…${secret.length > 8 ? secret.slice(-4) : ''}`;
}

/**
 * The headers as logged: lower-case names, repeated values joined with ", " (as Node
 * joins them), credentials masked.
 */
export function loggedHeaders(
  headers: Readonly<Record<string, string | string[] | number | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    out[lower] = CREDENTIAL_HEADERS.has(lower) ? maskCredential(text) : text;
  }
  return out;
}

/**
 * A JSON text with every secret field's value replaced by "[redacted]", at any depth.
 * Returns the text unchanged when it names no such field, or is not JSON.
 */
export function redactSecrets(text: string): string {
  if (!SECRET_HINT.test(text)) return text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  return JSON.stringify(redactValue(value));
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value))
    out[name] = SECRET_FIELDS.has(name) && typeof field === 'string' ? REDACTED : redactValue(field);
  return out;
}

/** A body as stored: its text, whether that text is JSON to parse on read, and whether it was cut. */
export interface LoggedBody {
  text: string | null;
  json: boolean;
  truncated: boolean;
}

/**
 * A body for the log: JSON of at most 16 KiB is kept as it is (to be read back as its JSON
 * value); anything longer, or not JSON, keeps its first 16 KiB as text (cut on a character
 * boundary), `truncated` when it was cut.
 * @param text the body as sent (secrets already redacted), or undefined/empty for none.
 * @param isJson whether it is JSON (its media type says so and it parsed).
 */
export function loggedBody(text: string | undefined, isJson: boolean): LoggedBody {
  if (text === undefined || text.length === 0) return { text: null, json: false, truncated: false };
  // UTF-8 takes at most 3 bytes per UTF-16 unit: a short text needs no byte count.
  const bytes = text.length * 3 <= MAX_BODY_BYTES ? text.length : Buffer.byteLength(text, 'utf8');
  if (bytes <= MAX_BODY_BYTES) return { text, json: isJson, truncated: false };
  const cut = Buffer.from(text, 'utf8')
    .subarray(0, MAX_BODY_BYTES)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  return { text: cut, json: false, truncated: true };
}

const ICCID_FIELD = /"iccid"\s*:\s*"([0-9]{10,22})"/g;
const ICCID_ARRAY = /"iccids"\s*:\s*\[([0-9",\s]*)\]/g;
const ICCID_VALUE = /[0-9]{10,22}/g;
const TRANSACTION_FIELD = /"transactionId"\s*:\s*"([^"\\]{1,64})"/;

/**
 * Every ICCID a request named or an answer produced, in first-seen order without repeats:
 * the path's, and every `"iccid": "..."` or `"iccids": [...]` of the bodies (an order of
 * 1,000 lists all of them).
 */
export function iccidsOf(pathIccid: string | undefined, ...texts: (string | null | undefined)[]): string[] {
  const found = new Set<string>();
  if (pathIccid !== undefined && /^[0-9]{10,22}$/.test(pathIccid)) found.add(pathIccid);
  for (const text of texts) {
    if (!text || !text.includes('iccid')) continue;
    for (const match of text.matchAll(ICCID_FIELD)) found.add(match[1]!);
    for (const match of text.matchAll(ICCID_ARRAY))
      for (const value of match[1]!.matchAll(ICCID_VALUE)) found.add(value[0]);
  }
  return [...found];
}

/** The order a request concerned: the one it named (path or query), else the first one its answer shows. */
export function transactionIdOf(named: string | undefined, answer: string | null | undefined): string | null {
  if (named !== undefined && named.length > 0 && named.length <= 64) return named;
  if (!answer || !answer.includes('transactionId')) return null;
  return TRANSACTION_FIELD.exec(answer)?.[1] ?? null;
}

const PROBLEM_CODE = /"code"\s*:\s*"([A-Z0-9_]{1,64})"/;

/** The `code` of a problem+json body, or null. */
export function problemCodeOf(contentType: string | undefined, body: string | null | undefined): string | null {
  if (!body || !contentType?.startsWith('application/problem+json')) return null;
  return PROBLEM_CODE.exec(body)?.[1] ?? null;
}

/** The query string of a URL as an object: a parameter given once as a string, repeated as an array. */
export function queryObject(url: string): Record<string, string | string[]> {
  const at = url.indexOf('?');
  const out: Record<string, string | string[]> = {};
  if (at < 0) return out;
  for (const [name, value] of new URLSearchParams(url.slice(at + 1))) {
    const seen = out[name];
    out[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}
