/**
 * The committed openapi.json is exactly what the server serves, it lints clean with
 * Redocly, and every field carries a description and a valid example.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { isIdempotencyKey } from '../../src/domain/idempotency.js';
import { isImei } from '../../src/domain/imei.js';
import { renderOpenApi } from '../../src/scripts/render-openapi.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const root = new URL('../../', import.meta.url);

type Schema = {
  [key: string]: unknown;
  properties?: Record<string, Schema>;
  items?: Schema;
  examples?: unknown[];
  description?: string;
};
interface Operation {
  operationId: string;
  summary?: string;
  description?: string;
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  example?: unknown;
  schema: Schema;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Schema>;
    securitySchemes: Record<string, unknown>;
    parameters: Record<string, Parameter>;
  };
}

/** An operation's parameter, a `#/components/parameters/...` reference resolved. */
function resolveParameter(document: Document, parameter: Parameter | { $ref: string }): Parameter {
  if (!('$ref' in parameter)) return parameter;
  const name = parameter.$ref.replace('#/components/parameters/', '');
  const found = document.components.parameters[name];
  if (!found) throw new Error(`unresolved parameter ${parameter.$ref}`);
  return found;
}

/** The operations that take an Idempotency-Key (issue 6). */
const IDEMPOTENT_OPERATIONS = ['orderEsims', 'emergencyControl'];

let served: string;
let document: Document;
beforeAll(async () => {
  served = await renderOpenApi();
  document = JSON.parse(served) as Document;
});

describe('openapi.json', () => {
  it('is committed exactly as the server serves it (run `npm run openapi:write` after changing a schema)', () => {
    expect(readFileSync(new URL('openapi.json', root), 'utf8')).toBe(served);
  });

  it("has package.json's version as info.version (one number for the release)", () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string };
    expect(pkg.version).toBe('0.1.0');
    expect((document as unknown as { info: { version: string } }).info.version).toBe('0.1.0');
  });

  it('mentions no internal tracker reference ("issue 6") in what clients read', () => {
    expect(served.match(/.{0,40}\bissues? *#?\d+.{0,40}/gi) ?? []).toEqual([]);
  });

  it('passes `redocly lint` with no errors and no warnings', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      new URL('node_modules/.bin/redocly', root).pathname,
      ['lint', 'openapi.json'],
      {
        cwd: root.pathname,
      },
    );
    expect(`${stdout}${stderr}`).toMatch(/Your API description is valid/);
    expect(`${stdout}${stderr}`).not.toMatch(/You have \d+ warning|error/i);
  }, 60_000);

  it('declares the bearer scheme, the v1 operations (the six of the reference and the sandbox scenarios), and the open routes without a key', () => {
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const operations = Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /healthz health',
        'GET /readyz ready',
        'GET /v1/plans listPlans',
        'POST /v1/orders orderEsims',
        'GET /v1/orders/{transactionId} getOrderIccids',
        'GET /v1/esims/{iccid} getEsim',
        'POST /v1/esims/{iccid}/emergency-control emergencyControl',
        'PUT /v1/sandbox/esims/{iccid}/data-usage configureDataUsage',
        'POST /v1/sandbox/esims/{iccid}/events sendLifecycleEvent',
        'GET /v1/sandbox/clock getSandboxClock',
        'POST /v1/sandbox/clock/advance advanceSandboxClock',
        'POST /v1/sandbox/clock/reset resetSandboxClock',
        'PUT /v1/sandbox/webhook putWebhook',
        'GET /v1/sandbox/webhook getWebhook',
        'DELETE /v1/sandbox/webhook deleteWebhook',
        'GET /v1/sandbox/webhook/deliveries listWebhookDeliveries',
        'POST /v1/sandbox/webhook/deliveries/{deliveryId}/redeliver redeliverWebhook',
        'GET /v1/sandbox/esims/{iccid}/history getEsimHistory',
        'GET /v1/sandbox/orders listSandboxOrders',
        'GET /v1/sandbox/esims listSandboxEsims',
      ].sort(),
    );
  });

  it('gives every v1 operation a summary, a description, the rate-limit headers and the problem responses', () => {
    for (const [path, ops] of Object.entries(document.paths).filter(([p]) => p.startsWith('/v1/'))) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.summary, where).toBeTruthy();
        expect(op.description, where).toMatch(/Rate limit: \d+ requests per minute/);
        for (const status of ['400', '401', '429', '500']) {
          expect(op.responses[status]?.content?.['application/problem+json']?.schema, `${where} ${status}`).toEqual({
            $ref: '#/components/schemas/Problem',
          });
        }
        const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'));
        const replayed = IDEMPOTENT_OPERATIONS.includes(op.operationId) ? ['Idempotent-Replayed'] : [];
        expect(Object.keys((success?.[1] as { headers?: object }).headers ?? {}), where).toEqual([
          'X-RateLimit-Limit',
          'X-RateLimit-Remaining',
          'X-RateLimit-Reset',
          ...replayed,
        ]);
        expect(Object.keys((op.responses['429'] as { headers?: object }).headers ?? {}), where).toContain(
          'Retry-After',
        );
      }
    }
  });

  it('declares Idempotency-Key on the two idempotent operations only, with their 409 (Retry-After) and 422 answers', () => {
    const withKey: string[] = [];
    for (const ops of Object.values(document.paths)) {
      for (const op of Object.values(ops)) {
        const parameter = (op.parameters ?? []).find((p) => 'name' in p && p.name.toLowerCase() === 'idempotency-key');
        if (!parameter) continue;
        withKey.push(op.operationId);
        expect(parameter).toMatchObject({
          in: 'header',
          name: 'Idempotency-Key',
          required: false,
          schema: { type: 'string', minLength: 1, maxLength: 255 },
        });
        const responses = op.responses as Record<string, { description: string; headers?: Record<string, unknown> }>;
        expect(responses['409']?.description, op.operationId).toContain('IDEMPOTENCY_KEY_IN_USE');
        expect(Object.keys(responses['409']?.headers ?? {}), op.operationId).toContain('Retry-After');
        expect(responses['422']?.description, op.operationId).toContain('IDEMPOTENCY_KEY_REUSED');
      }
    }
    expect(withKey.sort()).toEqual([...IDEMPOTENT_OPERATIONS].sort());
  });

  it('declares the Sandbox-Fault header and the injected 500, 502, 503 (with Retry-After) and 504 problems on every v1 operation', () => {
    expect(document.components.parameters.SandboxFault).toMatchObject({
      name: 'Sandbox-Fault',
      in: 'header',
      required: false,
      schema: { type: 'string' },
    });
    // Only a string: the hook checks the value, so that SANDBOX_FAULTS=off can ignore any value.
    expect(Object.keys(document.components.parameters.SandboxFault!.schema).sort()).toEqual(['examples', 'type']);
    const v1 = Object.entries(document.paths).filter(([p]) => p.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThan(0);
    for (const [path, ops] of v1) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(
          op.parameters?.filter((p) => '$ref' in p && p.$ref === '#/components/parameters/SandboxFault'),
          where,
        ).toHaveLength(1);
        for (const status of ['500', '502', '503', '504']) {
          expect(op.responses[status]?.content?.['application/problem+json']?.schema, `${where} ${status}`).toEqual({
            $ref: '#/components/schemas/Problem',
          });
        }
        expect(op.responses['500']?.description, where).toContain('INJECTED_INTERNAL_ERROR');
        expect(op.responses['502']?.description, where).toContain('INJECTED_BAD_GATEWAY');
        expect(op.responses['504']?.description, where).toContain('INJECTED_GATEWAY_TIMEOUT');
        expect(
          (op.responses['503'] as { headers?: Record<string, { schema: Schema }> }).headers?.['Retry-After']?.schema,
          where,
        ).toEqual({ type: 'integer', examples: [1] });
      }
    }
    for (const [path, ops] of Object.entries(document.paths).filter(([p]) => !p.startsWith('/v1/'))) {
      for (const op of Object.values(ops))
        expect(JSON.stringify(op.parameters ?? []), path).not.toContain('SandboxFault');
    }
  });

  it('describes each webhook delivery: a POST per event type with its body schema and the signed headers', () => {
    const bodies = Object.fromEntries(
      Object.entries(document.webhooks).map(([type, ops]) => [
        type,
        ops.post?.requestBody?.content['application/json']?.schema,
      ]),
    );
    expect(bodies).toEqual({
      'order.completed': { $ref: '#/components/schemas/OrderCompletedEvent' },
      'esim.status_changed': { $ref: '#/components/schemas/EsimStatusChangedEvent' },
      'esim.usage_updated': { $ref: '#/components/schemas/EsimUsageUpdatedEvent' },
    });
    // The eSIM inside an event is the shared model, described where it is used.
    const statusData = document.components.schemas.EsimStatusChangedEvent!.properties!.data!;
    expect(statusData.properties!.esim).toMatchObject({
      $ref: '#/components/schemas/Esim',
      description: expect.stringContaining('after the change'),
    });
    expect(statusData.properties!.previous).toMatchObject({ $ref: '#/components/schemas/EsimStatusSnapshot' });
    for (const [type, ops] of Object.entries(document.webhooks)) {
      const op = ops.post!;
      expect(Object.keys(ops), type).toEqual(['post']);
      expect(op.summary, type).toBeTruthy();
      expect(Object.keys(op.responses).sort(), type).toEqual(['2XX', 'default']);
      const headers = (op.parameters as Parameter[]).map((p) => `${p.in} ${p.name} ${p.required}`);
      expect(headers, type).toEqual(
        [
          'Sandbox-Signature',
          'Sandbox-Event-Id',
          'Sandbox-Event-Type',
          'Sandbox-Delivery-Id',
          'Sandbox-Delivery-Attempt',
          'User-Agent',
        ].map((name) => `header ${name} true`),
      );
      const signature = (op.parameters as Parameter[])[0]!;
      expect(signature.schema.pattern, type).toBe('^t=[0-9]+,v1=[0-9a-f]{64}$');
      expect(signature.description, type).toContain('HMAC-SHA256 of `<t>.<raw body>`');
      expect((op.parameters as Parameter[])[2]!.schema.const, type).toBe(type);
    }
  });

  it('describes every parameter and every property, with examples', () => {
    const missing: string[] = [];
    const visit = (schema: Schema, where: string, needsDescription: boolean) => {
      if (needsDescription && !schema.description) missing.push(`${where}: description`);
      const leaf = !schema.properties && !schema.items && !schema.$ref;
      if (needsDescription && leaf && !schema.examples) missing.push(`${where}: examples`);
      for (const [name, property] of Object.entries(schema.properties ?? {})) visit(property, `${where}.${name}`, true);
      if (schema.items) visit(schema.items, `${where}[]`, false);
    };
    for (const [id, schema] of Object.entries(document.components.schemas)) visit(schema, id, false);
    for (const [path, ops] of [...Object.entries(document.paths), ...Object.entries(document.webhooks)]) {
      for (const [method, op] of Object.entries(ops)) {
        for (const parameter of (op.parameters ?? []).map((p) => resolveParameter(document, p))) {
          if (!parameter.description) missing.push(`${method} ${path} ${parameter.name}: description`);
          if (parameter.example === undefined && !parameter.schema.examples)
            missing.push(`${method} ${path} ${parameter.name}: example`);
        }
        for (const content of Object.values(op.requestBody?.content ?? {}))
          visit(content.schema, `${method} ${path} body`, false);
        for (const [status, response] of Object.entries(op.responses)) {
          for (const content of Object.values(response.content ?? {}))
            visit(content.schema, `${method} ${path} ${status}`, false);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('uses only examples the server would accept or produce (they validate against their schemas)', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addFormat('sandbox-iccid', { type: 'string', validate: (v: string) => /^8900\d{15}$/.test(v) });
    ajv.addFormat('imei', { type: 'string', validate: isImei });
    ajv.addFormat('idempotency-key', { type: 'string', validate: isIdempotencyKey });
    ajv.addSchema(document, 'doc');
    const invalid: string[] = [];
    let checked = 0;
    const walk = (node: unknown, pointer: string) => {
      if (node === null || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      if (Array.isArray(record.examples) && (typeof record.type === 'string' || record.enum || record.anyOf)) {
        const validate = ajv.getSchema(`doc#${pointer}`);
        for (const example of record.examples) {
          checked++;
          if (!validate || !validate(example)) invalid.push(`${pointer}: ${JSON.stringify(example)}`);
        }
      }
      for (const [key, value] of Object.entries(record)) {
        if (key !== 'examples' && key !== 'example')
          walk(
            value,
            `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1').replace(/[{}]/g, encodeURIComponent)}`,
          );
      }
    };
    walk(document.components, '/components');
    walk(document.paths, '/paths');
    walk(document.webhooks, '/webhooks');
    expect(invalid).toEqual([]);
    expect(checked).toBeGreaterThan(80);
  });
});
