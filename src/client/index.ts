/**
 * `esim-commerce-sandbox/client`: the typed client of the sandbox (types generated from
 * openapi.json, calls through openapi-fetch) and its helpers. Browser-safe.
 */
export * from './client.js';
export { SandboxApiError, type Problem } from './errors.js';
export { openStream, type StreamEvent, type StreamOptions } from './stream.js';
export type { WaitOptions } from './wait.js';
export type { components, operations, paths, webhooks } from './schema.js';
