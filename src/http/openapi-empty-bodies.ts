/**
 * The operations that take no parameters (clock reset, webhook delete, redelivery, the sandbox reset) accept
 * no body or an empty JSON object (src/http/no-body.ts). Fastify's schema has no way to say
 * "optional body" (a body schema makes @fastify/swagger mark it required), so the rendered
 * document gets the optional `{}` here; without it a validating proxy (Prism) refuses the
 * `{}` many clients send on every POST, which the server accepts.
 */

/** operationIds of the routes that call `refuseBody`: no body, or `{}`. */
export const EMPTY_BODY_OPERATIONS: readonly string[] = [
  'resetSandboxClock',
  'deleteWebhook',
  'redeliverWebhook',
  'resetSandbox',
];

/** The optional request body of those operations. */
export const EMPTY_REQUEST_BODY = {
  required: false,
  description: 'None, or an empty JSON object: the operation takes no parameters, and refuses any member.',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        maxProperties: 0,
        additionalProperties: false,
        description: 'An empty object, or no body at all.',
        examples: [{}],
      },
    },
  },
} as const;

interface OperationLike {
  operationId?: string;
  requestBody?: unknown;
}

/** Adds EMPTY_REQUEST_BODY to each operation of EMPTY_BODY_OPERATIONS in `document`. */
export function withOptionalEmptyBodies<T extends object>(document: T): T {
  const paths = (document as { paths?: Record<string, Record<string, OperationLike>> }).paths ?? {};
  for (const operations of Object.values(paths))
    for (const operation of Object.values(operations))
      if (operation.operationId && EMPTY_BODY_OPERATIONS.includes(operation.operationId))
        operation.requestBody = EMPTY_REQUEST_BODY;
  return document;
}
