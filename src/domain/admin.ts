/**
 * Rules of the admin API (docs/admin.md): reseller names, sandbox names and sandboxes' time
 * to live. Pure: no I/O.
 */
import type { FieldViolation } from './errors.js';

/**
 * A reseller name: 1 to 64 of `A-Z a-z 0-9 . _ -` (the characters that need no escaping in a
 * URL path, a log line or `SANDBOX_API_KEYS`' `name:key` list). Case matters: `Acme` and `acme` are two resellers.
 */
export const RESELLER_NAME = /^[A-Za-z0-9._-]{1,64}$/;
/** What RESELLER_NAME says, in words, for error messages and the OpenAPI document. */
export const RESELLER_NAME_RULE = 'must be 1-64 characters of A-Z, a-z, 0-9, ".", "_" and "-"';

/** A sandbox's name: `<namePrefix>-<suffix>`, the suffix SANDBOX_SUFFIX_LENGTH random characters. */
export const SANDBOX_SUFFIX_LENGTH = 12;
/** The prefix of a sandbox's name when none is given. */
export const DEFAULT_SANDBOX_PREFIX = 'sandbox';
/** Longest namePrefix: the name (prefix, "-", suffix) must stay a reseller name (64). */
export const MAX_SANDBOX_PREFIX = 64 - 1 - SANDBOX_SUFFIX_LENGTH;
/** What a namePrefix must be. */
export const SANDBOX_PREFIX = new RegExp(`^[A-Za-z0-9._-]{1,${MAX_SANDBOX_PREFIX}}$`);

/** A sandbox's time to live when none is given: 60 minutes. */
export const DEFAULT_SANDBOX_TTL_MINUTES = 60;
/** The longest time to live: 7 days (10080 minutes). */
export const MAX_SANDBOX_TTL_MINUTES = 7 * 24 * 60;

/** A sandbox request's time to live as given: minutes, or seconds (for short-lived test sandboxes). */
export interface SandboxTtlRequest {
  ttlMinutes?: number | undefined;
  ttlSeconds?: number | undefined;
}

/**
 * The time to live of a sandbox request, in seconds: `ttlMinutes` (default 60, at most
 * 10080) or `ttlSeconds` (at most 604800), not both, and never below `minSeconds` (the
 * server's ADMIN_SANDBOX_MIN_TTL_SECONDS, 60 by default, so a sandbox lives at least a minute
 * unless the server allows shorter, as tests do).
 * @returns `{seconds}` or `{violations}` naming each field and the rule it broke.
 */
export function sandboxTtlSeconds(
  request: SandboxTtlRequest,
  minSeconds: number,
): { seconds: number; violations?: undefined } | { seconds?: undefined; violations: FieldViolation[] } {
  if (request.ttlMinutes !== undefined && request.ttlSeconds !== undefined)
    return {
      violations: [{ path: 'body.ttlSeconds', message: 'must not be given with body.ttlMinutes: give one of them' }],
    };
  const [path, seconds] =
    request.ttlSeconds !== undefined
      ? ['body.ttlSeconds', request.ttlSeconds]
      : ['body.ttlMinutes', (request.ttlMinutes ?? DEFAULT_SANDBOX_TTL_MINUTES) * 60];
  if (seconds < minSeconds)
    return {
      violations: [
        {
          path,
          message: `must give a time to live of at least ${minSeconds} seconds (this server's ADMIN_SANDBOX_MIN_TTL_SECONDS)`,
        },
      ],
    };
  if (seconds > MAX_SANDBOX_TTL_MINUTES * 60)
    return {
      violations: [
        { path, message: `must give a time to live of at most 7 days (${MAX_SANDBOX_TTL_MINUTES} minutes)` },
      ],
    };
  return { seconds };
}
