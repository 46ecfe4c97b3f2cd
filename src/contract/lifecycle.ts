/**
 * Sandbox scenarios: the eSIM lifecycle events a reseller can provoke and the per-reseller
 * sandbox clock (in the manner of Stripe's test clocks). Each schema here feeds request
 * validation, response serialization, the TypeScript types and the OpenAPI document.
 */
import { Type, type Static } from 'typebox';

/**
 * The lifecycle events of `POST /v1/sandbox/esims/{iccid}/events`, in the order an eSIM
 * lives them: the end user downloads the profile from the SM-DP+, installs it on a device
 * (or the installation fails), the device first connects to the network; the provider
 * terminates the line.
 */
export const LIFECYCLE_EVENTS = ['download', 'install', 'install_failed', 'connect', 'terminate'] as const;
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

/** The events that carry the device's IMEI (`imei` is required for them and refused for the others). */
export const EVENTS_WITH_IMEI: readonly LifecycleEvent[] = ['install', 'connect'];

/** Largest clock move of one `advance` call: 400 days (9600 hours). */
export const MAX_ADVANCE_DAYS = 400;
export const MAX_ADVANCE_HOURS = MAX_ADVANCE_DAYS * 24;

const EXAMPLE_IMEI = '490154203237518';

/** Body of `POST /v1/sandbox/esims/{iccid}/events`. */
export const LifecycleEventRequest = Type.Object(
  {
    event: Type.Enum(LIFECYCLE_EVENTS, {
      description:
        'What happened to the eSIM. download: the profile is downloaded (profileProvisionStatus AVAILABLE -> DOWNLOADED, ' +
        'profileInstallStatus READY -> DOWNLOADED, downloadedAt). install (needs imei): the profile is installed on a device ' +
        '(profileInstallStatus INSTALLED, initialInsertionDevice, initialInsertionAt; from READY it implies download first). ' +
        'install_failed: the installation could not be confirmed (profileInstallStatus CONFIRMATION_FAILED, profileProvisionStatus ERROR). ' +
        'connect (needs imei and an INSTALLED profile on an ACTIVE contract): the first connection sets initialConnectionDevice, ' +
        'activatedOn (Japan-time date) and expiresOn = activatedOn + validityDays - 1; later connections change nothing. ' +
        'terminate: contractStatus TERMINATED, terminatedOn (Japan-time date); profileProvisionStatus CANCELED if the profile was never downloaded.',
      examples: ['install'],
    }),
    imei: Type.Optional(
      Type.String({
        pattern: '^[0-9]{15}$',
        format: 'imei',
        description:
          'IMEI of the device (15 digits: 8-digit TAC, 6-digit serial number, Luhn check digit, 3GPP TS 23.003 section 6.2.1). ' +
          'Required for install and connect, refused for the other events.',
        examples: [EXAMPLE_IMEI],
      }),
    ),
    occurredAt: Type.Optional(
      Type.String({
        format: 'date-time',
        description:
          "When the event happened (ISO 8601 with a time zone, e.g. 2026-03-01T10:00:00.000Z). Default: now on the reseller's sandbox clock, or the eSIM's lastUpdatedAt if that is later (after a clock reset). " +
          "Not later than the sandbox clock's now, and not earlier than the eSIM's lastUpdatedAt (events are recorded in order). " +
          'It stamps the fields the event sets (downloadedAt, initialInsertionAt, activatedOn, terminatedOn) and lastUpdatedAt.',
        examples: ['2026-03-01T10:00:00.000Z'],
      }),
    ),
  },
  { additionalProperties: false, examples: [{ event: 'install', imei: EXAMPLE_IMEI }] },
);
export type LifecycleEventRequest = Static<typeof LifecycleEventRequest>;

/** Response of every clock route: the reseller's sandbox time. */
export const SandboxClock = Type.Object(
  {
    now: Type.String({
      format: 'date-time',
      description:
        "The reseller's sandbox time (ISO 8601 UTC): real time + offsetSeconds. Every time-based field and rule of this reseller's eSIMs follows it.",
      examples: ['2026-03-09T10:30:00.000Z'],
    }),
    offsetSeconds: Type.Integer({
      minimum: 0,
      description:
        'How far the sandbox clock is ahead of real time, in seconds (0 when it was never moved or was reset).',
      examples: [691200],
    }),
  },
  { additionalProperties: false, description: "A reseller's sandbox clock" },
);
export type SandboxClock = Static<typeof SandboxClock>;

/** Body of `POST /v1/sandbox/clock/advance`. */
export const ClockAdvanceRequest = Type.Object(
  {
    days: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_ADVANCE_DAYS,
        description: 'Days (of 24 h) to move the clock forward (0 to 400).',
        examples: [8],
      }),
    ),
    hours: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_ADVANCE_HOURS,
        description: 'Hours to move the clock forward (0 to 9600), added to days.',
        examples: [12],
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'How far to move the clock forward: days and hours together, at least 1 hour and at most 400 days (9600 hours) a call.',
    examples: [{ days: 8 }],
  },
);
export type ClockAdvanceRequest = Static<typeof ClockAdvanceRequest>;
