/**
 * The JSON body parser: Fastify's own (secure-json-parse, refusing `__proto__` and
 * `constructor` poisoning) behind a UTF-8 check. JSON exchanged between systems must be
 * UTF-8 (RFC 8259 section 8.1); Fastify would otherwise decode invalid bytes to U+FFFD
 * and hand the route a planCode or day that the client never sent.
 * An empty body is refused like any invalid JSON, except by operations that take no body.
 */
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../domain/errors.js';

/** Replaces the `application/json` parser with the UTF-8-checking one. */
export function installUtf8JsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    // An operation that takes no body (clock reset) accepts an empty one, whatever the
    // Content-Type says: many clients send `Content-Type: application/json` on every call.
    if (bytes.length === 0 && request.routeOptions.schema?.body === undefined) {
      done(null, undefined);
      return;
    }
    if (!isUtf8(bytes)) {
      done(new DomainError('VALIDATION_ERROR', 'the request body is not valid UTF-8 (RFC 8259 requires UTF-8 JSON)', [{ path: 'body', message: 'must be UTF-8' }]), undefined);
      return;
    }
    parseJson(request, bytes.toString('utf8'), done);
  });
}
