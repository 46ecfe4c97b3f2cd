/** Open operational routes: `GET /healthz` (the process answers) and `GET /readyz` (the database answers). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Problem } from '../../contract/common.js';
import { problem, sendProblem } from '../problem.js';

const Status = Type.Object(
  { status: Type.String({ description: '`ok` from /healthz, `ready` from /readyz.', examples: ['ok'] }) },
  { additionalProperties: false },
);

export const healthRoutes: FastifyPluginAsyncTypebox<{ checkDatabase: () => Promise<void> }> = async (app, { checkDatabase }) => {
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
        description: 'Answers 200 when the database answers, else 503 naming what is down. No API key.',
        security: [],
        response: {
          200: { description: 'Ready to serve', content: { 'application/json': { schema: Status } } },
          503: { description: 'Not ready: the detail names what is down', content: { 'application/problem+json': { schema: Problem } } },
        },
      },
    },
    async (request, reply) => {
      try {
        await checkDatabase();
        return { status: 'ready' };
      } catch (error) {
        request.log.warn({ err: error }, 'readiness: database check failed');
        return sendProblem(reply, problem('NOT_READY', 'database is not reachable', request.id));
      }
    },
  );
};
