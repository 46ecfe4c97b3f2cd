/**
 * The rule of operations that take no parameters in a body (clock reset, webhook delete,
 * redelivery): no body, or an empty JSON object, so that a client sending parameters the
 * operation would ignore learns it (DESIGN.md section 2: unknown body properties are refused).
 */
import { RuleViolation } from '../domain/errors.js';

/**
 * @throws RuleViolation at `body` when `body` is anything but absent or `{}`.
 * @param operation what the message calls the operation ("reset", "redeliver").
 */
export function refuseBody(body: unknown, operation: string): void {
  if (body === undefined) return;
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0) return;
  throw new RuleViolation([{ path: 'body', message: `must be empty or {}: ${operation} takes no parameters` }]);
}
