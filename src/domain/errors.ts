/**
 * Errors the domain rules raise. They carry a stable `code` (the contract's problem codes,
 * DESIGN.md section 2) and know nothing of HTTP: the HTTP layer maps codes to statuses.
 */
import type { ProblemCode } from '../contract/problem-codes.js';

/** Codes of domain failures: the contract's problem codes a domain rule may raise. */
export type DomainErrorCode = Extract<
  ProblemCode,
  | 'PLAN_NOT_FOUND'
  | 'ESIM_NOT_FOUND'
  | 'ORDER_NOT_FOUND'
  | 'ESIM_TERMINATED'
  | 'INVALID_TRANSITION'
  | 'VALIDATION_ERROR'
  | 'WEBHOOK_NOT_FOUND'
  | 'DELIVERY_NOT_FOUND'
  | 'WEBHOOK_NOT_REGISTERED'
  | 'RESELLER_NOT_FOUND'
  | 'API_KEY_NOT_FOUND'
  | 'RESELLER_EXISTS'
>;

/** A field that broke a rule: `path` as in problem details (`body[2].day`), `message` the rule. */
export interface FieldViolation {
  path: string;
  message: string;
}

/** A rule of the domain refused the request; `code` says which kind of refusal. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly violations: FieldViolation[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Input that passed the schema but breaks a rule a schema cannot say (Luhn, unique days, sums). */
export class RuleViolation extends DomainError {
  constructor(violations: FieldViolation[]) {
    super('VALIDATION_ERROR', violations.map((v) => `${v.path} ${v.message}`).join('; '), violations);
    this.name = 'RuleViolation';
  }
}

/**
 * Throws the violations found, if any: the check that follows a schema that passed, for
 * the rules only the domain knows (the same rules run as `bodyRules` when it failed).
 * @throws RuleViolation listing every violation.
 */
export function assertNoViolations(violations: readonly FieldViolation[]): void {
  if (violations.length > 0) throw new RuleViolation([...violations]);
}
