/**
 * Plugin `cors`: with `CORS_ORIGINS` set, a browser app on a listed origin may call the API
 * (the Fetch standard's CORS protocol, through @fastify/cors). Registered on the root before
 * every route, so that a preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`)
 * is answered in onRequest, before authentication: browsers never send credentials with it.
 * Unset, nothing is registered and no response carries a CORS header.
 */
import cors from '@fastify/cors';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/** The methods the API serves. */
export const CORS_ALLOWED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'];
/** The request headers a browser app may send: the key, JSON bodies, and the sandbox's own. */
export const CORS_ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'Sandbox-Fault',
  'X-Request-Id',
];
/** The response headers a browser app may read beyond the CORS-safelisted ones. */
export const CORS_EXPOSED_HEADERS = [
  'X-Request-Id',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'Retry-After',
  'Idempotent-Replayed',
  'WWW-Authenticate',
  'Location',
];
/** How long a browser may cache a preflight answer (s); Chromium caps it at 7200. */
export const CORS_MAX_AGE_SECONDS = 600;

export interface CorsOptions {
  /** `CORS_ORIGINS`; empty: no CORS. `['*']`: any origin. */
  origins: string[];
}

const register: FastifyPluginAsync<CorsOptions> = async (app, { origins }) => {
  if (origins.length === 0) return;
  const any = origins[0] === '*';
  const listed = new Set(origins);
  await app.register(cors, {
    // No CORS at all for a request without Origin (not from a browser app) or from an origin
    // not listed: the answer is the one without CORS, and a browser refuses to expose it.
    // An allowed origin is echoed (with Vary: Origin), or `*` for CORS_ORIGINS=*.
    origin: (origin, callback) => {
      if (origin === undefined || !(any || listed.has(origin))) callback(null, false);
      else callback(null, any ? '*' : origin);
    },
    methods: CORS_ALLOWED_METHODS,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    // API keys travel in Authorization, set by the app: no cookies, so no credentials mode.
    credentials: false,
    maxAge: CORS_MAX_AGE_SECONDS,
    // An OPTIONS from an allowed origin without Access-Control-Request-Method is answered
    // like a preflight, not with @fastify/cors's text/plain 400. One without Origin gets the
    // 204 with Allow of the not-found handler.
    strictPreflight: false,
  });
};

/** The `cors` plugin (no dependencies); register it on the root before the routes. */
export const corsPlugin = fp(register, { name: 'cors', fastify: '5.x' });
