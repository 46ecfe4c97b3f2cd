/**
 * The admin API's gate (docs/admin.md), for the scope it is registered in (`/admin/v1`):
 *
 * - no `ADMIN_TOKEN`: every request answers 404 NOT_FOUND, as a route that does not exist
 *   (nothing tells a caller that an admin API could be switched on);
 * - with it: `Authorization: Bearer <token>` is required, else 401 UNAUTHORIZED with
 *   `WWW-Authenticate: Bearer` (RFC 6750). The token's SHA-256 digest is compared with the
 *   configured one by `crypto.timingSafeEqual`: two digests of equal length, so the time
 *   taken says nothing about how much of the token was right, nor about its length.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { bearerToken } from './auth.js';
import { HttpProblem } from '../problem.js';

/** Options: the configured token's SHA-256 digest, or null when ADMIN_TOKEN is unset. */
export interface AdminAuthOptions {
  tokenSha256: Buffer | null;
}

const REALM = 'Bearer realm="esim-sandbox-admin"';

/** True when `token`'s SHA-256 digest equals `expectedSha256`, compared in constant time. */
export function adminTokenMatches(token: string, expectedSha256: Buffer): boolean {
  const given = createHash('sha256').update(token, 'utf8').digest();
  return given.length === expectedSha256.length && timingSafeEqual(given, expectedSha256);
}

async function adminAuth(scope: FastifyInstance, { tokenSha256 }: AdminAuthOptions): Promise<void> {
  scope.addHook('onRequest', async (request: FastifyRequest) => {
    if (tokenSha256 === null)
      throw new HttpProblem('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
    const token = bearerToken(request.headers.authorization);
    if (token === undefined)
      throw new HttpProblem('UNAUTHORIZED', 'send the admin token as Authorization: Bearer <ADMIN_TOKEN>', {
        'WWW-Authenticate': REALM,
      });
    if (!adminTokenMatches(token, tokenSha256))
      throw new HttpProblem('UNAUTHORIZED', 'the admin token is not the one this server was started with', {
        'WWW-Authenticate': `${REALM}, error="invalid_token"`,
      });
  });
}

/** The admin gate as a plugin: its hook applies to the scope that registers it. */
export const adminAuthPlugin = fp(adminAuth, { name: 'admin-auth', fastify: '5.x' });
