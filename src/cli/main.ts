#!/usr/bin/env node
/**
 * The `esim-sandbox` command (package.json `bin`): runs runCli on the process's arguments,
 * stdout, stderr and environment; SIGINT/SIGTERM end long-running commands (listen, logs
 * tail, mcp) with exit code 0. `start` installs its own signal handling (serve.ts).
 */
import process from 'node:process';
import { commandOf, runCli } from './run.js';

// Output piped into `head` that closed early: nothing more to say, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const controller = new AbortController();
const argv = process.argv.slice(2);
// `start` has handlers of its own (serve.ts: a graceful close, then exit). The others end a
// stream they follow at the first signal; a command still busy 2 s later exits with 130.
if (commandOf(argv)?.name !== 'start') {
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      controller.abort();
      setTimeout(() => process.exit(130), 2000).unref();
    });
}

runCli(argv, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  signal: controller.signal,
}).then(
  (code) => {
    if (code !== 'running') process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`esim-sandbox: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
