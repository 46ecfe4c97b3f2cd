/**
 * The admin API under `/admin/v1` (docs/admin.md): resellers, their API keys, throwaway
 * sandboxes. Behind the admin gate (src/http/plugins/admin-auth.ts: 404 without
 * ADMIN_TOKEN, 401 without the right bearer token); outside the /v1 scope, so no reseller
 * rate limit and no Sandbox-Fault apply.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TSchema } from 'typebox';
import {
  CreatedKey,
  CreatedReseller,
  CreateResellerRequest,
  CreateSandboxRequest,
  DeletedResellerResponse,
  KeyIdParams,
  ResellerDetail,
  ResellerListQuery,
  ResellerNameParams,
  ResellerPage,
  RevokedKey,
} from '../../contract/admin.js';
import { NoQuery } from '../../contract/common.js';
import { DEFAULT_PAGE_LIMIT } from '../../contract/pagination.js';
import type { AdminService } from '../../service/admin.js';
import { refuseBody } from '../no-body.js';
import { adminAuthPlugin } from '../plugins/admin-auth.js';
import type { ProblemCode } from '../problem.js';
import { responses } from '../responses.js';

/** Options of the admin routes: the use cases and the admin token's digest (null: the API is off). */
export interface AdminRoutesOptions {
  admin: AdminService;
  tokenSha256: Buffer | null;
}

const GATE =
  'Needs `Authorization: Bearer <ADMIN_TOKEN>`; answers 404 when the server runs without ADMIN_TOKEN. No rate limit.';
const security = [{ adminToken: [] }];

const adminResponses = (status: number, description: string, schema: TSchema, problems: ProblemCode[] = []) =>
  responses({
    status,
    description,
    schema,
    problems: ['NOT_FOUND', ...problems],
    limited: false,
    faults: false,
    unauthorized: 'Missing or wrong admin token (UNAUTHORIZED). Carries `WWW-Authenticate: Bearer`.',
  });

export const adminRoutes: FastifyPluginAsyncTypebox<AdminRoutesOptions> = async (app, { admin, tokenSha256 }) => {
  await app.register(adminAuthPlugin, { tokenSha256 });

  app.post(
    '/resellers',
    {
      schema: {
        operationId: 'adminCreateReseller',
        tags: ['Admin'],
        summary: 'Create a reseller with an API key',
        description: `Creates the reseller \`name\` and a first API key, shown in this answer only (the sandbox keeps its SHA-256 hash). A name in use answers 409 RESELLER_EXISTS. ${GATE}`,
        security,
        querystring: NoQuery,
        body: CreateResellerRequest,
        response: adminResponses(201, 'The reseller and its key (shown this once)', CreatedReseller, [
          'RESELLER_EXISTS',
          'PAYLOAD_TOO_LARGE',
          'UNSUPPORTED_MEDIA_TYPE',
        ]),
      },
    },
    async (request, reply) => reply.code(201).send(await admin.createReseller(request.body.name)),
  );

  app.get(
    '/resellers',
    {
      schema: {
        operationId: 'adminListResellers',
        tags: ['Admin'],
        summary: 'List the resellers',
        description: `The resellers by name, each with its counts of orders, eSIMs and working API keys; sandboxes past their expiry are left out. Cursor pagination (\`nextCursor\`). ${GATE}`,
        security,
        querystring: ResellerListQuery,
        response: adminResponses(200, 'A page of resellers', ResellerPage),
      },
    },
    async (request) =>
      admin.listResellers({ limit: request.query.limit ?? DEFAULT_PAGE_LIMIT, cursor: request.query.cursor }),
  );

  app.get(
    '/resellers/:name',
    {
      schema: {
        operationId: 'adminGetReseller',
        tags: ['Admin'],
        summary: 'Read a reseller',
        description: `The reseller with its counts and its API keys (ids, hints, revocations; never a key). An unknown name, or a sandbox past its expiry, answers 404 RESELLER_NOT_FOUND, saying when a reseller of that name was deleted. ${GATE}`,
        security,
        querystring: NoQuery,
        params: ResellerNameParams,
        response: adminResponses(200, 'The reseller', ResellerDetail, ['RESELLER_NOT_FOUND']),
      },
    },
    async (request) => admin.getReseller(request.params.name),
  );

  app.delete(
    '/resellers/:name',
    {
      schema: {
        operationId: 'adminDeleteReseller',
        tags: ['Admin'],
        summary: 'Delete a reseller and all its data',
        description: `Deletes the reseller, its API keys (refused from the next request on, on every instance) and all its data (orders, eSIMs, history, request log, idempotency keys, webhook endpoint and deliveries, clock) in one transaction, and answers the counts. Its ICCIDs are never issued again. A reseller of SANDBOX_API_KEYS comes back, empty, at the next start that names it. ${GATE}`,
        security,
        querystring: NoQuery,
        params: ResellerNameParams,
        response: adminResponses(200, 'What was deleted', DeletedResellerResponse, ['RESELLER_NOT_FOUND']),
      },
    },
    async (request) => {
      refuseBody(request.body, 'delete');
      return admin.deleteReseller(request.params.name);
    },
  );

  app.post(
    '/resellers/:name/keys',
    {
      schema: {
        operationId: 'adminCreateKey',
        tags: ['Admin'],
        summary: 'Add an API key to a reseller',
        description: `A new API key for the reseller, shown in this answer only; its other keys keep working. Takes no body. ${GATE}`,
        security,
        querystring: NoQuery,
        params: ResellerNameParams,
        response: adminResponses(201, 'The new key (shown this once)', CreatedKey, [
          'RESELLER_NOT_FOUND',
          'PAYLOAD_TOO_LARGE',
          'UNSUPPORTED_MEDIA_TYPE',
        ]),
      },
    },
    async (request, reply) => {
      refuseBody(request.body, 'key creation');
      return reply.code(201).send(await admin.addKey(request.params.name));
    },
  );

  app.delete(
    '/keys/:keyId',
    {
      schema: {
        operationId: 'adminRevokeKey',
        tags: ['Admin'],
        summary: 'Revoke an API key',
        description: `Revokes the key: from the next request on, on every instance sharing the store, it answers 401. Revoking a revoked key answers it unchanged. A SANDBOX_API_KEYS key works again after a restart that still names it. ${GATE}`,
        security,
        querystring: NoQuery,
        params: KeyIdParams,
        response: adminResponses(200, 'The key, revoked', RevokedKey, ['API_KEY_NOT_FOUND']),
      },
    },
    async (request) => {
      refuseBody(request.body, 'revocation');
      return admin.revokeKey(request.params.keyId);
    },
  );

  app.post(
    '/sandboxes',
    {
      // No body at all means every default (a CI job's one-line call); a JSON null is still refused.
      preValidation: (request, _reply, done) => {
        if (request.body == null && request.headers['content-type'] === undefined) request.body = {};
        done();
      },
      schema: {
        operationId: 'adminCreateSandbox',
        tags: ['Admin'],
        summary: 'Create a throwaway sandbox',
        description: `Creates a reseller \`<namePrefix>-<12 random characters>\` with an API key (shown this once) that lives \`ttlMinutes\` (default 60, at most 10080: 7 days) or \`ttlSeconds\`: from \`expiresAt\` its keys answer 401, and a sweep that every instance runs (every ADMIN_SANDBOX_SWEEP_SECONDS, 60 by default) deletes it with all its data. One call per CI job. The body may be empty. ${GATE}`,
        security,
        querystring: NoQuery,
        body: CreateSandboxRequest,
        response: adminResponses(201, 'The sandbox and its key (shown this once)', CreatedReseller, [
          'PAYLOAD_TOO_LARGE',
          'UNSUPPORTED_MEDIA_TYPE',
        ]),
      },
    },
    async (request, reply) => reply.code(201).send(await admin.createSandbox(request.body)),
  );
};
