/**
 * `esim-commerce-sandbox`: the embeddable sandbox (`startSandbox`) and the typed client
 * (also alone as `esim-commerce-sandbox/client`, without the server's dependencies).
 */
export { startSandbox, type RunningSandbox, type StartSandboxOptions } from './start-sandbox.js';
export { ConfigError } from './config.js';
export * from './client/index.js';
