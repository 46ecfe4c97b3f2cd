/** Open operational routes: `GET /healthz` (the process answers) and `GET /readyz` (the database, and Redis when configured, answer). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Problem } from '../../contract/common.js';
import { problem, sendProblem } from '../problem.js';

const Status = Type.Object(
  { status: Type.String({ description: '`ok` from /healthz, `ready` from /readyz.', examples: ['ok'] }) },
  { additionalProperties: false },
);

/** A dependency /readyz checks: its name in the 503 detail, and a check that throws when it does not answer. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<unknown>;
}

/** How long /readyz waits for one check before calling it down. */
const CHECK_TIMEOUT_MS = 2_000;

async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>(
        (_resolve, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)),
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/healthz` and `/readyz`. A check's state change is logged once: a warning when it first
 * fails (with the reason, no stack), an info line when it answers again.
 */
export const healthRoutes: FastifyPluginAsyncTypebox<{ checks: ReadinessCheck[] }> = async (app, { checks }) => {
  // The checks that failed at the last probe.
  const wasDown = new Set<string>();
  app.get(
    '/healthz',
    {
      schema: {
        operationId: 'health',
        tags: ['Operations'],
        summary: 'Liveness',
        description: 'Answers 200 while the process runs. No API key.',
        security: [],
        response: { 200: { description: 'The process is alive', content: { 'application/json': { schema: Status } } } },
      },
    },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        operationId: 'ready',
        tags: ['Operations'],
        summary: 'Readiness',
        description:
          'Answers 200 when the database (and Redis, when the server uses it for rate limits) answers, else 503 whose detail names what is down (`database`, `redis`). No API key.',
        security: [],
        response: {
          200: { description: 'Ready to serve', content: { 'application/json': { schema: Status } } },
          503: {
            description: 'Not ready: the detail names what is down',
            content: { 'application/problem+json': { schema: Problem } },
          },
        },
      },
    },
    async (request, reply) => {
      const results = await Promise.allSettled(checks.map(({ check }) => within(check(), CHECK_TIMEOUT_MS)));
      const down: string[] = [];
      results.forEach((result, i) => {
        const { name } = checks[i]!;
        if (result.status === 'fulfilled') {
          // One line when it answers again, none while it stays up.
          if (wasDown.delete(name)) request.log.info(`readiness: ${name} answers again`);
          return;
        }
        down.push(name);
        // One line when it goes down (probes come every few seconds): not one per probe.
        if (wasDown.has(name)) return;
        wasDown.add(name);
        const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
        request.log.warn(`readiness: ${name} is not reachable (${reason}); /readyz answers 503 until it answers again`);
      });
      if (down.length === 0) return { status: 'ready' };
      return sendProblem(
        reply,
        problem('NOT_READY', `${down.join(' and ')} ${down.length === 1 ? 'is' : 'are'} not reachable`, request.id),
      );
    },
  );
};
