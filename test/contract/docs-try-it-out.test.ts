/**
 * "Try it out" on /docs must not pre-fill a header that changes what a call does: a
 * `Sandbox-Fault` (every call from the page would fail with "Failed to fetch" while writes
 * still commit) or a fixed `Idempotency-Key` (every later order from the page would replay
 * the first). Checked against what the page really runs: the document it loads (`./json`,
 * per the served swagger-initializer.js) and the swagger-ui bundle it serves, whose rule for
 * a parameter's initial value (ParameterRow.setDefaultValue) is asserted to be the one
 * reproduced here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

interface Parameter {
  $ref?: string;
  name: string;
  in: string;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
  content?: Record<string, { example?: unknown }>;
  default?: unknown;
  schema?: { example?: unknown; default?: unknown; examples?: unknown[] };
}
interface Document {
  paths: Record<string, Record<string, { parameters?: Parameter[] }>>;
  components: { parameters: Record<string, Parameter> };
}

/**
 * swagger-ui 5's initial value of a non-body OpenAPI 3 parameter on "Try it out", in its
 * order: the active (first) of `examples`, the content's `example`, `example`, the schema's
 * `example`, the schema's `default`, `default`. A schema's `examples` array is not used.
 */
function initialValue(parameter: Parameter): unknown {
  const firstExample = Object.values(parameter.examples ?? {})[0]?.value;
  const contentExample = Object.values(parameter.content ?? {})[0]?.example;
  return (
    firstExample ??
    contentExample ??
    parameter.example ??
    parameter.schema?.example ??
    parameter.schema?.default ??
    parameter.default
  );
}

let t: TestApp;
let document: Document;
beforeAll(async () => {
  t = await startTestApp();
  const initializer = await t.app.inject({ url: '/docs/static/swagger-initializer.js' });
  expect(initializer.body).toContain("url: resolveUrl('./json')");
  document = (await t.app.inject({ url: '/docs/json' })).json<Document>();
});
afterAll(async () => t.close());

describe('/docs "Try it out"', () => {
  it('the served swagger-ui bundle picks initial values by the rule reproduced here', async () => {
    const bundle = (await t.app.inject({ url: '/docs/static/swagger-ui-bundle.js' })).body;
    const start = bundle.indexOf('setDefaultValue=()=>');
    expect(start).toBeGreaterThan(0);
    const rule = bundle.slice(start, start + 2000);
    // The OpenAPI 3 branch, in its order; no other source of a string parameter's value.
    const order = [
      '_.getIn(["examples",s,"value"])',
      '_.getIn(["content",x,"example"])',
      '_.get("example")',
      'w.get("example")',
      'w.get("default")',
      '_.get("default")',
    ].map((source) => rule.indexOf(source));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(rule).not.toContain('"examples"]');
  });

  it('pre-fills no header parameter of any operation (Sandbox-Fault, Idempotency-Key)', () => {
    const prefilled: string[] = [];
    let headers = 0;
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const declared of operation.parameters ?? []) {
          const parameter = declared.$ref ? document.components.parameters[declared.$ref.split('/').pop()!]! : declared;
          if (parameter.in !== 'header') continue;
          headers++;
          const value = initialValue(parameter);
          if (value !== undefined) prefilled.push(`${method} ${path} ${parameter.name}: ${JSON.stringify(value)}`);
        }
      }
    }
    // Sandbox-Fault on every /v1 operation, Idempotency-Key on two.
    expect(headers).toBeGreaterThanOrEqual(20);
    expect(prefilled).toEqual([]);
  });

  it('keeps the headers documented, with examples (as schema examples)', () => {
    const fault = document.components.parameters.SandboxFault!;
    expect(fault.schema?.examples).toEqual(['truncate-response', 'drop-response', 'delay=2000', 'error=503']);
    expect(fault.examples).toBeUndefined();
    const key = document.paths['/v1/orders']!.post!.parameters!.find((p) => p.name === 'Idempotency-Key')!;
    expect(key.example).toBeUndefined();
    expect(key.schema?.examples).toEqual(['5f0c8a9e-2b7d-4c1e-9a63-0d4e8b7f1a25']);
  });

  it('still pre-fills a path parameter from its example (that one is harmless and useful)', () => {
    const iccid = document.paths['/v1/esims/{iccid}']!.get!.parameters!.find((p) => p.name === 'iccid')!;
    expect(initialValue(iccid)).toMatch(/^89\d{17}$/);
  });
});
