/**
 * Plugin `fault-injection`: what the `Sandbox-Fault` header does to a /v1 request (the
 * grammar is src/domain/faults.ts). Registered in the /v1 scope before `auth`; where its hooks
 * sit in the pipeline, and why, is described in docs/architecture.md (Request pipeline).
 *
 * - The onRequest hook: a request pipelined behind one that asked for drop-response or
 *   truncate-response waits for that one, and is never processed when the connection ends.
 * - The preHandler runs after authentication, rate limiting and request validation (a request
 *   that fails those gets that answer, whatever it asked for), parses the header, answers
 *   `error=<status>` at once (the route handler never runs), refuses a bad value with 400
 *   VALIDATION_ERROR at `header.sandbox-fault`, and keeps any other fault in `request.sandboxFault`.
 *   It is a scope hook added before the `idempotency` plugin's (which depends on this one), so an
 *   injected error never claims a key.
 * - The onSend hook acts on the response the operation produced, after it committed: it
 *   delays it, drops it (the connection closes with no byte sent) or truncates it (status
 *   line, headers with the Content-Length of the whole body, the first bytes, then the
 *   connection closes). It is added to each route (route-level hooks run after every scope
 *   hook), so the response is stored for its idempotency key, and seen by any other scope
 *   onSend, before it is dropped, cut or delayed.
 *
 * The hooks are callback style, and a request without the header costs one property read
 * in each. With `SANDBOX_FAULTS=off` they do nothing at all: the header is ignored, even an
 * invalid one, so that turning rehearsal off on a shared deployment breaks no client.
 */
import type { Socket } from 'node:net';
import type {
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  onRequestHookHandler,
  onSendHookHandler,
  preHandlerHookHandler,
} from 'fastify';
import fp from 'fastify-plugin';
import { parseSandboxFault, truncatedLength, type SandboxFault } from '../../domain/faults.js';
import type { Metrics } from '../metrics.js';
import { INJECTED_PROBLEMS, problem, sendProblem } from '../problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The fault this request carries for its response (drop, truncate, delay); null for none. Set by the fault preHandler. */
    sandboxFault: SandboxFault | null;
  }
}

/** `Retry-After` of an injected 503, in seconds (RFC 9110 section 10.2.3, delay-seconds). */
export const INJECTED_RETRY_AFTER_SECONDS = 1;

interface FaultHookOptions {
  /** False for `SANDBOX_FAULTS=off`: the header is ignored. */
  enabled: boolean;
  /** Counts injected faults, and records the responses a fault cut short (their onResponse never runs). */
  metrics: Metrics;
}

/** The plugin's options. */
export interface FaultInjectionOptions {
  /** False for `SANDBOX_FAULTS=off`: the header is ignored. */
  enabled: boolean;
}

/** The hooks the plugin installs, and one for the app's close. */
interface FaultHooks {
  /**
   * A request pipelined on a connection behind one that asked for drop-response or
   * truncate-response waits for that one to end, and is never processed when the
   * connection ends with it (as on a real server that lost the connection).
   */
  onRequest: onRequestHookHandler;
  preHandler: preHandlerHookHandler;
  onSend: onSendHookHandler;
  /** Sends every delayed response at once, so that a shutdown does not wait out a 30 s delay. */
  preClose: (done: HookHandlerDoneFunction) => void;
}

const NO_BODY = Buffer.alloc(0);

// On a socket: resolves when the last request on it that may end the connection has ended.
const CONNECTION_AT_RISK = Symbol('sandbox-fault-connection-at-risk');
type WatchedSocket = Socket & { [CONNECTION_AT_RISK]?: Promise<void> };

/** Whether a Sandbox-Fault value asks to end the connection (drop or truncate). Invalid values do not. */
function endsConnection(header: string | string[] | undefined): boolean {
  if (header === undefined) return false;
  const parsed = parseSandboxFault(header);
  return parsed.ok && (parsed.fault.kind === 'drop-response' || parsed.fault.kind === 'truncate-response');
}

/** The fault hooks; `request.sandboxFault` must be decorated (null) on the same scope. */
function faultHooks({ enabled, metrics }: FaultHookOptions): FaultHooks {
  if (!enabled) {
    return {
      onRequest: (_request, _reply, done) => done(),
      preHandler: (_request, _reply, done) => done(),
      onSend: (_request, _reply, _payload, done) => done(),
      preClose: (done) => done(),
    };
  }
  // Responses waiting out a delay: each entry sends its response (once).
  const delayed = new Set<() => void>();

  /** Logs the one line of a response a fault cut short and records it as a response (Fastify's onResponse does not run). */
  const cutShort = (request: FastifyRequest, reply: FastifyReply, fault: string, what: string): void => {
    metrics.observe(request, reply);
    request.log.info(
      { res: reply, responseTime: reply.elapsedTime, sandboxFault: fault },
      `Sandbox-Fault: ${fault}: ${what}; connection closed`,
    );
  };

  const drop = (request: FastifyRequest, reply: FastifyReply): void => {
    // Hijacked, Fastify writes nothing more for this reply; destroying the response destroys its socket.
    reply.hijack();
    reply.raw.destroy();
    cutShort(request, reply, 'drop-response', `the ${reply.statusCode} response was not sent`);
  };

  const truncate = (
    request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
    done: HookHandlerDoneFunction,
  ): void => {
    const body = typeof payload === 'string' ? Buffer.from(payload) : Buffer.isBuffer(payload) ? payload : NO_BODY;
    if (request.method === 'HEAD' || body.length === 0) {
      // No body to cut (HEAD, 204): the headers go whole, and Node closes the connection after
      // them. Without Connection: close a keep-alive client would take the complete answer and
      // send its next request on a socket the server is closing.
      reply.header('Connection', 'close');
      request.log.info(
        { sandboxFault: 'truncate-response' },
        `Sandbox-Fault: truncate-response: the ${reply.statusCode} response has no body to cut; sent whole with Connection: close`,
      );
      done();
      return;
    }
    const keep = truncatedLength(body.length);
    reply.hijack();
    const res = reply.raw;
    const headers = Object.fromEntries(
      Object.entries(reply.getHeaders()).filter(([, value]) => value !== undefined),
    ) as Record<string, string | number | string[]>;
    res.writeHead(reply.statusCode, { ...headers, 'content-length': String(body.length) });
    // Headers and the kept bytes go out together; the connection closes once the socket has written them.
    if (keep === 0) res.flushHeaders();
    res.write(body.subarray(0, keep), (error) => {
      res.destroy();
      const what = error
        ? `the client had closed the connection before the ${reply.statusCode} response`
        : `sent the ${reply.statusCode} status line, headers and ${keep} of ${body.length} body bytes`;
      cutShort(request, reply, 'truncate-response', what);
    });
  };

  return {
    onRequest(request, reply, done) {
      const socket = request.raw.socket as WatchedSocket;
      const ahead = socket[CONNECTION_AT_RISK];
      if (endsConnection(request.headers['sandbox-fault'])) {
        // Registered synchronously, as the request arrives: Node parses a pipelined request
        // right behind this one and starts it before this one has reached its handler.
        const ended = new Promise<void>((resolve) => {
          reply.raw.once('finish', resolve);
          reply.raw.once('close', resolve);
        });
        socket[CONNECTION_AT_RISK] = ahead ? ahead.then(() => ended) : ended;
      }
      if (ahead === undefined) {
        done();
        return;
      }
      void ahead.then(() => {
        // Ended with the request ahead (dropped, truncated, or closed after a HEAD or 204):
        // this request is never processed, and done() is never called.
        if (socket.destroyed || socket.writableEnded) return;
        done();
      });
    },

    preHandler(request, reply, done) {
      const header = request.headers['sandbox-fault'];
      if (header === undefined) {
        done();
        return;
      }
      const parsed = parseSandboxFault(header);
      if (!parsed.ok) {
        const detail = parsed.violations.map((v) => `${v.path} ${v.message}`).join('; ');
        sendProblem(reply, problem('VALIDATION_ERROR', detail, request.id, parsed.violations));
        return;
      }
      const fault = parsed.fault;
      metrics.faultsInjected.inc({ fault: fault.kind });
      if (fault.kind === 'error') {
        if (fault.status === 503) reply.header('Retry-After', String(INJECTED_RETRY_AFTER_SECONDS));
        const detail = `injected by Sandbox-Fault: error=${fault.status}; the request was not processed and nothing changed`;
        // Answered here without calling done(): no later hook and no route handler runs.
        sendProblem(reply, problem(INJECTED_PROBLEMS[fault.status], detail, request.id));
        return;
      }
      request.sandboxFault = fault;
      done();
    },

    onSend(request, reply, payload, done) {
      const fault = request.sandboxFault;
      if (fault === null) {
        done();
        return;
      }
      switch (fault.kind) {
        case 'delay': {
          const send = (): void => {
            if (!delayed.delete(send)) return;
            clearTimeout(timer);
            done();
          };
          const timer = setTimeout(send, fault.ms);
          delayed.add(send);
          return;
        }
        // These do not call done() (but for HEAD): the onSend chain stops, so Fastify never writes this response.
        case 'drop-response':
          drop(request, reply);
          return;
        case 'truncate-response':
          truncate(request, reply, payload, done);
          return;
        default:
          done();
      }
    },

    preClose(done) {
      for (const send of [...delayed]) send();
      done();
    },
  };
}

const register: FastifyPluginCallback<FaultInjectionOptions> = (scope, { enabled }, done) => {
  const hooks = faultHooks({ enabled, metrics: scope.metrics });
  scope.decorateRequest('sandboxFault', null);
  scope.addHook('onRequest', hooks.onRequest);
  scope.addHook('preHandler', hooks.preHandler);
  scope.addHook('preClose', hooks.preClose);
  // Route-level, appended: Fastify runs a route's own hooks after every hook of its scopes,
  // so this onSend is the last one whatever plugin adds an onSend later.
  scope.addHook('onRoute', (route) => {
    const own = route.onSend;
    route.onSend = [...(own === undefined ? [] : Array.isArray(own) ? own : [own]), hooks.onSend];
  });
  done();
};

/**
 * The `fault-injection` plugin (needs `metrics`). Register it in the API scope before `auth`
 * and before the routes: its onSend is added to the routes registered after it.
 */
export const faultInjectionPlugin = fp(register, {
  name: 'fault-injection',
  fastify: '5.x',
  dependencies: ['metrics'],
});
