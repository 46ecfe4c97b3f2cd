/**
 * Plugin `auth`: Bearer API-key authentication (RFC 6750) and reseller tenancy (DESIGN.md
 * section 2). Registered in the /v1 scope; its place in the pipeline is described in
 * docs/architecture.md. The key is hashed with SHA-256 and looked up by hash in the store on
 * every request, with no cache: the admin API revokes keys and sandboxes expire, and every
 * instance sharing the store must refuse such a key from the next request on (docs/admin.md).
 */
import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hashApiKey } from '../../domain/api-key.js';
import type { Reseller, ResellerRepository } from '../../store/resellers.js';
import { HttpProblem } from '../problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated reseller (set on every /v1 request that passed authentication). */
    reseller: Reseller;
    /** SHA-256 (hex) of the request's API key: the rate-limit and idempotency-key identity. */
    apiKeyHash: string;
  }
}

const REALM = 'Bearer realm="esim-sandbox"';

export interface AuthOptions {
  resellers: ResellerRepository;
  /** Real time, for a sandbox's expiry (tests may fix it); default `new Date()`. */
  now?: () => Date;
}

/**
 * Adds an onRequest hook to the scope it is registered in that requires
 * `Authorization: Bearer <key>`, and sets `request.reseller` and `request.apiKeyHash`.
 * Answers (through the error handler) UNAUTHORIZED, 401 with `WWW-Authenticate: Bearer`,
 * when the header is missing or malformed, or names no key, a revoked key or an expired
 * sandbox's key.
 */
const register: FastifyPluginCallback<AuthOptions> = (scope, { resellers, now = () => new Date() }, done) => {
  scope.decorateRequest('reseller', null as unknown as Reseller);
  scope.decorateRequest('apiKeyHash', '');
  // Callback style, not async: this hook runs on every request of the API.
  scope.addHook('onRequest', (request: FastifyRequest, _reply, next) => {
    const key = bearerToken(request.headers.authorization);
    if (key === undefined) {
      next(
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
        next(
          new HttpProblem('UNAUTHORIZED', 'the API key is not known, was revoked, or its sandbox expired', {
            'WWW-Authenticate': `${REALM}, error="invalid_token"`,
          }),
        );
        return;
      }
      request.reseller = reseller;
      request.apiKeyHash = hash;
      next();
    }, next);
  });
  done();
};

/** The `auth` plugin (no dependencies: it runs first among the /v1 hooks that need a caller). */
export const authPlugin = fp(register, { name: 'auth', fastify: '5.x' });

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header ?? '');
  return match?.[1];
}
