/**
 * Shared pieces of the v1 contract: the sandbox ICCID, dates, problem details and the
 * rate-limit headers. Every schema here feeds request validation, response serialization,
 * the TypeScript types (`Static`) and the OpenAPI document at once.
 */
import { Type, type Static } from 'typebox';
import { problemCodesText } from './problem-codes.js';

/** Valid sandbox ICCIDs used as examples (the seed's own samples fail the Luhn check). */
export const EXAMPLE_ICCIDS = ['8900000000000000011', '8900000000000000029'] as const;
/** Example transactionId, from the seed reference. */
export const EXAMPLE_TRANSACTION_ID = 'a1b2c3d4-e5f6-7890-abcd-ef1234567890';

/** ICCID path parameter: 19 digits, `8900` prefix, Luhn check digit (ITU-T E.118). */
export const IccidParam = Type.String({
  // The pattern tells generic OpenAPI tools the shape; the format adds the Luhn rule and
  // lets the server say which of the three rules failed.
  pattern: '^8900[0-9]{15}$',
  format: 'sandbox-iccid',
  description:
    'ICCID (19-digit numeric string: 18-digit base + 1-digit check digit, starts with 8900 for sandbox). ' +
    'The last digit is the Luhn check digit of the first 18 (ITU-T E.118).',
  examples: [EXAMPLE_ICCIDS[0]],
});

/** The query of operations that take none: any query parameter is an unknown property (400). */
export const NoQuery = Type.Object({}, { additionalProperties: false });

/** `YYYY-MM-DD` calendar date. */
export const CalendarDate = (description: string) =>
  Type.String({ format: 'date', description, examples: ['2025-12-10'] });

/**
 * A string or null, written as JSON Schema's `type: ["string", "null"]` (valid OpenAPI 3.1)
 * rather than `anyOf`: the response serializer then writes it directly, where an `anyOf`
 * makes it validate the value at run time to pick a branch.
 */
export const NullableString = (options: {
  description: string;
  examples: string[];
  format?: string;
  pattern?: string;
}) => Type.Unsafe<string | null>({ type: ['string', 'null'], ...options });

/** Nullable `YYYY-MM-DD` calendar date in Japan time. */
export const NullableJstDate = (description: string, example: string) =>
  NullableString({ format: 'date', description, examples: [example] });

/** Nullable ISO 8601 UTC instant. */
export const NullableInstant = (description: string, example: string) =>
  NullableString({ format: 'date-time', description, examples: [example] });

/** One `{path, message}` entry of a validation problem. */
export const ProblemFieldError = Type.Object(
  {
    path: Type.String({
      description: 'Where the invalid value is: `query.countryCode`, `path.iccid`, `body.quantity`, `body[2].day`.',
      examples: ['body.quantity'],
    }),
    message: Type.String({ description: 'The rule the value broke.', examples: ['must be <= 1000'] }),
  },
  { additionalProperties: false },
);

/** RFC 9457 problem details, served as `application/problem+json`. */
export const Problem = Type.Object(
  {
    type: Type.String({
      description: 'URI reference naming the problem type (RFC 9457).',
      examples: ['urn:esim-sandbox:problem:validation-error'],
    }),
    title: Type.String({
      description: 'Short, human-readable summary of the problem type.',
      examples: ['Validation error'],
    }),
    status: Type.Integer({ description: 'The HTTP status code.', examples: [400] }),
    detail: Type.String({
      description: 'Human-readable explanation of this occurrence.',
      examples: ['body.quantity must be <= 1000'],
    }),
    code: Type.String({
      description: `Stable machine-readable code, with its status: ${problemCodesText()}.`,
      examples: ['VALIDATION_ERROR'],
    }),
    requestId: Type.String({
      description: 'The X-Request-Id of the request, also in the logs.',
      examples: ['3f1c2b7e-8a4d-4b0e-9a51-0c6f0f3d2a10'],
    }),
    errors: Type.Optional(
      Type.Array(ProblemFieldError, { description: 'One entry for each invalid field (validation errors only).' }),
    ),
  },
  { additionalProperties: false, description: 'RFC 9457 problem details.' },
);
export type Problem = Static<typeof Problem>;

/** The rate-limit headers every authenticated response of a limited route carries. */
export const rateLimitHeaders = {
  'X-RateLimit-Limit': Type.Integer({ description: 'Maximum number of requests allowed per minute', examples: [60] }),
  'X-RateLimit-Remaining': Type.Integer({
    description: 'Number of requests remaining in the current time window',
    examples: [59],
  }),
  'X-RateLimit-Reset': Type.Integer({ description: 'Seconds until the rate limit resets', examples: [45] }),
};
