/**
 * Plugin `request-id`: every response carries `X-Request-Id`, the id Fastify gave the request
 * (and its log lines, as `requestId`): the client's own `X-Request-Id` when it matches
 * `^[A-Za-z0-9._:-]{1,128}$`, else a new UUID (DESIGN.md section 2). Fastify draws the id
 * before any plugin runs, so `genReqId` is a server option (app.ts); this plugin sends it.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyPluginCallback } from 'fastify';
import fp from 'fastify-plugin';

/** A request id the client may choose: 1 to 128 of `A-Z a-z 0-9 . _ : -`. */
export const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Fastify's `genReqId`: the client's `X-Request-Id` when it matches REQUEST_ID, else a random UUID. */
export function genReqId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

const register: FastifyPluginCallback = (app, _options, done) => {
  app.addHook('onRequest', (request, reply, next) => {
    reply.header('X-Request-Id', request.id);
    next();
  });
  done();
};

/** The `request-id` plugin (no dependencies); register it first, so every answer carries the id. */
export const requestIdPlugin = fp(register, { name: 'request-id', fastify: '5.x' });
