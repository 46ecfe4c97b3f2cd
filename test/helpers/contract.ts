/**
 * Contract check: a response must be one the served OpenAPI document declares for its
 * operation and status, and its body must validate against the declared schema (JSON
 * Schema 2020-12, as OpenAPI 3.1 says). Responses of unknown routes must be problems.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { LightMyRequestResponse } from 'fastify';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
  >;
  webhooks?: Record<
    string,
    { post?: { parameters?: { name: string; in: string; required?: boolean; schema: { type?: string } }[] } }
  >;
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addFormat('sandbox-iccid', /^8900\d{15}$/);
const registered = new WeakMap<OpenApiDocument, string>();
let documents = 0;

/** A validator for the schema at a JSON pointer of the document, `$ref`s resolved within it. */
function validatorAt(document: OpenApiDocument, pointer: string[]) {
  let id = registered.get(document);
  if (!id) {
    id = `openapi-${documents++}.json`;
    ajv.addSchema(document, id);
    registered.set(document, id);
  }
  const fragment = pointer.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
  const validate = ajv.getSchema(`${id}#/${fragment}`);
  if (!validate) throw new Error(`no schema at ${fragment}`);
  return validate;
}

function findOperation(document: OpenApiDocument, method: string, url: string) {
  const path = url.split('?')[0] ?? url;
  for (const [template, operations] of Object.entries(document.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    const operation = operations[method.toLowerCase()];
    if (pattern.test(path) && operation) return { template, operation };
  }
  return undefined;
}

/** @throws Error describing how the response breaks the document. */
export function assertMatchesContract(
  document: OpenApiDocument,
  method: string,
  url: string,
  response: LightMyRequestResponse,
): void {
  const contentType = String(response.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim();
  const found = findOperation(document, method, url);
  let pointer: string[];
  if (!found) {
    if (contentType !== 'application/problem+json')
      throw new Error(`${method} ${url}: undocumented route answered ${contentType}`);
    pointer = ['components', 'schemas', 'Problem'];
  } else {
    const status = String(response.statusCode);
    const declared = found.operation.responses[status];
    if (!declared) throw new Error(`${method} ${url}: status ${status} is not declared in the OpenAPI document`);
    if (status === '204') {
      if (declared.content) throw new Error(`${method} ${url}: 204 is declared with content`);
      if (response.body !== '') throw new Error(`${method} ${url}: 204 came with a body`);
      return;
    }
    if (!declared.content?.[contentType])
      throw new Error(`${method} ${url}: ${status} ${contentType} is not declared in the OpenAPI document`);
    pointer = ['paths', found.template, method.toLowerCase(), 'responses', status, 'content', contentType, 'schema'];
  }
  const validate = validatorAt(document, pointer);
  if (!validate(response.json())) {
    throw new Error(
      `${method} ${url}: ${response.statusCode} body breaks the OpenAPI schema: ${ajv.errorsText(validate.errors)}\n${response.body.slice(0, 500)}`,
    );
  }
}

/**
 * A webhook delivery as a receiver got it must be what the document's `webhooks` entry for
 * its type declares: every header parameter present and valid, the JSON body valid.
 * @throws Error naming the header or the body's error.
 */
export function assertDeliveryMatchesContract(
  document: OpenApiDocument,
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
): void {
  const type = String(headers['sandbox-event-type']);
  const operation = document.webhooks?.[type]?.post;
  if (!operation) throw new Error(`webhook ${type} is not declared in the OpenAPI document`);
  const base = ['webhooks', type, 'post'];
  for (const [i, parameter] of (operation.parameters ?? []).entries()) {
    const value = headers[parameter.name.toLowerCase()];
    if (value === undefined) {
      if (parameter.required) throw new Error(`webhook ${type}: header ${parameter.name} is missing`);
      continue;
    }
    // Header values are text; the document types a number as integer (style simple).
    const typed = parameter.schema.type === 'integer' ? Number(value) : value;
    const validate = validatorAt(document, [...base, 'parameters', String(i), 'schema']);
    if (!validate(typed))
      throw new Error(
        `webhook ${type}: header ${parameter.name}: ${JSON.stringify(value)} ${ajv.errorsText(validate.errors)}`,
      );
  }
  assertWebhookBodyMatchesContract(document, type, rawBody);
}

/** @throws Error when `rawBody` breaks the body schema of the document's `webhooks` entry for `type`. */
export function assertWebhookBodyMatchesContract(document: OpenApiDocument, type: string, rawBody: string): void {
  if (!document.webhooks?.[type]?.post) throw new Error(`webhook ${type} is not declared in the OpenAPI document`);
  const validate = validatorAt(document, [
    'webhooks',
    type,
    'post',
    'requestBody',
    'content',
    'application/json',
    'schema',
  ]);
  if (!validate(JSON.parse(rawBody)))
    throw new Error(
      `webhook ${type}: body breaks the OpenAPI schema: ${ajv.errorsText(validate.errors)}\n${rawBody.slice(0, 500)}`,
    );
}
