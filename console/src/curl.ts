/**
 * "Copy as curl": a request of the log as a command that sends it again. The API key is left
 * as the shell variable `$ESIM_SANDBOX_API_KEY` (the log never holds it, and a copied command
 * must not either); the base URL is this sandbox's origin. Only the headers that change what
 * the sandbox does are kept (Content-Type, Idempotency-Key, Sandbox-Fault, X-Request-Id is
 * left out so that the new request gets its own).
 */
import type { RequestLogEntry } from './types';

const KEPT_HEADERS = ['content-type', 'idempotency-key', 'sandbox-fault'];

/** A string as one single-quoted shell word. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function queryString(query: RequestLogEntry['query']): string {
  if (!query) return '';
  // An older log kept the raw query string; the schema now says object.
  const raw: unknown = query;
  if (typeof raw === 'string') return raw.startsWith('?') ? raw : raw ? `?${raw}` : '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    for (const one of Array.isArray(value) ? value : [value]) params.append(name, String(one));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The curl command of a logged request, against `origin` (e.g. http://127.0.0.1:3000). */
export function curlCommand(entry: RequestLogEntry, origin: string): string {
  const url = entry.path.includes('?') ? entry.path : `${entry.path}${queryString(entry.query)}`;
  const parts = [`curl -X ${entry.method} "${origin}${url.replace(/(["$`\\])/g, '\\$1')}"`];
  parts.push(`-H "Authorization: Bearer $ESIM_SANDBOX_API_KEY"`);
  for (const [name, value] of Object.entries(entry.requestHeaders ?? {})) {
    if (!KEPT_HEADERS.includes(name.toLowerCase())) continue;
    for (const one of Array.isArray(value) ? value : [value]) parts.push(`-H ${shellQuote(`${name}: ${one}`)}`);
  }
  if (entry.requestBody !== undefined && entry.requestBody !== null && entry.requestBody !== '') {
    if (!parts.some((p) => p.toLowerCase().startsWith("-h 'content-type:"))) {
      parts.push(`-H 'Content-Type: application/json'`);
    }
    const body = typeof entry.requestBody === 'string' ? entry.requestBody : JSON.stringify(entry.requestBody);
    parts.push(`--data-raw ${shellQuote(body)}`);
  }
  return parts.join(' \\\n  ');
}
