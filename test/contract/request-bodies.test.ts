/**
 * The served document and the server agree on request bodies, operation by operation, as
 * a validating proxy (Prism's `proxy --errors`) checks them:
 *
 * - an operation with a required body refuses none (400 at body) and a non-JSON one (415);
 * - an operation with an optional body (the empty `{}` of clock reset, webhook delete,
 *   redelivery) accepts none and `{}`, and refuses any member;
 * - an API operation with no body in the document (every GET under /v1) refuses one (400 at body);
 * - every body is `application/json` only, in the document and at the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { orderOne } from '../api/support.js';
import type { LightMyRequestResponse } from 'fastify';

interface Operation {
  operationId: string;
  requestBody?: { required?: boolean; content: Record<string, unknown> };
}
type Paths = Record<string, Record<string, Operation>>;

let t: TestApp;
let paths: Paths;
let iccid: string;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMITS: 'off' });
  paths = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Paths }>().paths;
  iccid = (await orderOne(t)).iccid;
});
afterAll(async () => t?.close());

function urlOf(template: string): string {
  return template
    .replace('{iccid}', iccid)
    .replace('{transactionId}', 'a1b2c3d4-e5f6-4890-abcd-ef1234567890')
    .replace('{deliveryId}', '0f8e2c5a-7d41-4c3b-9b7e-2a6f1d9c4e85');
}

/**
 * The resellers' operations but the live stream (its 200 answer never ends). The admin API,
 * 404 without ADMIN_TOKEN, has its own tests (test/api/admin.test.ts).
 */
function operations(): [string, string, Operation][] {
  return Object.entries(paths)
    .filter(([template]) => !template.startsWith('/admin/') && template !== '/v1/sandbox/stream')
    .flatMap(([template, ops]) =>
      Object.entries(ops).map(([method, op]): [string, string, Operation] => [method.toUpperCase(), template, op]),
    );
}

/** Whether the server refused the request for its body (400 naming body..., or 415). */
function refusedForBody(res: LightMyRequestResponse): boolean {
  if (res.statusCode === 415) return true;
  if (res.statusCode !== 400) return false;
  const errors = res.json<{ errors?: { path: string }[] }>().errors ?? [];
  return errors.some((e) => e.path === 'body' || e.path.startsWith('body.') || e.path.startsWith('body['));
}

describe('request bodies: the document and the server agree', () => {
  it('covers every operation, and the four empty-body ones have an optional body', () => {
    const optional = operations()
      .filter(([, , op]) => op.requestBody && op.requestBody.required === false)
      .map(([, , op]) => op.operationId)
      .sort();
    expect(optional).toEqual(['deleteWebhook', 'redeliverWebhook', 'resetSandbox', 'resetSandboxClock']);
    expect(operations().length).toBeGreaterThanOrEqual(20);
  });

  it('every body is application/json only', () => {
    for (const [, , op] of operations())
      if (op.requestBody) expect(Object.keys(op.requestBody.content), op.operationId).toEqual(['application/json']);
  });

  it('a required body: none is refused at body, text/plain with 415', async () => {
    const required = operations().filter(([, , op]) => op.requestBody?.required === true);
    expect(required.length).toBeGreaterThanOrEqual(5);
    for (const [method, template, op] of required) {
      const none = await t.call(method, urlOf(template));
      expect(refusedForBody(none), `${op.operationId} without a body: ${none.body}`).toBe(true);
      const text = await t.call(method, urlOf(template), { payload: 'x', headers: { 'content-type': 'text/plain' } });
      expect(text.statusCode, op.operationId).toBe(415);
    }
  });

  it('an optional body: none and {} are accepted, a member is refused at body', async () => {
    // A webhook and a delivery, so that the operations reach their handlers.
    for (const [method, template, op] of operations().filter(([, , o]) => o.requestBody?.required === false)) {
      for (const payload of [undefined, '{}']) {
        const res = await t.call(method, urlOf(template), {
          ...(payload !== undefined ? { payload, headers: { 'content-type': 'application/json' } } : {}),
        });
        expect(refusedForBody(res), `${op.operationId} with ${payload ?? 'no body'}: ${res.body}`).toBe(false);
      }
      const member = await t.call(method, urlOf(template), { body: { x: 1 } });
      expect(refusedForBody(member), `${op.operationId} with a member`).toBe(true);
    }
  });

  it('no body in the document: a body is refused at body, none is not', async () => {
    // The API's operations (health probes answer about health whatever they carry).
    const without = operations().filter(([, template, op]) => !op.requestBody && template.startsWith('/v1/'));
    expect(without.every(([method]) => method === 'GET')).toBe(true);
    for (const [method, template, op] of without) {
      const res = await t.call(method, urlOf(template), { body: { x: 1 } });
      expect(res.statusCode, op.operationId).toBe(400);
      expect(res.json<{ errors: unknown[] }>().errors, op.operationId).toEqual([
        { path: 'body', message: 'must be absent: GET takes no body' },
      ]);
      const none = await t.call(method, urlOf(template));
      expect(refusedForBody(none), op.operationId).toBe(false);
    }
  });
});
