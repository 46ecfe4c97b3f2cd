/**
 * The JSON body parser: Fastify's own (secure-json-parse, refusing `__proto__` and
 * `constructor` poisoning) behind a UTF-8 check. JSON exchanged between systems must be
 * UTF-8 (RFC 8259 section 8.1); Fastify would otherwise decode invalid bytes to U+FFFD
 * and hand the route a planCode or day that the client never sent.
 * An empty body is refused like any invalid JSON, except by operations that take no body.
 * A compressed body (`Content-Encoding` other than `identity`) is refused with 415, as RFC
 * 9110 section 8.4.1 asks of a server that does not decode it: it would otherwise be read
 * as plain JSON. So is a `charset` other than UTF-8 (RFC 8259 section 8.1 allows no other).
 * A member given twice in one object, or nesting deeper than MAX_JSON_DEPTH, is refused with
 * a 400 naming it (json-structure.ts), where JSON.parse would keep the last one silently.
 */
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { safeParse } from 'fast-content-type-parse';
import { DomainError } from '../domain/errors.js';
import { jsonStructureProblem, jsonSyntaxProblem } from './json-structure.js';

// The bytes of a JSON body as they came, before parsing and schema defaults: what the request
// log keeps. A symbol, not a decorator: only requests with a JSON body carry it.
const RAW_BODY = Symbol('raw-json-body');
type WithRawBody = { [RAW_BODY]?: Buffer };

/** The bytes of the request's JSON body as sent, or undefined when it had none (or another media type). */
export function rawJsonBody(request: FastifyRequest): Buffer | undefined {
  return (request as unknown as WithRawBody)[RAW_BODY];
}

/** Replaces the `application/json` parser with the UTF-8-checking one. */
export function installUtf8JsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    (request as unknown as WithRawBody)[RAW_BODY] = bytes;
    const coding = request.headers['content-encoding'];
    if (coding !== undefined && coding.trim().toLowerCase() !== 'identity') {
      done(
        Object.assign(new Error(`Content-Encoding ${coding} is not supported: send the body uncompressed`), {
          code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
          statusCode: 415,
        }),
        undefined,
      );
      return;
    }
    const charset = declaredCharset(request.headers['content-type']);
    if (charset !== undefined && charset !== 'utf-8') {
      done(
        Object.assign(
          new Error(
            `Content-Type charset=${charset} is not supported: JSON is UTF-8 (RFC 8259 section 8.1); send charset=utf-8 or no charset`,
          ),
          { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 },
        ),
        undefined,
      );
      return;
    }
    // An operation that takes no body (clock reset) accepts an empty one, whatever the
    // Content-Type says: many clients send `Content-Type: application/json` on every call.
    if (bytes.length === 0 && request.routeOptions.schema?.body === undefined) {
      done(null, undefined);
      return;
    }
    if (!isUtf8(bytes)) {
      done(
        new DomainError('VALIDATION_ERROR', 'the request body is not valid UTF-8 (RFC 8259 requires UTF-8 JSON)', [
          { path: 'body', message: 'must be UTF-8' },
        ]),
        undefined,
      );
      return;
    }
    const text = bytes.toString('utf8');
    void parseJson(request, text, (error, value) => {
      // secure-json-parse refuses these keys (prototype poisoning), and Fastify reports that as
      // invalid JSON: when plain JSON.parse takes the text, that was the reason, so say so.
      if (error && isPlainJson(text)) {
        done(
          new DomainError(
            'VALIDATION_ERROR',
            'the request body has a __proto__ or constructor.prototype key, refused for safety',
            [{ path: 'body', message: 'must not have a __proto__ or constructor.prototype key' }],
          ),
          undefined,
        );
        return;
      }
      if (error) {
        const syntax = jsonSyntaxProblem(text, error.message);
        done(new DomainError('VALIDATION_ERROR', syntax.detail, [syntax.violation]), undefined);
        return;
      }
      const found = jsonStructureProblem(text);
      if (found) {
        done(new DomainError('VALIDATION_ERROR', found.detail, [found.violation]), undefined);
        return;
      }
      done(null, value);
    });
  });
}

/**
 * The `charset` parameter of a Content-Type, lower-cased, or undefined when it has none
 * (RFC 9110 section 8.3: parameter names and the charset value are case-insensitive,
 * the value may be quoted).
 */
export function declaredCharset(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  return safeParse(contentType).parameters.charset?.toLowerCase();
}

function isPlainJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
