/**
 * Property-based fuzzing of every operation of the served OpenAPI document (fast-check,
 * fixed seed, bounded runs): requests derived from the document (path parameters, query,
 * declared headers, bodies; examples and hostile values) go to the real app on a real
 * SQLite file (`app.inject`). Whatever the input:
 *
 * - no 5xx, except the one a `Sandbox-Fault: error=5xx` header asked for;
 * - every 4xx is an RFC 9457 problem (`application/problem+json`, `code`, `status` equal to
 *   the response's, a `detail`);
 * - every response is one the document declares for the operation, its body valid against
 *   the declared schema (the contract check of `t.call`).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_KEY, startTestApp, type TestApp } from '../helpers/app.js';
import { orderOne } from '../api/support.js';
import { checkAnswer, operationsOf, requestArbitrary, type FuzzDocument } from './openapi-fuzz.js';

/** The seed of every run: a failure is reproduced by running the file again. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 60);

let t: TestApp;
let document: FuzzDocument;
let known: Record<string, string>;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMITS: 'off', WEBHOOK_ALLOW_PRIVATE: 'false' });
  document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<FuzzDocument>();
  const order = await t.call('POST', '/v1/orders', { body: { planCode: 'KD0001', quantity: 1 } });
  const placed = order.json<{ transactionId: string; esims: { iccid: string }[] }>();
  known = { iccid: placed.esims[0]!.iccid, transactionId: placed.transactionId };
  // A second eSIM, so that terminating the first leaves one to act on.
  known.otherIccid = (await orderOne(t)).iccid;
});
afterAll(async () => t?.close());

describe('every operation of the served document, fuzzed in-process', () => {
  it('the document has the operations the suite expects to fuzz', () => {
    const ids = operationsOf(document).map(([template, method]) => document.paths[template]![method]!.operationId);
    expect(ids.length).toBeGreaterThanOrEqual(19);
    expect(ids).toEqual(expect.arrayContaining(['orderEsims', 'getEsim', 'configureDataUsage', 'putWebhook']));
  });

  it('answers every generated request without a 5xx, with a problem for every 4xx and a declared body', async () => {
    const answered = new Map<string, Set<number>>();
    for (const [template, method] of operationsOf(document)) {
      const operationId = document.paths[template]![method]!.operationId;
      const statuses = new Set<number>();
      answered.set(operationId, statuses);
      await fc.assert(
        fc.asyncProperty(requestArbitrary(document, template, method, known, ACME_KEY), async (request) => {
          let res;
          try {
            res = await t.call(request.method, request.url, {
              key: null,
              headers: request.headers,
              ...(request.payload !== undefined ? { payload: request.payload } : {}),
            });
          } catch (error) {
            // light-my-request refusing to send (an invalid header) is not the server's answer.
            if ((error as { code?: string }).code?.startsWith('ERR_INVALID')) return;
            throw error;
          }
          statuses.add(res.statusCode);
          checkAnswer(request, res.statusCode, String(res.headers['content-type'] ?? ''), res.body);
        }),
        { seed: FUZZ_SEED, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
      );
    }
    console.log(
      `fuzzed ${answered.size} operations, ${RUNS_PER_OPERATION} requests each (seed ${FUZZ_SEED}); statuses: ` +
        [...answered].map(([id, seen]) => `${id} ${[...seen].sort().join('/')}`).join(', '),
    );
    // The runs reach past validation: some of every operation's answers are successes, most are refusals.
    const orders = answered.get('orderEsims')!;
    expect(orders.has(201)).toBe(true);
    expect(orders.has(400)).toBe(true);
    expect(answered.get('listPlans')!.has(200)).toBe(true);
  });
});
