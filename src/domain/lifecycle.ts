/**
 * The eSIM lifecycle as a state machine: one table of transitions (`TRANSITIONS`), data
 * that the rules below read and docs/scenarios.md draws. Each event changes exactly the fields
 * the seed reference's field descriptions tie to it:
 *
 * - `downloadedAt`: "When the end user downloaded the eSIM profile to their device";
 *   `profileProvisionStatus` "DOWNLOADED: User has downloaded the profile";
 *   `profileInstallStatus` "DOWNLOADED: Profile downloaded to device".
 * - `initialInsertionDevice` / `initialInsertionAt`: "IMEI of the device where eSIM was
 *   first installed" / "When the eSIM was first installed on a device";
 *   `profileInstallStatus` "INSTALLED: Successfully installed and ready to use".
 * - `initialConnectionDevice`: "IMEI of the device that first connected to the network";
 *   `activatedOn`: "Date when the eSIM was first activated by connecting to the network
 *   (YYYY-MM-DD, Japan time) ... This marks the start of the service period";
 *   `expiresOn`: "Plan expiration date in Japan Standard Time".
 * - `terminatedOn`: "Date when the eSIM service was terminated (YYYY-MM-DD, Japan time)";
 *   `profileProvisionStatus` "CANCELED/ERROR: Profile is no longer available".
 *
 * Pure: the caller passes the instant of the event, the device and the plan's validity in.
 * A TERMINATED eSIM takes no event (DESIGN.md section 3, Sandbox extensions).
 */
import type { ContractStatus } from '../contract/esims.js';
import { EVENTS_WITH_IMEI, LIFECYCLE_EVENTS, type LifecycleEvent } from '../contract/lifecycle.js';
import { addDays, isoInstant, jstDate } from './dates.js';
import { DomainError, RuleViolation, type FieldViolation } from './errors.js';
import type { EsimState } from './esim.js';

/**
 * Where an eSIM is in its life, derived from its fields: TERMINATED when `contractStatus`
 * is; else CONFIRMATION_FAILED when the installation failed; else ACTIVATED once a device
 * connected (`activatedOn` set); else its `profileInstallStatus` (READY, DOWNLOADED, INSTALLED).
 */
export const LIFECYCLE_STATES = [
  'READY',
  'DOWNLOADED',
  'INSTALLED',
  'ACTIVATED',
  'CONFIRMATION_FAILED',
  'TERMINATED',
] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

/** The lifecycle state of an eSIM (see `LIFECYCLE_STATES`). */
export function lifecycleState(esim: EsimState): LifecycleState {
  if (esim.contractStatus === 'TERMINATED') return 'TERMINATED';
  if (esim.profileInstallStatus === 'CONFIRMATION_FAILED') return 'CONFIRMATION_FAILED';
  if (esim.activatedOn !== null) return 'ACTIVATED';
  return esim.profileInstallStatus;
}

/** What an event needs besides the eSIM. */
export interface EventContext {
  /** When the event happened: stamps the fields it sets and `lastUpdatedAt`. */
  at: Date;
  /** The device's IMEI (15 digits, checked): set for install and connect, null otherwise. */
  imei: string | null;
  /** The plan's `validityDays`: how many Japan-time days the service lasts from activatedOn. */
  validityDays: number;
}

/** One row of the transition table. */
export interface Transition {
  event: LifecycleEvent;
  /** The states the event applies in. */
  from: readonly LifecycleState[];
  /** The state after it. */
  to: LifecycleState;
  /** The contract statuses the event applies with (a SUSPENDED eSIM cannot connect). */
  contract: readonly ContractStatus[];
  /** The change: the eSIM after the event (the same object when nothing changes). */
  apply: (esim: EsimState, context: EventContext) => EsimState;
}

const LIVE: readonly ContractStatus[] = ['ACTIVE', 'SUSPENDED'];
const NOT_TERMINATED: readonly LifecycleState[] = [
  'READY',
  'DOWNLOADED',
  'INSTALLED',
  'ACTIVATED',
  'CONFIRMATION_FAILED',
];

const download = (esim: EsimState, { at }: EventContext): EsimState => ({
  ...esim,
  profileProvisionStatus: 'DOWNLOADED',
  profileInstallStatus: 'DOWNLOADED',
  downloadedAt: isoInstant(at),
  lastUpdatedAt: isoInstant(at),
});

const install = (esim: EsimState, { at, imei }: EventContext): EsimState => ({
  ...esim,
  profileInstallStatus: 'INSTALLED',
  initialInsertionDevice: imei,
  initialInsertionAt: isoInstant(at),
  lastUpdatedAt: isoInstant(at),
});

const installFailed = (esim: EsimState, { at }: EventContext): EsimState => ({
  ...esim,
  profileInstallStatus: 'CONFIRMATION_FAILED',
  profileProvisionStatus: 'ERROR',
  lastUpdatedAt: isoInstant(at),
});

// expiresOn = activatedOn + validityDays - 1: the day of activation is the first day of validity.
const firstConnect = (esim: EsimState, { at, imei, validityDays }: EventContext): EsimState => {
  const activatedOn = jstDate(at);
  return {
    ...esim,
    initialConnectionDevice: imei,
    activatedOn,
    expiresOn: addDays(activatedOn, validityDays - 1),
    lastUpdatedAt: isoInstant(at),
  };
};

const terminate = (esim: EsimState, { at }: EventContext): EsimState => ({
  ...esim,
  contractStatus: 'TERMINATED',
  terminatedOn: jstDate(at),
  ...(esim.downloadedAt === null ? { profileProvisionStatus: 'CANCELED' as const } : {}),
  lastUpdatedAt: isoInstant(at),
});

/**
 * The transition table: for each event, the states (and contract statuses) it applies in,
 * the state it leads to and what it changes. An event with no row for the eSIM's state is
 * refused (409 INVALID_TRANSITION). The clock's own transitions to TERMINATED are in
 * clock.ts (`CLOCK_RULES`).
 */
export const TRANSITIONS: readonly Transition[] = [
  { event: 'download', from: ['READY'], to: 'DOWNLOADED', contract: LIVE, apply: download },
  // From READY an install implies the download first (downloadedAt, profile DOWNLOADED).
  {
    event: 'install',
    from: ['READY'],
    to: 'INSTALLED',
    contract: LIVE,
    apply: (esim, context) => install(download(esim, context), context),
  },
  { event: 'install', from: ['DOWNLOADED'], to: 'INSTALLED', contract: LIVE, apply: install },
  {
    event: 'install_failed',
    from: ['READY', 'DOWNLOADED'],
    to: 'CONFIRMATION_FAILED',
    contract: LIVE,
    apply: installFailed,
  },
  { event: 'connect', from: ['INSTALLED'], to: 'ACTIVATED', contract: ['ACTIVE'], apply: firstConnect },
  // Later connections change nothing, not even lastUpdatedAt.
  { event: 'connect', from: ['ACTIVATED'], to: 'ACTIVATED', contract: ['ACTIVE'], apply: (esim) => esim },
  { event: 'terminate', from: NOT_TERMINATED, to: 'TERMINATED', contract: LIVE, apply: terminate },
];

/** The row of the table for this event on this eSIM, or undefined when the event does not apply. */
export function transitionFor(esim: EsimState, event: LifecycleEvent): Transition | undefined {
  const state = lifecycleState(esim);
  return TRANSITIONS.find(
    (t) => t.event === event && t.from.includes(state) && t.contract.includes(esim.contractStatus),
  );
}

/** The events that apply to the eSIM now, in the order of `LIFECYCLE_EVENTS` as the table lists them. */
export function allowedEvents(esim: EsimState): LifecycleEvent[] {
  return [...new Set(TRANSITIONS.map((t) => t.event))].filter((event) => transitionFor(esim, event) !== undefined);
}

/**
 * Applies a lifecycle event.
 * @returns the eSIM after it; the same object when nothing changes (a later connect).
 * @throws DomainError ESIM_TERMINATED on a TERMINATED eSIM (no event applies);
 *   DomainError INVALID_TRANSITION, naming the current state and the events allowed from
 *   it, when the table has no row for the event in the eSIM's state.
 */
export function applyLifecycleEvent(esim: EsimState, event: LifecycleEvent, context: EventContext): EsimState {
  if (esim.contractStatus === 'TERMINATED') {
    throw new DomainError(
      'ESIM_TERMINATED',
      `eSIM ${esim.iccid} is TERMINATED (terminatedOn ${esim.terminatedOn ?? 'unknown'}); no lifecycle event applies to a TERMINATED eSIM`,
    );
  }
  const transition = transitionFor(esim, event);
  if (!transition) {
    const allowed = allowedEvents(esim);
    throw new DomainError(
      'INVALID_TRANSITION',
      `the ${event} event does not apply to eSIM ${esim.iccid} in state ${lifecycleState(esim)} ` +
        `(contractStatus ${esim.contractStatus}, profileProvisionStatus ${esim.profileProvisionStatus}, profileInstallStatus ${esim.profileInstallStatus}); ` +
        `events allowed from this state: ${allowed.length > 0 ? allowed.join(', ') : 'none'}`,
    );
  }
  return transition.apply(esim, context);
}

/**
 * The instant of an event: `occurredAt` when the client gave one, else `now` (the
 * reseller's sandbox clock), but never before the eSIM's `lastUpdatedAt`: after a clock
 * reset, fields written while the clock was ahead stay ahead of it, and an event by
 * default happens no earlier than the last change (so an install never precedes its
 * download). A given `occurredAt` must lie between the eSIM's `lastUpdatedAt` and `now`,
 * both included: events are recorded in the order they happened, and none in the
 * sandbox's future.
 * @param occurredAt an ISO 8601 date-time with a time zone (already checked by the schema).
 * @throws RuleViolation at `body.occurredAt` when it is outside that window.
 */
export function eventInstant(esim: EsimState, occurredAt: string | undefined, now: Date): Date {
  if (occurredAt === undefined) return new Date(Math.max(now.getTime(), Date.parse(esim.lastUpdatedAt)));
  const at = new Date(occurredAt);
  if (at.getTime() > now.getTime()) {
    throw new RuleViolation([
      { path: 'body.occurredAt', message: `must not be later than the sandbox clock's now (${isoInstant(now)})` },
    ]);
  }
  if (at.getTime() < Date.parse(esim.lastUpdatedAt)) {
    throw new RuleViolation([
      {
        path: 'body.occurredAt',
        message: `must not be earlier than the eSIM's lastUpdatedAt (${esim.lastUpdatedAt}): events are recorded in order`,
      },
    ]);
  }
  return at;
}

/**
 * The rules of an event request that its schema cannot say: `imei` is required for the
 * events that carry a device (install, connect) and refused for the others, and
 * `occurredAt` must be an instant JavaScript can represent (the schema's date-time format
 * lets a leap second `23:59:60Z` through). Accepts any value, so that a request which also
 * fails its schema hears about these rules in the same answer; fields of the wrong type are
 * left to the schema.
 */
export function lifecycleRequestViolations(body: unknown): FieldViolation[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [];
  const { event, imei, occurredAt } = body as { event?: unknown; imei?: unknown; occurredAt?: unknown };
  const violations: FieldViolation[] = [];
  if (typeof event === 'string' && (LIFECYCLE_EVENTS as readonly string[]).includes(event)) {
    const takesImei = EVENTS_WITH_IMEI.includes(event as LifecycleEvent);
    if (takesImei && imei === undefined) {
      violations.push({
        path: 'body.imei',
        message: `is required for the ${event} event (the device's 15-digit IMEI)`,
      });
    } else if (!takesImei && imei !== undefined) {
      violations.push({
        path: 'body.imei',
        message: `is not taken by the ${event} event; only ${EVENTS_WITH_IMEI.join(' and ')} carry an IMEI`,
      });
    }
  }
  if (typeof occurredAt === 'string' && Number.isNaN(Date.parse(occurredAt))) {
    violations.push({
      path: 'body.occurredAt',
      message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-03-01T10:00:00.000Z',
    });
  }
  return violations;
}
