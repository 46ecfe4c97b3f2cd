/**
 * Request generators for the fuzz suite, derived from the served OpenAPI document: for one
 * operation, fast-check arbitraries of its path parameters, query, declared headers and
 * body, each either the document's own example or a hostile value (boundary numbers, very
 * long digit strings, odd Unicode, wrong JSON types, members missing or extra).
 *
 * Not a test file itself (vitest only collects `*.test.ts`).
 */
import fc from 'fast-check';

/** The slice of the OpenAPI document the generators read. */
export interface FuzzDocument {
  paths: Record<string, Record<string, FuzzOperation>>;
  components: { parameters?: Record<string, FuzzParameter>; schemas?: Record<string, JsonSchema> };
}
export interface FuzzOperation {
  operationId: string;
  parameters?: (FuzzParameter | { $ref: string })[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema; example?: unknown }> };
}
export interface FuzzParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  example?: unknown;
  schema: JsonSchema;
}
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  examples?: unknown[];
  default?: unknown;
  $ref?: string;
  [keyword: string]: unknown;
}

/** One generated request, ready for `app.inject` or fetch. */
export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** A raw payload: JSON text (maybe hostile), or undefined for none. */
  payload?: string;
}

/** Values the operation can be given where it needs a real one (an existing eSIM's ICCID). */
export type KnownValues = Record<string, string>;

// ---------------------------------------------------------------------------------------
// Hostile values

const BOUNDARY_NUMBERS = [
  0,
  -0,
  1,
  -1,
  2,
  7,
  8,
  99,
  100,
  101,
  199,
  200,
  201,
  399,
  400,
  401,
  999,
  1000,
  1001,
  9600,
  9601,
  36525,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  2 ** 53 - 1,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  1e21,
  1e308,
  -1e308,
  0.5,
  1.5,
  1e-7,
  5e-324,
];

const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\u0001',
  '\t',
  '\n',
  '\ud800',
  '\udfff',
  '\uffff',
  '\ufeff',
  '\u202e',
  'A\u0301',
  '🇯🇵',
  '😀'.repeat(40),
  'ＫＤ０００１',
  '٣٤',
  '𝟏𝟐',
  'KD0001\u0000',
  '%',
  '%zz',
  '%00',
  '..',
  '../..',
  '/',
  '\\',
  '?',
  '#',
  '&',
  '=',
  ',',
  ';',
  '"',
  "'",
  '<script>',
  '${x}',
  '__proto__',
  'constructor',
  'null',
  'true',
  'NaN',
  'Infinity',
  '-0',
  '0x10',
  '1e3',
  '1.0',
  '+1',
  ' 5',
  '5 ',
  '00000000000000000000000001',
  'x'.repeat(5000),
];

/** Decimal digit strings of 16 to 400 digits (past every integer bound, and past 2^53). */
const longDigits = fc
  .tuple(fc.integer({ min: 16, max: 400 }), fc.integer({ min: 0, max: 9 }))
  .map(([length, digit]) => `${digit}`.repeat(length));

const unicodeText = fc.string({ unit: 'binary', maxLength: 40 });

/** Any hostile JSON value (for a body member). */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...BOUNDARY_NUMBERS),
  longDigits,
  longDigits.map((digits) => Number(digits)),
  fc.constantFrom(...ODD_STRINGS),
  unicodeText,
  fc.constantFrom(null, true, false, [], {}, [1], ['KD0001'], { a: 1 }, '1', '2025-02-30', '2025-13-01'),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Any hostile text (for a path, query or header value). */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...BOUNDARY_NUMBERS).map(String),
  longDigits,
  fc.constantFrom(...ODD_STRINGS),
  unicodeText,
  fc.jsonValue({ maxDepth: 1 }).map((v) => JSON.stringify(v)),
);

// ---------------------------------------------------------------------------------------
// From the document

function resolveSchema(document: FuzzDocument, schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const found = document.components.schemas?.[schema.$ref.replace('#/components/schemas/', '')];
  if (!found) throw new Error(`unresolved ${schema.$ref}`);
  return found;
}

function resolveParameter(document: FuzzDocument, p: FuzzParameter | { $ref: string }): FuzzParameter {
  if (!('$ref' in p)) return p;
  const found = document.components.parameters?.[p.$ref.replace('#/components/parameters/', '')];
  if (!found) throw new Error(`unresolved ${p.$ref}`);
  return found;
}

/** The document's example for a parameter (or its schema's first example, enum value or default). */
function exampleText(parameter: FuzzParameter): string | undefined {
  const value =
    parameter.example ?? parameter.schema.examples?.[0] ?? parameter.schema.enum?.[0] ?? parameter.schema.default;
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Text for a parameter: mostly its example (or a known real value), otherwise hostile. */
function parameterText(parameter: FuzzParameter, known: KnownValues): fc.Arbitrary<string> {
  const valid = known[parameter.name] ?? exampleText(parameter);
  const enumValues = (parameter.schema.enum ?? []).map(String);
  return fc.oneof(
    { weight: 6, arbitrary: valid === undefined ? hostileText : fc.constant(valid) },
    ...(enumValues.length > 0 ? [{ weight: 2, arbitrary: fc.constantFrom(...enumValues) }] : []),
    { weight: 3, arbitrary: hostileText },
  );
}

/** A lone surrogate becomes U+FFFD, as URLSearchParams does: UTF-8 (and so a URL) cannot carry one. */
function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Header values light-my-request and Node accept on the wire: visible ASCII and spaces. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '').trim();
}

/** A JSON body from the document: its example, mutated member by member or replaced. */
function bodyArbitrary(document: FuzzDocument, operation: FuzzOperation): fc.Arbitrary<string | undefined> {
  const content = operation.requestBody?.content['application/json'];
  // Operations without a body: none, `{}`, or something they must refuse.
  if (!content)
    return fc.oneof(
      fc.constant(undefined),
      fc.constant('{}'),
      hostileJson.map((v) => JSON.stringify(v) ?? 'null'),
    );
  const schema = resolveSchema(document, content.schema);
  const example = content.example ?? schema.examples?.[0];
  const base = (example ?? {}) as Record<string, unknown> | unknown[];
  const mutateObject = (object: Record<string, unknown>, objectSchema: JsonSchema) => {
    const names = Object.keys(objectSchema.properties ?? object);
    return fc.oneof(
      fc.constant(object),
      // A member given a hostile value.
      fc
        .tuple(fc.constantFrom(...(names.length > 0 ? names : ['x'])), hostileJson)
        .map(([name, value]) => ({ ...object, [name]: value })),
      // A required member missing.
      fc.constantFrom(...(names.length > 0 ? names : ['x'])).map((name) => {
        const copy = { ...object };
        delete copy[name];
        return copy;
      }),
      // An extra member.
      fc.tuple(fc.string({ maxLength: 12 }), hostileJson).map(([name, value]) => ({ ...object, [name]: value })),
    );
  };
  const value: fc.Arbitrary<unknown> = Array.isArray(base)
    ? fc.oneof(
        fc.constant(base),
        fc.constant([]),
        fc
          .tuple(fc.nat({ max: Math.max(0, base.length - 1) }), hostileJson)
          .map(([i, v]) => base.map((item, j) => (j === i ? v : item))),
        mutateObject((base[0] ?? {}) as Record<string, unknown>, resolveSchema(document, schema.items ?? {})).map(
          (item) => [item, ...base.slice(1)],
        ),
      )
    : mutateObject(base, schema);
  return fc.oneof(
    { weight: 6, arbitrary: value.map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: hostileJson.map((v) => JSON.stringify(v) ?? 'null') },
    // Text that is not quite JSON.
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        '{',
        '[',
        '{"a":1,}',
        "{'a':1}",
        'nul',
        '\ufeff{}',
        '{"a":1}{"b":2}',
        '{"a":1,"a":2}',
      ),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/**
 * Requests for one operation of the document. `known` gives real values for parameters
 * whose example names nothing that exists (an ICCID, a transactionId), used part of the time.
 */
export function requestArbitrary(
  document: FuzzDocument,
  template: string,
  method: string,
  known: KnownValues,
  apiKey: string,
): fc.Arbitrary<FuzzRequest> {
  const operation = document.paths[template]![method]!;
  const parameters = (operation.parameters ?? []).map((p) => resolveParameter(document, p));
  const byIn = (where: string) => parameters.filter((p) => p.in === where);
  // Absent half of the time, so that a request often carries one hostile value, not five.
  const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 2 });
  const rarely = <T>(arbitrary: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
  const pathValues = fc.tuple(...byIn('path').map((p) => parameterText(p, known)));
  const queryValues = fc.tuple(...byIn('query').map((p) => optional(parameterText(p, known))));
  const headerValues = fc.tuple(
    ...byIn('header').map((p) =>
      // Sandbox-Fault: only error=<status> of its values is safe in-process (drop and delay act on the socket).
      p.name === 'Sandbox-Fault'
        ? rarely(
            fc.oneof(
              fc.constantFrom('error=500', 'error=503', 'error=', 'error=200', 'error=5000', 'delay=abc', 'truncate'),
              hostileText.filter((t) => !/drop|truncate|delay/i.test(t)),
            ),
          )
        : optional(parameterText(p, known)),
    ),
  );
  const extraQuery = rarely(fc.tuple(fc.constantFrom('x', 'limit', 'page', '__proto__', 'a[b]'), hostileText));
  const auth = fc.oneof(
    { weight: 8, arbitrary: fc.constant(`Bearer ${apiKey}`) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, '', 'Bearer', `Basic ${apiKey}`, `Bearer ${apiKey}x`) },
    { weight: 1, arbitrary: hostileText.map((t) => `Bearer ${t}`) },
  );
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constant('application/json') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        undefined,
        'text/plain',
        'application/json; charset=latin1',
        'application/json; charset=utf-8',
        'application/problem+json',
        'multipart/form-data; boundary=x',
        ';',
      ),
    },
  );
  return fc
    .record({
      path: pathValues,
      query: queryValues,
      headers: headerValues,
      extraQuery,
      auth,
      contentType,
      body: bodyArbitrary(document, operation),
    })
    .map(({ path, query, headers, extraQuery: extra, auth: authorization, contentType: type, body }) => {
      let url = template;
      byIn('path').forEach((p, i) => {
        url = url.replace(`{${p.name}}`, encodeURIComponent(wellFormed(path[i]!)));
      });
      const search = new URLSearchParams();
      byIn('query').forEach((p, i) => {
        if (query[i] !== undefined) search.append(p.name, query[i]);
      });
      if (extra) search.append(extra[0], extra[1]);
      const text = search.toString();
      const requestHeaders: Record<string, string> = {};
      byIn('header').forEach((p, i) => {
        if (headers[i] !== undefined) requestHeaders[p.name.toLowerCase()] = headerSafe(headers[i]);
      });
      if (authorization !== undefined) requestHeaders.authorization = headerSafe(authorization);
      if (body !== undefined && type !== undefined) requestHeaders['content-type'] = type;
      return {
        method: method.toUpperCase(),
        url: text ? `${url}?${text}` : url,
        headers: requestHeaders,
        ...(body !== undefined ? { payload: body } : {}),
      };
    });
}

/**
 * Every `[template, method]` of the document's paths but the live stream, whose 200 answer
 * never ends (its errors are tested in test/e2e/request-log.test.ts).
 */
export function operationsOf(document: FuzzDocument): [string, string][] {
  return Object.entries(document.paths)
    .filter(([template]) => template !== '/v1/sandbox/stream')
    .flatMap(([template, operations]) => Object.keys(operations).map((method): [string, string] => [template, method]));
}

// ---------------------------------------------------------------------------------------
// The property

interface ProblemBody {
  code?: unknown;
  status?: unknown;
  detail?: unknown;
}

/**
 * What every answer must satisfy: no 5xx but an injected one that was asked for, and every
 * 4xx a problem with `code`, `status` (the response's) and `detail`.
 * @throws Error describing the request and the answer (fast-check then shrinks the request).
 */
export function checkAnswer(request: FuzzRequest, status: number, contentType: string, body: string): void {
  const where = `${request.method} ${request.url} ${JSON.stringify(request.headers)} ${request.payload?.slice(0, 200) ?? ''}`;
  if (status >= 500) {
    const asked = /^\s*error=5\d\d\s*$/.test(request.headers['sandbox-fault'] ?? '');
    const injected = /"code":"INJECTED_/.test(body);
    if (!(asked && injected)) throw new Error(`${status} for ${where}: ${body.slice(0, 300)}`);
    return;
  }
  if (status >= 400) {
    if (!/^application\/problem\+json(;|$)/.test(contentType))
      throw new Error(`${status} ${contentType} (not a problem) for ${where}`);
    const problem = JSON.parse(body) as ProblemBody;
    if (typeof problem.code !== 'string' || problem.code === '')
      throw new Error(`${status} without a code for ${where}`);
    if (problem.status !== status)
      throw new Error(`${status} with problem.status ${String(problem.status)} for ${where}`);
    if (typeof problem.detail !== 'string' || problem.detail === '')
      throw new Error(`${status} without a detail for ${where}`);
  }
}
