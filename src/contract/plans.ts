/**
 * Data plans: the seed reference's DataPlanResponseDto, the list query and the page shape.
 * Descriptions and examples are the seed's; where the seed left an enum or unit unsaid,
 * the description says what the sandbox means by it (see src/catalog/CATALOG.md).
 */
import { Type, type Static } from 'typebox';

/** Radio access technology of a network. */
export const NetworkType = Type.Enum(['4G', '5G'], {
  description: 'Radio access technology: 4G (LTE) or 5G (NR).',
});

export const Network = Type.Object(
  {
    name: Type.String({ description: 'Name of the mobile network the eSIM can attach to.', examples: ['au'] }),
    types: Type.Array(NetworkType, {
      minItems: 1,
      description: 'Radio types available on that network.',
      examples: [['4G', '5G']],
    }),
  },
  { additionalProperties: false },
);

export const Coverage = Type.Object(
  {
    code: Type.String({
      pattern: '^[A-Z]{2}$',
      description: 'Covered country (ISO 3166-1 alpha-2).',
      examples: ['JP'],
    }),
    networks: Type.Array(Network, { minItems: 1, description: 'Networks usable in that country.' }),
  },
  { additionalProperties: false },
);

const Direction = (what: string) =>
  Type.Object(
    {
      inbound: Type.Boolean({ description: `Incoming ${what} supported.`, examples: [true] }),
      outbound: Type.Boolean({ description: `Outgoing ${what} supported.`, examples: [false] }),
    },
    {
      additionalProperties: false,
      description: `Whether ${what} can be received (inbound) and made or sent (outbound).`,
    },
  );

export const Telephony = Type.Object(
  {
    dialingCode: Type.String({
      pattern: '^\\+[0-9]{1,4}$',
      description: "International dialing code of the plan's home country (ITU-T E.164).",
      examples: ['+81'],
    }),
    voice: Direction('voice calls'),
    sms: Direction('SMS'),
  },
  { additionalProperties: false, description: 'Voice and SMS capabilities of the plan.' },
);

const Price = (description: string, example: string) =>
  Type.String({ pattern: '^[0-9]+\\.[0-9]{2}$', description, examples: [example] });

/** The seed reference's DataPlanResponseDto. */
export const DataPlan = Type.Object(
  {
    planCode: Type.String({
      pattern: '^[A-Z]{2}[0-9]{4}$',
      description: 'Plan code: 2-letter provider prefix + 4 digits. Use it as `planCode` when ordering.',
      examples: ['KD0001'],
    }),
    planName: Type.String({ description: 'Display name of the plan.', examples: ['1GB 7 Days Plan'] }),
    planType: Type.Enum(['FIXED', 'UNLIMITED'], {
      description:
        'FIXED: a fixed data allowance; data stops at the cap (reducedSpeed is 0). ' +
        'UNLIMITED: never cut off; past the cap the speed drops to reducedSpeed.',
      examples: ['UNLIMITED'],
    }),
    providerCode: Type.String({
      pattern: '^[A-Z0-9_-]{1,32}$',
      description: 'Code of the mobile operator (MNO) providing the plan.',
      examples: ['KDDI'],
    }),
    coverages: Type.Array(Coverage, {
      minItems: 1,
      description: 'Countries covered, with their networks and radio types. Includes the home country.',
    }),
    ipCountry: Type.Array(Type.String({ pattern: '^[A-Z]{2}$' }), {
      minItems: 1,
      description:
        'Countries where the data session breaks out to the internet, i.e. the country of the IP address websites see (ISO 3166-1 alpha-2).',
      examples: [['JP']],
    }),
    dataCap: Type.Number({
      exclusiveMinimum: 0,
      description: 'Data allowance, in dataUnit, per dataCapPer.',
      examples: [1],
    }),
    dataUnit: Type.Enum(['MB', 'GB'], {
      description: 'Unit of dataCap: MB (1024 KB) or GB (1024 MB).',
      examples: ['GB'],
    }),
    dataCapPer: Type.Enum(['DAY', 'PLAN'], {
      description: 'DAY: the cap resets every day at 00:00 Japan time. PLAN: the cap is for the whole validity period.',
      examples: ['DAY'],
    }),
    maxSpeed: Type.Integer({ minimum: 1, description: 'Maximum speed, in kbps.', examples: [10000] }),
    reducedSpeed: Type.Integer({
      minimum: 0,
      description: 'Speed after the cap is reached, in kbps; 0 for FIXED plans (data stops).',
      examples: [128],
    }),
    tethering: Type.Boolean({
      description: 'Whether the device may share the connection (hotspot).',
      examples: [true],
    }),
    validityDays: Type.Integer({
      minimum: 1,
      description: 'Days of service from activation (first connection).',
      examples: [7],
    }),
    validityInfo: Type.String({
      description: 'Validity period, in words.',
      examples: ['Valid for 7 days from first use'],
    }),
    activationInfo: Type.String({
      description: 'When the validity period starts, in words.',
      examples: ['Validity starts when the eSIM first connects to a network'],
    }),
    unusedTerminationDays: Type.Integer({
      minimum: 1,
      description:
        'Days after the order by which the eSIM must be installed; it sets the eSIM activationDeadline. An eSIM never installed by then is terminated.',
      examples: [180],
    }),
    netPrice: Price("Reseller's price, USD, decimal string with two decimals.", '9.99'),
    suggestedRetailPrice: Price(
      'Suggested retail price, USD, decimal string with two decimals; never below netPrice.',
      '12.99',
    ),
    telephony: Telephony,
    topUpSupported: Type.Boolean({
      description: 'Whether data top-ups can be bought for this plan.',
      examples: [false],
    }),
    eKYC: Type.Boolean({
      description: 'Whether the end user must pass electronic identity verification (eKYC) before use.',
      examples: [false],
    }),
    serviceRestrictions: Type.String({
      description: 'Restrictions of the service, in words.',
      examples: ['Unlimited on-device data. Tethering up to 3 GB total.'],
    }),
  },
  { additionalProperties: false, description: 'A data plan the reseller can order.' },
);
export type DataPlan = Static<typeof DataPlan>;

/** Query of `GET /v1/plans` (DESIGN.md section 2, Validation). */
export const PlanQuery = Type.Object(
  {
    countryCode: Type.Optional(
      Type.String({
        pattern: '^[A-Z]{2}$',
        description: 'Country code to filter (ISO 3166-1 alpha-2, 2 uppercase letters)',
        examples: ['JP'],
      }),
    ),
    providerCode: Type.Optional(
      Type.String({ pattern: '^[A-Z0-9_-]{1,32}$', description: 'Provider code to filter by', examples: ['KDDI'] }),
    ),
    page: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: Number.MAX_SAFE_INTEGER,
        default: 1,
        description: 'Page number (1-based, at most 2^53 - 1)',
        examples: [1],
      }),
    ),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 200, default: 10, description: 'Items per page (1-200)', examples: [200] }),
    ),
    includeRoaming: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'Include roaming countries in search. When true, searches both home country (esimProvider.country) and roamingCountries. ' +
          'When false (default), searches home country only.',
        examples: [false],
      }),
    ),
  },
  { additionalProperties: false },
);
export type PlanQuery = Static<typeof PlanQuery>;

export const PageMeta = Type.Object(
  {
    total: Type.Integer({ minimum: 0, description: 'Number of plans matching the filters.', examples: [100] }),
    page: Type.Integer({ minimum: 1, description: 'This page (1-based).', examples: [1] }),
    limit: Type.Integer({ minimum: 1, maximum: 200, description: 'Items per page.', examples: [10] }),
    totalPages: Type.Integer({ minimum: 0, description: 'Number of pages: ceil(total / limit).', examples: [10] }),
  },
  { additionalProperties: false, description: 'Pagination metadata' },
);

export const PlanPage = Type.Object(
  {
    items: Type.Array(DataPlan, { description: 'List of data plans' }),
    meta: PageMeta,
  },
  { additionalProperties: false },
);
export type PlanPage = Static<typeof PlanPage>;
