/**
 * Request validation: the TypeBox schemas compiled by Ajv, with the contract's strictness
 * (DESIGN.md section 2, Validation) and messages that name the field and the rule.
 *
 * - Bodies are never coerced: `"1"` or `1.5` for an integer is a 400.
 * - Query and path values are strings on the wire, so they are converted, but only from
 *   their plain form: integers are decimal digits only (`0x10`, `1e1`, `1.0`, ` 5` are
 *   refused, where Ajv's own coercion would take them), and a parameter given twice is
 *   refused instead of being silently turned into an array. So is a header the route
 *   declares, when a hook hands it over as the list of its values (Node joins a repeated
 *   header into one string; see src/http/plugins/idempotency.ts).
 * - Unknown query and body properties are refused (`additionalProperties: false`).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyRequest, FastifySchema, FastifySchemaCompiler } from 'fastify';
import type { FieldViolation } from '../domain/errors.js';
import { isCalendarDate } from '../domain/dates.js';
import { isSandboxIccid, sandboxIccidProblem } from '../domain/iccid.js';
import { idempotencyKeyProblem, isIdempotencyKey } from '../domain/idempotency.js';
import { imeiProblem, isImei } from '../domain/imei.js';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext resolution.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** Fastify's names of the request parts, mapped to the names clients see in `errors[].path`. */
const PART_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

function newAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    coerceTypes,
    useDefaults: true,
    removeAdditional: false,
    verbose: true,
    // TypeBox and the OpenAPI document use annotation keywords (examples) Ajv knows, and
    // nothing else; strict mode keeps typos in schemas from passing silently.
    strict: true,
    strictRequired: false,
  });
  addFormats(ajv, ['date-time']);
  // ajv-formats' "uuid" also takes the `urn:uuid:` form; a transactionId is the bare UUID.
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  // ajv-formats' "date" accepts 0000 years; our rule is the same as the domain's.
  ajv.addFormat('date', { type: 'string', validate: isCalendarDate });
  ajv.addFormat('sandbox-iccid', { type: 'string', validate: isSandboxIccid });
  ajv.addFormat('imei', { type: 'string', validate: isImei });
  ajv.addFormat('idempotency-key', { type: 'string', validate: isIdempotencyKey });
  return ajv;
}

const bodyAjv = newAjv(false);
const wireAjv = newAjv(true);

type ValidatorWithErrors = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/**
 * Fastify validator compiler: bodies by the strict Ajv, query, path and headers by the
 * converting one, query and headers behind the plain-form checks.
 */
export const validatorCompiler: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) => {
  if (httpPart === 'body') return bodyAjv.compile(schema);
  const validate = wireAjv.compile(schema);
  if (httpPart === 'querystring') return plainWireValidator(schema as WireSchema, validate, 'every');
  // Only the headers the route declares: any other may come as a list (set-cookie), and a
  // request carries a dozen headers that need no look.
  if (httpPart === 'headers') return plainWireValidator(schema as WireSchema, validate, 'declared');
  return validate;
};

interface WireSchema {
  properties?: Record<string, { type?: string; maximum?: number }>;
}

/**
 * `validate` behind the plain-form checks of the `keys` of the data (`every` key, or those
 * the schema `declared`): one value per key, integers written in decimal digits.
 */
function plainWireValidator(
  schema: WireSchema,
  validate: ValidateFunction,
  keys: 'every' | 'declared',
): ValidatorWithErrors {
  const declared = Object.keys(schema.properties ?? {});
  const integerKeys = new Set(
    Object.entries(schema.properties ?? {})
      .filter(([, s]) => s.type === 'integer')
      .map(([k]) => k),
  );
  const wrapper: ValidatorWithErrors = (data: unknown) => {
    const errors: ErrorObject[] = [];
    const record = (data ?? {}) as Record<string, unknown>;
    for (const [key, value] of keys === 'every'
      ? Object.entries(record)
      : declared.map((key) => [key, record[key]] as const)) {
      if (Array.isArray(value)) {
        errors.push(customError(key, 'singleValue', `must be given once, got ${value.length} values`, value));
      } else if (integerKeys.has(key) && typeof value === 'string' && !/^[0-9]+$/.test(value)) {
        errors.push(customError(key, 'plainInteger', 'must be an integer written with decimal digits only', value));
      } else if (integerKeys.has(key) && typeof value === 'string' && !Number.isFinite(Number(value))) {
        // Over 308 digits, Number() is Infinity, which Ajv's coercion lets through its
        // maximum (Infinity % 1 is NaN) and the serializer then cannot write: refuse it here.
        const maximum = schema.properties?.[key]?.maximum ?? Number.MAX_SAFE_INTEGER;
        errors.push(customError(key, 'maximum', `must be <= ${maximum}`, value));
      }
    }
    if (errors.length > 0) {
      wrapper.errors = errors;
      return false;
    }
    const valid = validate(data);
    wrapper.errors = validate.errors ?? null;
    return valid;
  };
  return wrapper;
}

function customError(key: string, keyword: string, message: string, data: unknown): ErrorObject {
  return { instancePath: `/${key}`, schemaPath: '#', keyword, params: {}, message, data };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Rules of the body that a schema cannot say (unique days, sums), checked by the
     * domain. On a request that fails its schema they are run too, so that one answer
     * lists every invalid field.
     */
    bodyRules?: (body: unknown) => FieldViolation[];
  }
}

// Fastify validates path, then body, then query, then headers, and stops at the first part that fails;
// the contract wants every invalid field in one answer, so a failed request is checked
// again part by part with the same compiled validators.
const PARTS = [
  ['params', 'params'],
  ['querystring', 'query'],
  ['body', 'body'],
  ['headers', 'headers'],
] as const;
const partValidators = new WeakMap<object, ValidatorWithErrors>();

/**
 * Every schema violation of the request in all its parts (path, query, body, headers), then the
 * route's `bodyRules`, one entry per field: what a 400 lists in `errors`.
 */
export function requestViolations(request: FastifyRequest): FieldViolation[] {
  const schema = (request.routeOptions.schema ?? {}) as Record<string, object | undefined>;
  const violations: FieldViolation[] = [];
  for (const [part, property] of PARTS) {
    const partSchema = schema[part];
    if (!partSchema) continue;
    let validate = partValidators.get(partSchema);
    if (!validate) {
      validate = validatorCompiler({
        schema: partSchema,
        httpPart: part,
        method: request.method,
        url: request.url,
      }) as ValidatorWithErrors;
      partValidators.set(partSchema, validate);
    }
    const data = request[property] ?? null;
    if (!validate(data)) violations.push(...toViolations(validate.errors ?? [], part));
  }
  const rules = request.routeOptions.config.bodyRules;
  if (rules) violations.push(...rules(request.body));
  return onePerField(violations);
}

/**
 * Turns Ajv errors into `{path, message}` entries, one per field, with paths as clients
 * write them (`query.limit`, `path.iccid`, `body.quantity`, `body[2].day`).
 */
export function toViolations(errors: readonly ErrorObject[], part: string): FieldViolation[] {
  const root = PART_NAMES[part] ?? part;
  // anyOf/if branches repeat what their members said; the members' errors are clearer.
  const relevant = errors.filter((error) => error.keyword !== 'anyOf' && error.keyword !== 'if');
  // A format that explains itself (the ICCID's three rules, the IMEI's two, the idempotency
  // key's length and characters) says more than its pattern and length bounds.
  const explained = new Set(relevant.filter((e) => e.keyword === 'format').map((e) => e.instancePath));
  const restated = new Set(['pattern', 'minLength', 'maxLength']);
  return onePerField(
    relevant
      .filter((e) => !(restated.has(e.keyword) && explained.has(e.instancePath)))
      .map((error) => describe(error, root)),
  );
}

/** Keeps the first violation of each field, so that one field gets one message. */
function onePerField(violations: readonly FieldViolation[]): FieldViolation[] {
  const seen = new Set<string>();
  return violations.filter((violation) => !seen.has(violation.path) && seen.add(violation.path));
}

function describe(error: ErrorObject, root: string): FieldViolation {
  const path = toPath(root, error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return {
        path: join(path, String(params.additionalProperty)),
        message: `is not a known property${allowedList(error)}`,
      };
    case 'required':
      return { path: join(path, String(params.missingProperty)), message: 'is required' };
    case 'enum':
      return {
        path,
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'format':
      return { path, message: formatMessage(String(params.format), error.data) };
    case 'pattern':
      return { path, message: `must match the pattern ${String(params.pattern)}` };
    case 'type':
      return { path, message: `must be ${article(String(params.type))}${describeGot(error.data)}` };
    default:
      return { path, message: error.message ?? `breaks the ${error.keyword} rule` };
  }
}

function formatMessage(format: string, data: unknown): string {
  switch (format) {
    case 'sandbox-iccid':
      return sandboxIccidProblem(String(data)) ?? 'must be a sandbox ICCID';
    case 'imei':
      return imeiProblem(String(data)) ?? 'must be an IMEI';
    case 'idempotency-key':
      return idempotencyKeyProblem(String(data)) ?? 'must be 1 to 255 printable ASCII characters';
    case 'uuid':
      return 'must be a UUID (8-4-4-4-12 hexadecimal digits, e.g. a1b2c3d4-e5f6-7890-abcd-ef1234567890)';
    case 'date':
      return 'must be a real calendar date YYYY-MM-DD';
    case 'date-time':
      return 'must be an ISO 8601 date-time with a time zone, e.g. 2026-03-01T10:00:00.000Z';
    default:
      return `must match the format ${format}`;
  }
}

function allowedList(error: ErrorObject): string {
  const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  const names = properties ? Object.keys(properties) : [];
  return names.length > 0 ? `; allowed: ${names.join(', ')}` : '; no properties are allowed';
}

function article(type: string): string {
  const names: Record<string, string> = {
    integer: 'an integer',
    number: 'a number',
    string: 'a string',
    boolean: 'a boolean (true or false)',
    object: 'a JSON object',
    array: 'a JSON array',
    null: 'null',
  };
  return type
    .split(',')
    .map((t) => names[t] ?? t)
    .join(' or ');
}

function describeGot(data: unknown): string {
  if (data === undefined) return '';
  if (data === null) return ', got null';
  if (Array.isArray(data)) return ', got an array';
  if (typeof data === 'object') return ', got an object';
  // JSON.parse reads 1e400 as Infinity, which JSON.stringify would show as null.
  if (typeof data === 'number' && !Number.isFinite(data)) return ', got a number too large to represent';
  return `, got ${JSON.stringify(data)}`;
}

/** `/0/day` under `body` -> `body[0].day`; `/quantity` -> `body.quantity`. */
function toPath(root: string, instancePath: string): string {
  if (instancePath === '') return root;
  return instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, segment) => join(path, segment), root);
}

function join(path: string, segment: string): string {
  return /^\d+$/.test(segment) ? `${path}[${segment}]` : `${path}.${segment}`;
}
