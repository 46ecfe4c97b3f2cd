/**
 * The typed client (src/client) against a real server listening on a free port: answers
 * unwrapped and typed, problems thrown as SandboxApiError with the server's code and detail,
 * the sandbox helpers, and the generated types equal to what openapi.json generates.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without type declarations
import { generateClientSchema, SCHEMA_FILE } from '../../scripts/generate-client.mjs';
import { createSandboxClient, SandboxApiError, type SandboxClient } from '../../src/client/index.js';
import { ACME_KEY, GLOBEX_KEY, startTestApp, type TestApp } from '../helpers/app.js';
import { startReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const IMEI = '356938035643809';
let test: TestApp;
let receiver: WebhookReceiver;
let acme: SandboxClient;
let baseUrl: string;

beforeAll(async () => {
  test = await startTestApp({ WEBHOOK_BACKOFF_MS: '10' });
  baseUrl = await test.app.listen({ port: 0, host: '127.0.0.1' });
  receiver = await startReceiver();
  acme = createSandboxClient({ baseUrl, apiKey: ACME_KEY });
});
afterAll(async () => {
  await receiver?.close();
  await test?.close();
});

describe('generated types', () => {
  it('src/client/schema.ts is what openapi.json generates (run npm run client:generate)', async () => {
    const generated = (await generateClientSchema()) as string;
    expect(readFileSync(SCHEMA_FILE as string, 'utf8')).toBe(generated);
    expect(generated).toContain("'/v1/orders': {");
  });

  it('src/client imports nothing from Node.js, so browsers can use it', () => {
    const dir = join(import.meta.dirname, '../../src/client');
    const imports = readdirSync(dir).flatMap((file) =>
      [...readFileSync(join(dir, file), 'utf8').matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]),
    );
    expect(new Set(imports.filter((name) => !name!.startsWith('./')))).toEqual(
      new Set(['openapi-fetch', 'eventsource-parser']),
    );
  });
});

describe('operations', () => {
  it('orders, reads, suspends, releases, triggers lifecycle events and advances the clock', async () => {
    const plans = await acme.listPlans({ countryCode: 'JP', providerCode: 'KDDI', limit: 1 });
    expect(plans.items[0]!.planCode).toBe('KD0001');

    const order = await acme.order('KD0001', 2, { idempotencyKey: 'client-test-order-1' });
    expect(order.esims).toHaveLength(2);
    const iccid = order.esims[0]!.iccid;
    expect((await acme.getOrder(order.transactionId)).iccids).toEqual(order.esims.map((e) => e.iccid));
    expect((await acme.getEsim(iccid)).contractStatus).toBe('ACTIVE');

    expect((await acme.suspend(iccid)).contractStatus).toBe('SUSPENDED');
    expect((await acme.release(iccid)).contractStatus).toBe('ACTIVE');

    const installed = await acme.trigger('install', iccid, { imei: IMEI });
    expect(installed.profileInstallStatus).toBe('INSTALLED');
    expect(installed.initialInsertionDevice).toBe(IMEI);

    const usage = await acme.setDataUsage(iccid, [{ day: '2026-01-02', usage: '1024' }]);
    expect(usage.dataUsageDailyList).toEqual([{ day: '2026-01-02', usage: '1024' }]);

    const before = await acme.getClock();
    const after = await acme.advanceClock({ days: 1, hours: 2 });
    expect(after.offsetSeconds - before.offsetSeconds).toBe(26 * 3600);
    expect((await acme.resetClock()).offsetSeconds).toBe(0);

    const history = await acme.getHistory(iccid);
    expect(history.items.length).toBeGreaterThanOrEqual(4);
  });

  it('throws SandboxApiError with the status, code and detail of the problem', async () => {
    const error = await acme.getEsim('8900000000098765434').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxApiError);
    expect((error as SandboxApiError).status).toBe(404);
    expect((error as SandboxApiError).code).toBe('ESIM_NOT_FOUND');
    expect((error as SandboxApiError).problem?.requestId).toMatch(/.+/);

    const invalid = (await acme.order('KD0001', 1001).catch((e: unknown) => e)) as SandboxApiError;
    expect(invalid.status).toBe(400);
    expect(invalid.code).toBe('VALIDATION_ERROR');
    expect(invalid.detail).toContain('body.quantity');

    const stranger = createSandboxClient({ baseUrl, apiKey: 'not-a-key-of-this-sandbox' });
    expect(((await stranger.listPlans().catch((e: unknown) => e)) as SandboxApiError).code).toBe('UNAUTHORIZED');
  });

  it('waitForWebhook returns the delivery the predicate asks for once it succeeded', async () => {
    const globex = createSandboxClient({ baseUrl, apiKey: GLOBEX_KEY });
    await globex.putWebhook({ url: receiver.url });
    const order = await globex.order('KD0001');
    const iccid = order.esims[0]!.iccid;
    await globex.trigger('download', iccid);
    const delivery = await globex.waitForWebhook(
      (d) => d.eventType === 'esim.status_changed' && d.iccid === iccid && d.status === 'succeeded',
      { timeoutMs: 10_000 },
    );
    expect(delivery.attempts[0]!.statusCode).toBe(200);
    const timeout = await globex
      .waitForWebhook((d) => d.iccid === '8900000000098765434', { timeoutMs: 200, intervalMs: 50 })
      .catch((e: unknown) => e);
    expect(String(timeout)).toContain('timed out after 200 ms waiting for a webhook delivery');
  });
});
