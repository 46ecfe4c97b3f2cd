/** The use cases' caller, from an authenticated request. */
import type { FastifyRequest } from 'fastify';
import type { Caller } from '../service/sandbox.js';

/**
 * Who a request works for: its API key's reseller (set by the auth hook) and its request id
 * (Fastify's request.id: the caller's X-Request-Id when valid, else a new UUID), which the
 * changes it makes record in eSIM histories and the orders listing.
 */
export function callerOf(request: FastifyRequest): Caller {
  return { resellerId: request.reseller.id, requestId: request.id };
}
