/**
 * Plugin `auth`: Bearer API-key authentication (RFC 6750) and reseller tenancy (DESIGN.md
 * section 2). Registered in the /v1 scope; its place in the pipeline is described in
 * docs/architecture.md. The key is hashed with SHA-256 and looked up by hash; resolved keys
 * are cached in memory because keys change only at start-up.
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
// A bounded cache: a flood of unknown keys must not grow memory, so only hits are kept.
const CACHE_LIMIT = 10_000;

export interface AuthOptions {
  resellers: ResellerRepository;
}

/**
 * Adds an onRequest hook to the scope it is registered in that requires
 * `Authorization: Bearer <key>`, and sets `request.reseller` and `request.apiKeyHash`.
 * Answers (through the error handler) UNAUTHORIZED, 401 with `WWW-Authenticate: Bearer`,
 * when the header is missing, malformed or names no key.
 */
const register: FastifyPluginCallback<AuthOptions> = (scope, { resellers }, done) => {
  const cache = new Map<string, Reseller>();
  scope.decorateRequest('reseller', null as unknown as Reseller);
  scope.decorateRequest('apiKeyHash', '');
  // Callback style, not async: a cached key then costs no promise, and this hook runs on
  // every request of the API.
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
    const cached = cache.get(hash);
    if (cached) {
      authenticate(request, cached, hash);
      next();
      return;
    }
    resellers.findByKeyHash(hash).then((reseller) => {
      if (!reseller) {
        next(
          new HttpProblem('UNAUTHORIZED', 'the API key is not known', {
            'WWW-Authenticate': `${REALM}, error="invalid_token"`,
          }),
        );
        return;
      }
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(hash, reseller);
      authenticate(request, reseller, hash);
      next();
    }, next);
  });
  done();
};

/** The `auth` plugin (no dependencies: it runs first among the /v1 hooks that need a caller). */
export const authPlugin = fp(register, { name: 'auth', fastify: '5.x' });

function authenticate(request: FastifyRequest, reseller: Reseller, hash: string): void {
  request.reseller = reseller;
  request.apiKeyHash = hash;
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header ?? '');
  return match?.[1];
}
