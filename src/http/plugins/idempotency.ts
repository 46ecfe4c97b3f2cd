/**
 * Idempotency keys on the operations that opt in (route `config: { idempotent: true }`):
 * `POST /v1/orders` and `POST /v1/esims/{iccid}/emergency-control` (DESIGN.md section 3;
 * the IETF draft "The Idempotency-Key HTTP Header Field").
 *
 * A request with an `Idempotency-Key` header (validated by the route's header schema with
 * the rest of the request: a 400 stores nothing; the header given twice is a 400 too)
 * claims the key for its API key in the database before its handler runs; the response is
 * stored, errors included, before it is written, so the key is "in flight until its
 * response is stored" on every instance.
 * A retry with the same request replays the stored status, Content-Type and body with
 * `Idempotent-Replayed: true`, and the handler does not run. A request without the header
 * costs nothing here: no query, no promise.
 *
 * Two deliberate deviations, documented in docs/idempotency-and-faults.md:
 * - a 5xx (an unexpected failure: the operation rolled back) releases the key instead of
 *   being stored, so the client's retry runs again rather than getting the 500 for 24 hours;
 * - a process that dies between its operation's commit and the store of its response
 *   leaves the key in flight; after the lease (60 s) another request takes it over and
 *   runs the operation again. The window is the one awaited UPDATE in `onSend`.
 *
 * Plugin `idempotency`, registered in the /v1 scope after `auth` (the key is claimed per API
 * key hash) and `fault-injection` (an injected `error=` answers before any key is claimed);
 * the fault onSend is route-level and so acts on a response already stored. See
 * docs/architecture.md (Request pipeline).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { decideOnStoredKey, IDEMPOTENCY_TTL_MS, requestFingerprint } from '../../domain/idempotency.js';
import type { IdempotencyClaim, IdempotencyRepository, StoredKeyRow } from '../../store/idempotency.js';
import { HttpProblem } from '../problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes an `Idempotency-Key` header (its schema must declare it). */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    /** The key this request claimed and must store or release; null for every other request. */
    idempotencyClaim: IdempotencyClaim | null;
  }
}

/** Route config of an operation that takes an `Idempotency-Key`. */
export const IDEMPOTENT = { idempotent: true } as const;

export interface IdempotencyOptions {
  repository: IdempotencyRepository;
  /** Real time (tests inject a clock); never a reseller's sandbox clock. */
  now?: () => Date;
}

// Expired keys are deleted now and then, at most this often per instance, and at most
// SWEEP_LIMIT rows at a time (a keyed request starts the sweep and does not wait for it).
const SWEEP_INTERVAL_MS = 60_000;
const SWEEP_LIMIT = 1000;
// A claim lost to a concurrent release or sweep is tried again; past this, the key is busy.
const CLAIM_ATTEMPTS = 3;

/**
 * Adds the idempotency hooks (preValidation, preHandler, onSend, onClose) to the scope it is
 * registered in, acting on routes whose config has `idempotent: true`.
 */
const register: FastifyPluginCallback<IdempotencyOptions> = (scope, options, pluginDone) => {
  const { repository } = options;
  const now = options.now ?? (() => new Date());
  let lastSweep = -Infinity;
  let sweeping: Promise<unknown> = Promise.resolve();

  const sweep = (at: Date, request: FastifyRequest) => {
    if (at.getTime() - lastSweep < SWEEP_INTERVAL_MS) return;
    lastSweep = at.getTime();
    sweeping = repository
      .deleteExpired(at, SWEEP_LIMIT)
      .catch((error: unknown) =>
        request.log.warn({ err: error }, 'idempotency keys: the sweep of expired keys failed'),
      );
  };

  /** Claims the key or answers for it. @returns true when the reply was sent (a replay). */
  const begin = async (request: FastifyRequest, reply: FastifyReply, key: string): Promise<boolean> => {
    const fingerprint = requestFingerprint({
      method: request.method,
      route: request.routeOptions.url ?? request.url,
      params: request.params,
      body: request.body,
    });
    const owner = randomUUID();
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      const at = now();
      sweep(at, request);
      const claim: IdempotencyClaim = {
        scope: request.apiKeyHash,
        key,
        fingerprint,
        owner,
        claimedAt: at,
        expiresAt: new Date(at.getTime() + IDEMPOTENCY_TTL_MS),
      };
      if (await repository.claim(claim)) return own(request, claim);
      const stored = await repository.find(claim.scope, key);
      if (!stored) continue; // released or swept since the insert: claim it anew
      switch (decideOnStoredKey(stored, fingerprint, at)) {
        case 'take-over-expired':
          if (await repository.takeOverExpired(claim)) return own(request, claim);
          continue;
        case 'take-over-abandoned':
          if (await repository.takeOverAbandoned(claim, stored.owner)) {
            request.log.warn(
              { idempotencyKey: key, claimedAt: stored.claimedAt },
              'idempotency key: taking over a claim left in flight past its lease (its process stopped before storing a response)',
            );
            return own(request, { ...claim, expiresAt: new Date(stored.expiresAt) });
          }
          continue;
        case 'reused':
          throw new HttpProblem(
            'IDEMPOTENCY_KEY_REUSED',
            `the Idempotency-Key "${key}" was used with a different request (method, path or body) in the last 24 hours; use a new key for a new request`,
          );
        case 'in-use':
          throw inUse(key);
        case 'replay':
          replay(reply, stored);
          return true;
      }
    }
    throw inUse(key);
  };

  scope.decorateRequest('idempotencyClaim', null);

  // The draft allows one value, but Node joins a repeated header into one string ("a, b"),
  // itself a valid key. The validator gets the separate values instead and refuses them
  // (400 at header.idempotency-key, "must be given once"), before anything is claimed.
  // A joined value always holds a comma, so only such a key costs a look at the raw headers.
  scope.addHook('preValidation', (request, _reply, done) => {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || !key.includes(',') || request.routeOptions.config.idempotent !== true) return done();
    const values = rawHeaderValues(request.raw.rawHeaders, 'idempotency-key');
    // Set, the headers getter lays these over Node's own, which stay as they came.
    if (values.length > 1) request.headers = { 'idempotency-key': values };
    done();
  });

  // Callback style, and the header first: a request without it passes with one property
  // read (`routeOptions` builds an object on every read, so it comes second).
  scope.addHook('preHandler', (request, reply, done) => {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || request.routeOptions.config.idempotent !== true) return done();
    begin(request, reply, key).then((replied) => {
      // A replay was sent from here: the handler must not run, so the chain stops.
      if (!replied) done();
    }, done);
  });

  scope.addHook('onSend', (request, reply, payload, done) => {
    const claim = request.idempotencyClaim;
    if (claim === null) return done(null, payload);
    // Once: an error raised while storing would send an error response through here again.
    request.idempotencyClaim = null;
    finish(repository, claim, reply, payload).then(
      () => done(null, payload),
      (error: unknown) => {
        // The client still gets its true response; the key stays in flight until the lease
        // ends, then the next request with it runs again (as after a crash).
        request.log.error({ err: error, idempotencyKey: claim.key }, 'idempotency key: storing the response failed');
        done(null, payload);
      },
    );
  });

  scope.addHook('onClose', async () => {
    await sweeping;
  });
  pluginDone();
};

/** The `idempotency` plugin (needs `auth` and `fault-injection`); register it before the routes. */
export const idempotencyPlugin = fp(register, {
  name: 'idempotency',
  fastify: '5.x',
  dependencies: ['auth', 'fault-injection'],
});

/** Every value of the header `name` (lower case) as the request sent them, from Node's flat `[name, value, ...]` list. */
function rawHeaderValues(rawHeaders: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === name) values.push(rawHeaders[i + 1]!);
  }
  return values;
}

function own(request: FastifyRequest, claim: IdempotencyClaim): false {
  request.idempotencyClaim = claim;
  return false;
}

function inUse(key: string): HttpProblem {
  return new HttpProblem(
    'IDEMPOTENCY_KEY_IN_USE',
    `a request with the Idempotency-Key "${key}" is still in flight; retry after it completes`,
    { 'Retry-After': '1' },
  );
}

/** Sends a stored response exactly as it was first sent, marked as a replay. */
function replay(reply: FastifyReply, stored: StoredKeyRow): void {
  const response = stored.response!;
  reply
    .code(response.statusCode)
    .header('content-type', response.contentType)
    .header('Idempotent-Replayed', 'true')
    .send(response.body);
}

/**
 * Stores the claimed request's response before it is written (the hook is awaited), or
 * releases the key on a 5xx: an unexpected failure rolled the operation back, and storing
 * it would pin a transient failure to the key for 24 hours.
 */
async function finish(
  repository: IdempotencyRepository,
  claim: IdempotencyClaim,
  reply: FastifyReply,
  payload: unknown,
): Promise<void> {
  // Every response of these routes is serialized JSON, a string here; anything else could
  // not be replayed byte for byte, so the key is released rather than stored wrong.
  if (reply.statusCode >= 500 || typeof payload !== 'string') {
    await repository.release(claim.scope, claim.key, claim.owner);
    return;
  }
  const contentType = String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8');
  // A crash between the operation's commit and this update leaves the key in flight: after
  // the lease another request takes it over and the operation runs a second time. That
  // window cannot close without storing the response in the operation's own transaction.
  const stored = await repository.complete(claim.scope, claim.key, claim.owner, {
    statusCode: reply.statusCode,
    contentType,
    body: payload,
  });
  if (!stored)
    reply.log.warn(
      { idempotencyKey: claim.key },
      'idempotency key: the claim was taken over (this request outlived the lease); its response is not stored',
    );
}
