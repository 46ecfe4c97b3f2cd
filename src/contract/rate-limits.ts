/**
 * Requests per minute per API key of each operation, from the seed reference ("Rate limit:
 * N requests per minute"): the one source of the limit each route enforces and of the
 * sentence its description states.
 */

/** Order eSIM, reconcile by transactionId and emergency control (seed reference): 10 a minute. */
export const STRICT_LIMIT_PER_MINUTE = 10;

/** Plans, eSIM status, data usage (seed reference) and the sandbox's scenario operations: 60 a minute. */
export const STANDARD_LIMIT_PER_MINUTE = 60;

/** The sentence an operation's description ends with: `Rate limit: <n> requests per minute.` */
export function rateLimitText(perMinute: number): string {
  return `Rate limit: ${perMinute} requests per minute.`;
}
