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
const registered = new WeakMap<OpenApiDocument, string>();
let documents = 0;

/** A validator for the schema at a JSON pointer of the document, `$ref`s resolved within it. */
function validatorAt(document: OpenApiDocument, pointer: string[]) {
  let id = registered.get(document);
  if (!id) {
    id = `openapi-${documents++}.json`;
    ajv.addSchema(document as object, id);
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
export function assertMatchesContract(document: OpenApiDocument, method: string, url: string, response: LightMyRequestResponse): void {
  const contentType = String(response.headers['content-type'] ?? '').split(';')[0]!.trim();
  const found = findOperation(document, method, url);
  let pointer: string[];
  if (!found) {
    if (contentType !== 'application/problem+json') throw new Error(`${method} ${url}: undocumented route answered ${contentType}`);
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
    if (!declared.content?.[contentType]) throw new Error(`${method} ${url}: ${status} ${contentType} is not declared in the OpenAPI document`);
    pointer = ['paths', found.template, method.toLowerCase(), 'responses', status, 'content', contentType, 'schema'];
  }
  const validate = validatorAt(document, pointer);
  if (!validate(response.json())) {
    throw new Error(`${method} ${url}: ${response.statusCode} body breaks the OpenAPI schema: ${ajv.errorsText(validate.errors)}\n${response.body.slice(0, 500)}`);
  }
}
