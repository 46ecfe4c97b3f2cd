/**
 * The idempotency headers of the v1 contract (the IETF draft "The Idempotency-Key
 * HTTP Header Field", draft-ietf-httpapi-idempotency-key-header): the `Idempotency-Key`
 * request header of the operations that take one, and the `Idempotent-Replayed` response
 * header of a replayed response.
 */
import { Type } from 'typebox';

/** Longest key accepted, in characters (1 to 255 printable ASCII characters). */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

/** Printable ASCII, 0x20 (space) to 0x7E (~): the pattern generic OpenAPI tools see. */
export const IDEMPOTENCY_KEY_PATTERN = '^[\\x20-\\x7E]*$';

/**
 * The request headers of an idempotent operation: an optional `Idempotency-Key` (lower
 * case, as Node gives header names). Every other header is allowed.
 */
export const IdempotencyKeyHeaders = Type.Object(
  {
    'idempotency-key': Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: IDEMPOTENCY_KEY_MAX_LENGTH,
        pattern: IDEMPOTENCY_KEY_PATTERN,
        // The format explains which of the rules failed (the server's validator knows it).
        format: 'idempotency-key',
        description:
          'Makes the request safe to retry (IETF draft-ietf-httpapi-idempotency-key-header): 1 to 255 printable ASCII characters ' +
          '(0x20-0x7E), e.g. a UUID you generate per operation. Kept 24 hours (real time) per API key: a retry with the same key ' +
          'and the same request (method, path, JSON body in any key order) replays the first response, marked ' +
          '`Idempotent-Replayed: true`, and does nothing again; the same key with a different request answers 422 ' +
          'IDEMPOTENCY_KEY_REUSED; while the first request is still running, 409 IDEMPOTENCY_KEY_IN_USE with `Retry-After`. ' +
          'One header per request: given twice, it answers 400 VALIDATION_ERROR. ' +
          'A request refused by validation (400) stores nothing under its key, nor does an unexpected 500.',
        examples: ['5f0c8a9e-2b7d-4c1e-9a63-0d4e8b7f1a25'],
      }),
    ),
  },
  { additionalProperties: true },
);

/** `Idempotent-Replayed` on a replayed response (absent on the first one). */
export const idempotentReplayedHeader = {
  'Idempotent-Replayed': Type.String({
    enum: ['true'],
    description:
      'Present, with the value true, when this response is the stored response of an earlier request with the same ' +
      'Idempotency-Key, replayed: status and body are exactly as first sent, and nothing was done again. Absent on a first response.',
    examples: ['true'],
  }),
};
