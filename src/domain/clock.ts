/**
 * The sandbox clock and the rules that follow it. Each reseller has its own clock: real
 * time plus an offset in whole seconds that only `advance` moves (forward) and `reset`
 * sets back to 0, in the manner of Stripe's test clocks. Everything time-based for a
 * reseller reads its `now`: order times, activationDeadline, event defaults,
 * lastUpdatedAt, and the two rules of `CLOCK_RULES`, which end an eSIM's life without any
 * request about it:
 *
 * - expiry: `expiresOn` is "Plan expiration date in Japan Standard Time ... The service
 *   will be terminated at an unspecified time on the following day" (seed reference). The
 *   sandbox terminates it at the first instant of that day, 00:00 JST (15:00 UTC of
 *   expiresOn), with terminatedOn = expiresOn + 1.
 * - activation deadline: `activationDeadline` is the "Deadline for eSIM installation ...
 *   The end user must install the eSIM before this date" (seed reference). At that instant
 *   an eSIM whose profile was never installed is TERMINATED and its profile CANCELED
 *   ("CANCELED/ERROR: Profile is no longer available"), terminatedOn its Japan-time date.
 *
 * A change the clock makes carries the instant the rule took effect in `lastUpdatedAt`
 * (DESIGN.md section 3, Sandbox extensions), not the instant someone looked.
 * Pure: the caller passes `now` in.
 */
import type { ClockRuleId } from '../contract/history.js';
import { MAX_ADVANCE_DAYS, MAX_ADVANCE_HOURS } from '../contract/lifecycle.js';
import { addDays, isoInstant, jstDate, jstStartOfDay } from './dates.js';
import { RuleViolation, type FieldViolation } from './errors.js';
import type { EsimState } from './esim.js';
import { lifecycleState, type LifecycleState } from './lifecycle.js';

const HOUR_SECONDS = 3600;
const DAY_SECONDS = 24 * HOUR_SECONDS;

/** How far ahead of real time a clock may go: 36,525 days (100 years), so every date stays a 4-digit year. */
export const MAX_OFFSET_DAYS = 36_525;
export const MAX_OFFSET_SECONDS = MAX_OFFSET_DAYS * DAY_SECONDS;

/** The reseller's now: real time + `offsetSeconds` (whole seconds, >= 0). */
export function clockNow(realNow: Date, offsetSeconds: number): Date {
  return offsetSeconds === 0 ? realNow : new Date(realNow.getTime() + offsetSeconds * 1000);
}

/** A clock move, as the advance request gives it: days (of 24 h) and hours, both optional. */
export interface ClockMove {
  days?: number | undefined;
  hours?: number | undefined;
}

/** The seconds a move adds: days x 86400 + hours x 3600. */
export function moveSeconds(move: ClockMove): number {
  return (move.days ?? 0) * DAY_SECONDS + (move.hours ?? 0) * HOUR_SECONDS;
}

/**
 * The rules of an advance request that its schema cannot say: the move is forward (at
 * least 1 hour in all) and at most 400 days (9600 hours) in all. Accepts any value; fields
 * of the wrong type are left to the schema.
 */
export function clockMoveViolations(body: unknown): FieldViolation[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [];
  const { days, hours } = body as { days?: unknown; hours?: unknown };
  const valid = (value: unknown) => value === undefined || (Number.isInteger(value) && (value as number) >= 0);
  if (!valid(days) || !valid(hours)) return [];
  const totalHours = ((days as number | undefined) ?? 0) * 24 + ((hours as number | undefined) ?? 0);
  if (totalHours === 0) {
    return [
      { path: 'body', message: 'must move the clock forward: give days or hours (or both), at least 1 hour in all' },
    ];
  }
  if (totalHours > MAX_ADVANCE_HOURS) {
    return [
      {
        path: 'body',
        message: `must move the clock at most ${MAX_ADVANCE_DAYS} days (${MAX_ADVANCE_HOURS} hours) a call, got ${totalHours} hours`,
      },
    ];
  }
  return [];
}

/**
 * The offset after moving the clock `seconds` forward.
 * @throws RuleViolation at `body` when the clock would go more than 100 years ahead of real time.
 */
export function advancedOffset(offsetSeconds: number, seconds: number): number {
  const next = offsetSeconds + seconds;
  if (next > MAX_OFFSET_SECONDS) {
    throw new RuleViolation([
      {
        path: 'body',
        message: `must not put the sandbox clock more than ${MAX_OFFSET_DAYS} days (100 years) ahead of real time; it is ${offsetSeconds} seconds ahead now: reset it first`,
      },
    ]);
  }
  return next;
}

/** A rule that ends an eSIM's life when the clock passes an instant. */
export interface ClockRule {
  /** How an eSIM's history names the rule (`cause.rule` of a clock_rule entry). */
  id: ClockRuleId;
  /** For the state diagram of docs/scenarios.md and the logs. */
  name: string;
  /** The lifecycle states it applies in. */
  from: readonly LifecycleState[];
  /** The instant the rule takes effect on this eSIM (epoch ms), or null if it never does. */
  takesEffect: (esim: EsimState) => number | null;
  /** The eSIM after the rule, which took effect at `at`. */
  apply: (esim: EsimState, at: Date) => EsimState;
}

/** The clock's transitions, both to TERMINATED (see the module comment for their sources). */
export const CLOCK_RULES: readonly ClockRule[] = [
  {
    id: 'expiry',
    name: 'the day after expiresOn (Japan time)',
    from: ['ACTIVATED'],
    takesEffect: (esim) => (esim.expiresOn === null ? null : jstStartOfDay(addDays(esim.expiresOn, 1)).getTime()),
    apply: (esim, at) => ({
      ...esim,
      contractStatus: 'TERMINATED',
      terminatedOn: addDays(esim.expiresOn!, 1),
      lastUpdatedAt: isoInstant(at),
    }),
  },
  {
    id: 'activation_deadline',
    name: 'activationDeadline passed, never installed',
    from: ['READY', 'DOWNLOADED', 'CONFIRMATION_FAILED'],
    takesEffect: (esim) => (esim.activationDeadline === null ? null : Date.parse(esim.activationDeadline)),
    apply: (esim, at) => ({
      ...esim,
      contractStatus: 'TERMINATED',
      profileProvisionStatus: 'CANCELED',
      terminatedOn: jstDate(at),
      lastUpdatedAt: isoInstant(at),
    }),
  },
];

/** A clock rule due on an eSIM: which one, and the eSIM after it. */
export interface DueRule {
  rule: ClockRuleId;
  esim: EsimState;
}

/**
 * The rule the clock owes an eSIM at `now` and the eSIM after it, or null when none is due:
 * cheap enough for every status read (a state check and one date comparison). A rule is
 * due from the instant it takes effect, that instant included. At most one rule is ever
 * due: both end in TERMINATED, where no rule applies.
 */
export function dueRule(esim: EsimState, now: Date): DueRule | null {
  if (esim.contractStatus === 'TERMINATED') return null;
  const state = lifecycleState(esim);
  for (const rule of CLOCK_RULES) {
    if (!rule.from.includes(state)) continue;
    const at = rule.takesEffect(esim);
    if (at !== null && now.getTime() >= at) return { rule: rule.id, esim: rule.apply(esim, new Date(at)) };
  }
  return null;
}

/** The eSIM after the rule the clock owes it at `now` (see `dueRule`), or null when none is due. */
export function dueChange(esim: EsimState, now: Date): EsimState | null {
  return dueRule(esim, now)?.esim ?? null;
}

/** The eSIM as the clock has it at `now`: `dueChange` applied, or the same object when none is due. */
export function settle(esim: EsimState, now: Date): EsimState {
  return dueChange(esim, now) ?? esim;
}
