/**
 * eSIMs, orders, emergency control and data usage: the seed reference's response DTOs and
 * request bodies, with its descriptions and (Luhn-valid) examples.
 */
import { Type, type Static } from 'typebox';
import { EXAMPLE_ICCIDS, EXAMPLE_TRANSACTION_ID, NullableInstant, NullableJstDate, NullableString } from './common.js';

export const CONTRACT_STATUSES = ['ACTIVE', 'SUSPENDED', 'TERMINATED'] as const;
export const PROVISION_STATUSES = [
  'RESERVATION_PENDING',
  'RESERVED',
  'FINALIZED',
  'AVAILABLE',
  'DOWNLOADED',
  'CANCELED',
  'ERROR',
] as const;
export const INSTALL_STATUSES = ['READY', 'CONFIRMATION_FAILED', 'DOWNLOADED', 'INSTALLED'] as const;

/** One day of data usage: a calendar date and the kilobytes used that day (a decimal string). */
export const DataUsageDailyItem = Type.Object(
  {
    day: Type.String({ format: 'date', description: 'Date (YYYY-MM-DD format)', examples: ['2025-12-10'] }),
    usage: Type.String({
      pattern: '^[0-9]+$',
      maxLength: 32,
      description: 'Usage amount in KB (string of decimal digits, at most 2^53 - 1). 100MB = 102400KB (100 * 1024)',
      examples: ['102400'],
    }),
  },
  { additionalProperties: false, description: 'DataUsageDailyItemDto' },
);
export type DataUsageDailyItem = Static<typeof DataUsageDailyItem>;

const ExampleUsage = [{ day: '2025-12-10', usage: '102400' }];

/** The seed reference's eSIM status response. */
export const Esim = Type.Object(
  {
    iccid: Type.String({
      description:
        'Unique identifier for this eSIM (ICCID). Use this value to query eSIM status or perform operations like emergency control.',
      examples: [EXAMPLE_ICCIDS[0]],
    }),
    homeCountry: Type.String({
      description:
        'Home country where this eSIM is primarily used (ISO 3166-1 alpha-2 code, e.g., JP for Japan, US for United States).',
      examples: ['JP'],
    }),
    roamingCountries: Type.Array(Type.String(), {
      description:
        'List of roaming countries where this eSIM can also be used (ISO 3166-1 alpha-2 codes). Empty array if no roaming is available.',
      examples: [['KR', 'CN', 'TW']],
    }),
    contractStatus: Type.Enum(CONTRACT_STATUSES, {
      description:
        'Current contract status. ACTIVE: eSIM is usable. SUSPENDED: Temporarily suspended via emergency control (can be released). ' +
        'TERMINATED: Service ended permanently (expired or canceled).',
      examples: ['ACTIVE'],
    }),
    profileProvisionStatus: Type.Enum(PROVISION_STATUSES, {
      description:
        'eSIM profile provision status. AVAILABLE: Ready for user to download. DOWNLOADED: User has downloaded the profile. ' +
        'CANCELED/ERROR: Profile is no longer available. RESERVATION_PENDING, RESERVED, FINALIZED: stages before the profile is available ' +
        '(a sandbox order returns AVAILABLE profiles).',
      examples: ['AVAILABLE'],
    }),
    profileInstallStatus: Type.Enum(INSTALL_STATUSES, {
      description:
        'eSIM installation status on user device. READY: Not yet installed. DOWNLOADED: Profile downloaded to device. ' +
        'INSTALLED: Successfully installed and ready to use. CONFIRMATION_FAILED: the installation could not be confirmed.',
      examples: ['READY'],
    }),
    isServiceRestricted: Type.Boolean({
      description:
        'Whether network access is currently blocked. True when emergency control (suspend) is active. Use emergency control API to release the restriction.',
      examples: [false],
    }),
    qrCode: Type.String({
      description:
        'QR code content for eSIM installation. Generate a QR code from this string and let the end user scan it with their device to install the eSIM profile. ' +
        'Format: LPA:1$<SM-DP+ address>$<matching ID> (GSMA SGP.22 activation code).',
      examples: ['LPA:1$smdp.sandbox.example$K2F9Q-7ZJ4M-XW3TD-8HN6C'],
    }),
    smdpAddress: Type.String({
      description:
        'SM-DP+ server address for manual eSIM setup. Provide this to end users who cannot scan QR codes and need to enter details manually.',
      examples: ['smdp.sandbox.example'],
    }),
    activationCode: Type.String({
      description:
        'Activation code for manual eSIM setup. Used together with smdpAddress when end users enter eSIM details manually instead of scanning QR code. (The SGP.22 matching ID.)',
      examples: ['K2F9Q-7ZJ4M-XW3TD-8HN6C'],
    }),
    activationDeadline: NullableInstant(
      'Deadline for eSIM installation (ISO 8601 UTC). The end user must install the eSIM before this date. Null if no deadline is set.',
      '2026-06-05T00:00:00.000Z',
    ),
    downloadedAt: NullableInstant(
      'When the end user downloaded the eSIM profile to their device (ISO 8601 UTC). Null if not yet downloaded. This indicates the user has received the profile but may not have installed it yet.',
      '2025-07-15T00:46:09.816Z',
    ),
    activatedOn: NullableJstDate(
      'Date when the eSIM was first activated by connecting to the network (YYYY-MM-DD, Japan time). Null if never activated. This marks the start of the service period for time-limited plans.',
      '2025-12-01',
    ),
    terminatedOn: NullableJstDate(
      'Date when the eSIM service was terminated (YYYY-MM-DD, Japan time). This is the line termination date from the provider, not an expiration date. Null if not yet terminated.',
      '2025-12-31',
    ),
    expiresOn: NullableJstDate(
      'Plan expiration date in Japan Standard Time (YYYY-MM-DD). The service will be terminated at an unspecified time on the following day. Null if not yet activated.',
      '2025-12-07',
    ),
    initialInsertionDevice: NullableString({
      pattern: '^[0-9]{15}$',
      description:
        'IMEI of the device where eSIM was first installed (15-digit). Null if not yet installed. Useful for tracking which device the end user is using.',
      examples: ['490154203237518'],
    }),
    initialInsertionAt: NullableInstant(
      'When the eSIM was first installed on a device (ISO 8601 UTC). Null if not yet installed.',
      '2025-12-01T10:00:00.000Z',
    ),
    initialConnectionDevice: NullableString({
      pattern: '^[0-9]{15}$',
      description:
        'IMEI of the device that first connected to the network (15-digit). Null if never connected. May differ from initialInsertionDevice if user moved eSIM to another device.',
      examples: ['490154203237518'],
    }),
    dataUsageDailyList: Type.Array(DataUsageDailyItem, {
      description:
        'Daily data usage breakdown. Each entry contains the date and kilobytes (KB) used on that day. Empty array if no usage data is available yet.',
      examples: [ExampleUsage],
    }),
    totalDataUsage: Type.Integer({
      minimum: 0,
      description: 'Total cumulative data usage for this eSIM, in kilobytes (KB).',
      examples: [307200],
    }),
    lastUpdatedAt: Type.String({
      format: 'date-time',
      description:
        'When this eSIM data was last synced from the carrier (ISO 8601 UTC). Data may be slightly delayed. For real-time status, call the eSIM status API again.',
      examples: ['2026-01-22T10:30:00.000Z'],
    }),
  },
  { additionalProperties: false, description: 'eSIM status' },
);
export type Esim = Static<typeof Esim>;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];
export type ProvisionStatus = (typeof PROVISION_STATUSES)[number];
export type InstallStatus = (typeof INSTALL_STATUSES)[number];

/** Body of `POST /v1/orders`. */
export const OrderRequest = Type.Object(
  {
    planCode: Type.String({ minLength: 1, maxLength: 64, description: 'Plan code', examples: ['KD0001'] }),
    quantity: Type.Integer({
      minimum: 1,
      maximum: 1000,
      description: 'Number of eSIMs to order (1-1000)',
      examples: [1],
    }),
  },
  { additionalProperties: false, examples: [{ planCode: 'KD0001', quantity: 1 }] },
);
export type OrderRequest = Static<typeof OrderRequest>;

/** Response of `POST /v1/orders`. */
export const OrderResponse = Type.Object(
  {
    transactionId: Type.String({
      format: 'uuid',
      description:
        'Transaction ID (UUID format). Keep it: GET /v1/orders/{transactionId} lists the ICCIDs of this order.',
      examples: [EXAMPLE_TRANSACTION_ID],
    }),
    esims: Type.Array(Esim, { description: 'The eSIMs allocated by this order, one per quantity, in ICCID order.' }),
  },
  { additionalProperties: false },
);
export type OrderResponse = Static<typeof OrderResponse>;

/** Path of `GET /v1/orders/{transactionId}`. */
export const TransactionIdParams = Type.Object(
  {
    transactionId: Type.String({
      format: 'uuid',
      description: 'Transaction ID returned from Order eSIM API (UUID format)',
      examples: [EXAMPLE_TRANSACTION_ID],
    }),
  },
  { additionalProperties: false },
);

/** Response of `GET /v1/orders/{transactionId}`. */
export const OrderIccids = Type.Object(
  {
    transactionId: Type.String({
      format: 'uuid',
      description: 'Transaction ID (UUID format)',
      examples: [EXAMPLE_TRANSACTION_ID],
    }),
    iccids: Type.Array(Type.String(), { description: 'List of allocated ICCIDs', examples: [[...EXAMPLE_ICCIDS]] }),
  },
  { additionalProperties: false },
);
export type OrderIccids = Static<typeof OrderIccids>;

/** Body of `POST /v1/esims/{iccid}/emergency-control`. */
export const EmergencyControlRequest = Type.Object(
  {
    action: Type.Enum(['suspend', 'release'], {
      description: "Action type: 'suspend' for emergency suspension, 'release' to lift the suspension",
      examples: ['suspend'],
    }),
  },
  { additionalProperties: false, examples: [{ action: 'suspend' }] },
);
export type EmergencyAction = Static<typeof EmergencyControlRequest>['action'];

/** Body of `PUT /v1/sandbox/esims/{iccid}/data-usage`: the whole daily list, replacing the old one. */
export const DataUsageRequest = Type.Array(DataUsageDailyItem, {
  maxItems: 1000,
  description:
    'Daily data usage list (0 to 1000 items, each day at most once). Replaces the whole list. 100MB = 102400KB (100 * 1024)',
  examples: [
    [
      { day: '2025-12-10', usage: '102400' },
      { day: '2025-12-11', usage: '102400' },
      { day: '2025-12-12', usage: '102400' },
    ],
  ],
});

/** Response of `PUT /v1/sandbox/esims/{iccid}/data-usage`. */
export const DataUsageResponse = Type.Object(
  {
    message: Type.String({ description: 'Result message', examples: ['Data usage updated successfully'] }),
    iccid: Type.String({ description: 'ICCID', examples: [EXAMPLE_ICCIDS[0]] }),
    dataUsageDailyList: Type.Array(DataUsageDailyItem, {
      description: 'Configured data usage list, by day',
      examples: [ExampleUsage],
    }),
  },
  { additionalProperties: false },
);
export type DataUsageResponse = Static<typeof DataUsageResponse>;
