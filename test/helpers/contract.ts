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
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>;
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addFormat('sandbox-iccid', /^8900\d{15}$/);
const compiled = new WeakMap<object, ReturnType<typeof ajv.compile>>();

function validatorFor(schema: object) {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

function findOperation(document: OpenApiDocument, method: string, url: string) {
  const path = url.split('?')[0] ?? url;
  for (const [template, operations] of Object.entries(document.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (pattern.test(path)) return operations[method.toLowerCase()];
  }
  return undefined;
}

function anyProblemSchema(document: OpenApiDocument): object {
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations)) {
      const schema = operation.responses['400']?.content?.['application/problem+json']?.schema;
      if (schema) return schema;
    }
  }
  throw new Error('the document declares no problem schema');
}

/** @throws Error describing how the response breaks the document. */
export function assertMatchesContract(document: OpenApiDocument, method: string, url: string, response: LightMyRequestResponse): void {
  const contentType = String(response.headers['content-type'] ?? '').split(';')[0]!.trim();
  const operation = findOperation(document, method, url);
  let schema: object | undefined;
  if (!operation) {
    if (contentType !== 'application/problem+json') throw new Error(`${method} ${url}: undocumented route answered ${contentType}`);
    schema = anyProblemSchema(document);
  } else {
    const declared = operation.responses[String(response.statusCode)];
    if (!declared) throw new Error(`${method} ${url}: status ${response.statusCode} is not declared in the OpenAPI document`);
    schema = declared.content?.[contentType]?.schema;
    if (!schema) throw new Error(`${method} ${url}: ${response.statusCode} ${contentType} is not declared in the OpenAPI document`);
  }
  const validate = validatorFor(schema);
  if (!validate(response.json())) {
    throw new Error(`${method} ${url}: ${response.statusCode} body breaks the OpenAPI schema: ${ajv.errorsText(validate.errors)}\n${response.body.slice(0, 500)}`);
  }
}
