/**
 * `GET /v1/sandbox/stream`: Server-Sent Events (HTML Living Standard, "Server-sent events")
 * of what happens in the reseller's sandbox: `request` (a request log entry without its
 * bodies), `esim.changed` (an eSIM history entry with its ICCID), `webhook.attempt` (a
 * delivery attempt) and `webhook.event` (every webhook event generated, endpoint or not).
 *
 * Each open stream polls the database (every 500 ms), so events of every instance sharing
 * it arrive within about a second. Each event's `id:` is the position after it: a client
 * reconnecting with `Last-Event-ID` gets what it missed, as far as retention keeps it. A
 * comment `: heartbeat` every 15 s keeps proxies from closing an idle stream. At most 5
 * streams are open per API key across every instance sharing the database (the 6th is a 429
 * problem): each stream holds a lease in the database (src/store/stream-leases.ts), renewed
 * while it is open, so a crashed instance's streams stop counting within a lease's time. On shutdown every
 * stream is ended first, so a graceful shutdown never waits for a client to hang up.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServerResponse } from 'node:http';
import { StreamEvent, StreamQuery, STREAM_EVENT_TYPES, type StreamEventType } from '../../contract/request-log.js';
import { RuleViolation } from '../../domain/errors.js';
import { decodePosition, encodePosition, type StreamPosition } from '../../domain/stream-position.js';
import type { LiveFeed, StreamFilter } from '../../service/live-stream.js';
import type { StreamLeaseRepository } from '../../store/stream-leases.js';
import { HttpProblem } from '../problem.js';
import { limitPerMinute } from '../rate-limit.js';
import { responses } from '../responses.js';
import { INSPECTION_LIMIT_PER_MINUTE } from './inspection.js';

/** Streams one API key may hold open at once, across every instance sharing the database. */
export const MAX_STREAMS_PER_KEY = 5;
/** How often a stream looks for new events, in ms. */
export const STREAM_POLL_MS = 500;
/** How often a stream sends a comment when nothing else is sent, in ms. */
export const HEARTBEAT_MS = 15_000;
/** How long a stream's lease lasts unless renewed, in ms: a crashed instance's streams count that long at most. */
export const STREAM_LEASE_MS = 30_000;
/** How often an instance renews the leases of its open streams, in ms (well inside STREAM_LEASE_MS). */
export const STREAM_LEASE_RENEW_MS = 10_000;

/** The operation's responses: the shared problems, and a 200 whose body is `text/event-stream` (each event as StreamEvent). */
function eventStreamResponses(): Record<number, unknown> {
  const all = responses({ status: 200, description: 'The event stream', schema: StreamEvent });
  const success = all[200] as { headers?: unknown };
  return {
    ...all,
    200: {
      description:
        'The event stream: one Server-Sent Event per change, each as the schema describes it (id, event, data).',
      headers: success.headers,
      content: { 'text/event-stream': { schema: StreamEvent } },
    },
  };
}

export interface StreamRouteOptions {
  feed: LiveFeed;
  /** The shared count of open streams per API key. */
  leases: StreamLeaseRepository;
  /** Real time, for leases; default `new Date()`. */
  now?: () => Date;
  pollMs?: number;
  heartbeatMs?: number;
}

export const streamRoutes: FastifyPluginAsyncTypebox<StreamRouteOptions> = async (app, options) => {
  const { feed } = options;
  const pollMs = options.pollMs ?? STREAM_POLL_MS;
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const { leases } = options;
  const now = options.now ?? (() => new Date());
  const open = new Set<() => void>();
  // This instance's leases, renewed together while any stream is open.
  const held = new Set<string>();
  let renewing: NodeJS.Timeout | null = null;
  const renew = () => {
    if (held.size === 0) {
      if (renewing) clearInterval(renewing);
      renewing = null;
      return;
    }
    leases.renew([...held], STREAM_LEASE_MS, now()).catch((error: unknown) => {
      app.log.warn({ err: error }, 'stream: renewing the leases of open streams failed; retrying');
    });
  };

  // Before the server closes: it would otherwise wait for every client to hang up.
  app.addHook('preClose', (done) => {
    for (const end of [...open]) end();
    done();
  });

  app.get(
    '/sandbox/stream',
    {
      config: { ...limitPerMinute(INSPECTION_LIMIT_PER_MINUTE), requestLog: false },
      schema: {
        operationId: 'streamSandboxEvents',
        tags: ['Inspection'],
        summary: 'Follow what happens, live (Server-Sent Events; sandbox only)',
        description:
          "A `text/event-stream` of the reseller's sandbox: `request` (each request log entry, without bodies), `esim.changed` " +
          '(each new eSIM history entry, with its iccid), `webhook.attempt` (each delivery attempt: status code, duration) and ' +
          '`webhook.event` (every webhook event generated, whether or not an endpoint is registered; `payload` is the exact body a ' +
          'delivery sends). Each event is `id: <position>`, `event: <type>`, `data: <one line of JSON>`. Without ' +
          '`Last-Event-ID` the stream starts with what happens next; with the `id` of the last event received it resumes after ' +
          'it (what retention still keeps). Events of every instance sharing the database arrive within 2 s. A comment ' +
          `\`: heartbeat\` every 15 s. At most ${MAX_STREAMS_PER_KEY} open streams per API key (the next is 429 RATE_LIMITED). ` +
          `Rate limit: ${INSPECTION_LIMIT_PER_MINUTE} requests per minute (opening a stream is one request).`,
        querystring: StreamQuery,
        headers: {
          type: 'object',
          properties: {
            'last-event-id': {
              type: 'string',
              maxLength: 80,
              description: 'The `id` of the last event received, to resume after it.',
              examples: ['5120.1042.7.318'],
            },
          },
        },
        response: eventStreamResponses(),
      },
    },
    async (request, reply) => {
      const filter: StreamFilter = {
        types: new Set((request.query.types?.split(',') ?? STREAM_EVENT_TYPES) as StreamEventType[]),
        iccid: request.query.iccid,
      };
      const lastEventId = request.headers['last-event-id'];
      let position: StreamPosition;
      if (typeof lastEventId === 'string' && lastEventId.trim() !== '') {
        const decoded = decodePosition(lastEventId);
        if (!decoded.ok) throw new RuleViolation([decoded.violation]);
        position = decoded.position;
      } else position = await feed.head(request.reseller.id);

      const lease = await leases.claim(request.apiKeyHash, MAX_STREAMS_PER_KEY, STREAM_LEASE_MS, now());
      if (lease === null)
        throw new HttpProblem(
          'RATE_LIMITED',
          `at most ${MAX_STREAMS_PER_KEY} streams may be open at once per API key; close one before opening another`,
        );
      held.add(lease);
      renewing ??= setInterval(renew, STREAM_LEASE_RENEW_MS).unref();

      reply.hijack();
      const res: ServerResponse = reply.raw;
      res.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
        connection: 'close',
      });
      res.write(': connected\n\n');

      const resellerId = request.reseller.id;
      let ended = false;
      let timer: NodeJS.Timeout | null = null;
      let failing = false;
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
      const end = () => {
        if (ended) return;
        ended = true;
        open.delete(end);
        clearInterval(heartbeat);
        if (timer) clearTimeout(timer);
        held.delete(lease);
        leases.release(lease).catch((error: unknown) => {
          // It runs out by itself within STREAM_LEASE_MS.
          request.log.warn({ err: error }, 'stream: releasing the lease of a closed stream failed');
        });
        res.end();
      };
      open.add(end);
      res.on('close', end);

      const poll = async (): Promise<void> => {
        timer = null;
        if (ended) return;
        let again = false;
        try {
          const { events, position: reached, more } = await feed.next(resellerId, position, filter);
          position = reached;
          again = more;
          if (events.length > 0 && !ended)
            res.write(
              events
                .map((e) => `id: ${encodePosition(e.position)}\nevent: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`)
                .join(''),
            );
          failing = false;
        } catch (error) {
          if (!failing) request.log.warn({ err: error }, 'stream: reading new events failed; retrying');
          failing = true;
        }
        if (!ended) timer = setTimeout(() => void poll(), again ? 0 : pollMs);
      };
      void poll();
    },
  );
};
