/**
 * Bearer API-key authentication (RFC 6750) and reseller tenancy (DESIGN.md section 2).
 * The key is hashed with SHA-256 and looked up by hash in the store on every request, with
 * no cache: the admin API revokes keys and sandboxes expire, and every instance sharing the
 * store must refuse such a key from the next request on (docs/admin.md).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Reseller, ResellerRepository } from '../store/resellers.js';
import { HttpProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated reseller (set on every /v1 request that passed authentication). */
    reseller: Reseller;
    /** SHA-256 (hex) of the request's API key: the rate-limit identity. */
    apiKeyHash: string;
  }
}

/** Hex SHA-256 of an API key: the only form in which keys are stored. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

const REALM = 'Bearer realm="esim-sandbox"';

/**
 * Adds an onRequest hook to `scope` that requires `Authorization: Bearer <key>`.
 * @param now real time, for a sandbox's expiry (tests may fix it).
 * @throws HttpProblem UNAUTHORIZED (401 with `WWW-Authenticate: Bearer`) when the header
 *   is missing or malformed, or names no key, a revoked key or an expired sandbox's key.
 */
export function requireApiKey(
  scope: FastifyInstance,
  resellers: ResellerRepository,
  now: () => Date = () => new Date(),
): void {
  scope.decorateRequest('reseller', null as unknown as Reseller);
  scope.decorateRequest('apiKeyHash', '');
  // Callback style, not async: this hook runs on every request of the API.
  scope.addHook('onRequest', (request: FastifyRequest, _reply, done) => {
    const key = bearerToken(request.headers.authorization);
    if (key === undefined) {
      done(
        new HttpProblem('UNAUTHORIZED', 'send your API key as Authorization: Bearer <key>', {
          'WWW-Authenticate': REALM,
        }),
      );
      return;
    }
    const hash = hashApiKey(key);
    resellers.findByKeyHash(hash, now()).then((reseller) => {
      if (!reseller) {
        // One answer for unknown, revoked and expired keys: a caller learns nothing about keys it does not hold.
        done(
          new HttpProblem('UNAUTHORIZED', 'the API key is not known, was revoked, or its sandbox expired', {
            'WWW-Authenticate': `${REALM}, error="invalid_token"`,
          }),
        );
        return;
      }
      request.reseller = reseller;
      request.apiKeyHash = hash;
      done();
    }, done);
  });
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header ?? '');
  return match?.[1];
}
