/**
 * The `Sandbox-Fault` request header (fault injection): its grammar and the
 * truncation rule, with no HTTP in them. The Fastify hooks that act on a parsed fault are in
 * src/http/plugins/fault-injection.ts.
 *
 * Grammar (exactly one fault per request; surrounding whitespace ignored; tokens are lower case):
 *
 *     Sandbox-Fault = "drop-response" / "truncate-response"
 *                   / "delay=" 1*DIGIT        ; milliseconds, 0 to 30000
 *                   / "error=" ( "500" / "502" / "503" / "504" )
 */
import type { FieldViolation } from './errors.js';

/** Longest `delay=<ms>`: 30 s. */
export const MAX_FAULT_DELAY_MS = 30_000;

/** The statuses `error=<status>` can inject: the 5xx answers a client must survive (RFC 9110 section 15.6). */
export const INJECTABLE_STATUSES = [500, 502, 503, 504] as const;
export type InjectableStatus = (typeof INJECTABLE_STATUSES)[number];

/** Where a bad header value is reported in a problem's `errors[]`. */
export const SANDBOX_FAULT_PATH = 'header.sandbox-fault';

/**
 * One parsed fault:
 * - `drop-response`: the operation runs and commits, then the connection closes with no response byte;
 * - `truncate-response`: the operation commits, the status line, headers and the first bytes of the body
 *   (see `truncatedLength`) are sent, then the connection closes;
 * - `delay`: the operation runs, then its response waits `ms` milliseconds;
 * - `error`: the operation does not run; the answer is a problem with `status`.
 */
export type SandboxFault =
  | { kind: 'drop-response' }
  | { kind: 'truncate-response' }
  | { kind: 'delay'; ms: number }
  | { kind: 'error'; status: InjectableStatus };

/** The result of parsing the header: the fault, or why the value is refused (one `header.sandbox-fault` violation). */
export type SandboxFaultParse = { ok: true; fault: SandboxFault } | { ok: false; violations: FieldViolation[] };

/** The allowed values, as a refusal names them. */
export const SANDBOX_FAULT_VALUES = `drop-response, truncate-response, delay=<ms> (0 to ${MAX_FAULT_DELAY_MS}), error=<${INJECTABLE_STATUSES.join('|')}>`;

const DROP: SandboxFault = { kind: 'drop-response' };
const TRUNCATE: SandboxFault = { kind: 'truncate-response' };

/**
 * Parses a `Sandbox-Fault` header value. `value` is what the HTTP layer received: a string
 * (Node joins a header given twice into `"a, b"`), or a list of values.
 * Never throws: a value it refuses comes back as violations naming the rule and the allowed values.
 */
export function parseSandboxFault(value: string | readonly string[]): SandboxFaultParse {
  if (typeof value !== 'string') {
    if (value.length !== 1)
      return refuse(`must be given once, with one fault per request (got ${value.length} values)`);
    return parseSandboxFault(value[0]!);
  }
  const text = value.trim();
  if (text === '') return refuse('must not be empty');
  if (text.includes(',')) return refuse(`must be given once, with one fault per request, got ${quote(text)}`);
  if (text === 'drop-response') return { ok: true, fault: DROP };
  if (text === 'truncate-response') return { ok: true, fault: TRUNCATE };
  if (text.startsWith('delay=')) {
    const digits = text.slice('delay='.length);
    if (!/^[0-9]+$/.test(digits)) {
      return refuse(
        `delay=<ms> takes a whole number of milliseconds written with decimal digits only, from 0 to ${MAX_FAULT_DELAY_MS}, got ${quote(text)}`,
      );
    }
    const ms = Number(digits);
    if (ms > MAX_FAULT_DELAY_MS) return refuse(`delay=<ms> is at most ${MAX_FAULT_DELAY_MS} ms, got ${quote(text)}`);
    return { ok: true, fault: { kind: 'delay', ms } };
  }
  if (text.startsWith('error=')) {
    const status = INJECTABLE_STATUSES.find((s) => String(s) === text.slice('error='.length));
    if (status === undefined)
      return refuse(`error=<status> takes one of ${INJECTABLE_STATUSES.join(', ')}, got ${quote(text)}`);
    return { ok: true, fault: { kind: 'error', status } };
  }
  // An unknown value: the rule is the list itself.
  return {
    ok: false,
    violations: [
      {
        path: SANDBOX_FAULT_PATH,
        message: `must be one of ${SANDBOX_FAULT_VALUES} (names in lower case), got ${quote(text)}`,
      },
    ],
  };
}

/**
 * How many bytes of a `total`-byte body `truncate-response` sends: the first half, but at
 * least 100 (so that an order's `{"transactionId":"<uuid>"` prefix, 55 bytes, is always
 * there) and never the whole body; 0 for a body of 0 or 1 byte.
 */
export function truncatedLength(total: number): number {
  return Math.max(0, Math.min(Math.max(Math.floor(total / 2), 100), total - 1));
}

/**
 * A refusal for breaking `rule`, followed by every allowed value (docs/idempotency-and-faults.md
 * promises that each refusal names them): a client that typed `error=501` learns of `delay=` too.
 */
function refuse(rule: string): SandboxFaultParse {
  return { ok: false, violations: [{ path: SANDBOX_FAULT_PATH, message: `${rule}; one of ${SANDBOX_FAULT_VALUES}` }] };
}

/** The refused value as the message shows it: JSON-quoted, at most 64 characters of it. */
function quote(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}...` : text);
}
