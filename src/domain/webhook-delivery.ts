/**
 * The rules of webhook delivery: what counts as delivered, when to try again,
 * how a body is signed, and which endpoint URLs are acceptable. Pure: randomness and time
 * are passed in.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { MAX_WEBHOOK_URL_LENGTH } from '../contract/webhooks.js';
import type { FieldViolation } from './errors.js';

/** Attempts per delivery, the first one included. */
export const MAX_ATTEMPTS = 8;

/** The receiver took the event: any 2xx status (as Stripe and GitHub count it). */
export function isDelivered(statusCode: number | null): boolean {
  return statusCode !== null && statusCode >= 200 && statusCode <= 299;
}

/**
 * Milliseconds to wait after failed attempt number `attempt` (1-based): exponential
 * backoff `baseMs x 2^(attempt-1)` with "equal jitter" (half fixed, half random, as in the
 * AWS Architecture Blog's "Exponential Backoff And Jitter"), so receivers recovering from
 * an outage are not hit by every sender at once. With the default base of 1000 ms the
 * seven waits between eight attempts are about 1, 2, 4, ..., 64 s (about 1.5 to 2 minutes in all).
 * @param random a number in [0, 1), `Math.random()` in production.
 */
export function retryDelayMs(attempt: number, baseMs: number, random: number): number {
  const ceiling = baseMs * 2 ** (attempt - 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/**
 * The `Sandbox-Signature` header of a delivery: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">`, keyed with the endpoint's secret (its UTF-8 bytes). Signing the time
 * with the body lets a receiver refuse replays of an old delivery (the scheme Stripe uses).
 */
export function signatureHeader(secret: string, unixSeconds: number, body: string): string {
  return `t=${unixSeconds},v1=${signatureOf(secret, unixSeconds, body)}`;
}

function signatureOf(secret: string, unixSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex');
}

/**
 * Checks a `Sandbox-Signature` header against a raw body, as a receiver does: the `v1`
 * value must match and `t` be within `toleranceSeconds` of `nowSeconds`. Used by the tests
 * and shown in docs/webhooks.md.
 */
export function verifySignature(
  header: string,
  secret: string,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const t = Number(match[1]);
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  return timingSafeEqual(Buffer.from(match[2]!, 'hex'), Buffer.from(signatureOf(secret, t, body), 'hex'));
}

/**
 * The rules of an endpoint URL that its schema cannot say: written as an absolute
 * `http://` or `https://` URL with a host (RFC 3986 section 3: `scheme "://" authority`),
 * nothing a WHATWG parser would silently repair (spaces, control characters, a missing
 * `//`), no user name or password (they would travel in every delivery), no fragment
 * (never sent). The URL is stored as given, so what was checked is what is used.
 * @returns the violations at `body.url`, empty when the URL is acceptable.
 */
export function webhookUrlViolations(value: string): FieldViolation[] {
  const refuse = (message: string): FieldViolation[] => [{ path: 'body.url', message }];
  if (value.length > MAX_WEBHOOK_URL_LENGTH) return refuse(`must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value))
    return refuse('must be well-formed Unicode (no lone surrogates)');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f]/.test(value))
    return refuse('must not contain spaces or control characters (percent-encode them: %20)');
  const port = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:]*):(\d+)(?:[/?#]|$)/i.exec(value)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
    return refuse(`must have a port from 1 to 65535, got ${port}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse('must be an absolute URL (https://host/path)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return refuse(`must use http or https, got ${url.protocol.replace(/:$/, '')}`);
  if (!/^https?:\/\/[^/?#]/i.test(value))
    return refuse('must be written as an absolute URL: http:// or https://, then the host (https://host/path)');
  if (url.hostname === '') return refuse('must name a host');
  if (url.username !== '' || url.password !== '') return refuse('must not carry a user name or password');
  if (url.hash !== '') return refuse('must not have a fragment (#...): it is never sent');
  return [];
}
