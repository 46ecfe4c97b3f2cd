/**
 * Runs the built server (`node dist/server.js`) as a real child process for end-to-end
 * tests: real HTTP, real start-up and shutdown, real store: a SQLite file, or with
 * TEST_DATABASE_URL a PostgreSQL schema (see database.ts). `npm test` builds first,
 * so `dist/server.js` exists when the tests run.
 *
 * The server listens on PORT=0 (a free port) and the address is read from pino's
 * "Server listening at http://127.0.0.1:NNNNN" log line on stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  adminQuery,
  createSchema,
  dropSchema,
  openTestDatabase,
  schemaForFile,
  testDatabaseUrl,
  withSchema,
  type TestDatabase,
  testRedisEnv,
} from './database.js';

/** The repository root and the built entry point. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SERVER_ENTRY = fileURLToPath(new URL('../../dist/server.js', import.meta.url));

const START_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 5_000;

/** Variables the server reads: never inherited from the test runner's environment. */
export const SERVER_VARIABLES = [
  'PORT',
  'HOST',
  'DATABASE_URL',
  'REDIS_URL',
  'REDIS_KEY_PREFIX',
  'SANDBOX_API_KEYS',
  'RATE_LIMITS',
  'SANDBOX_FAULTS',
  'SMDP_ADDRESS',
  'LOG_LEVEL',
  'WEBHOOK_ALLOW_PRIVATE',
  'WEBHOOK_BACKOFF_MS',
  'REQUEST_LOG',
  'REQUEST_LOG_LIMIT',
  'REQUEST_LOG_DAYS',
  'ADMIN_TOKEN',
  'ADMIN_SANDBOX_MIN_TTL_SECONDS',
  'ADMIN_SANDBOX_SWEEP_SECONDS',
];

/** How a server process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One JSON log line of pino (other lines are kept as text in `output`). */
export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface ServerProcess {
  /** `http://127.0.0.1:NNNNN`, no trailing slash. */
  baseUrl: string;
  child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** stdout and stderr together, for failure messages. */
  output(): string;
  /** The JSON log lines of stdout so far. */
  logs(): LogLine[];
  /** SIGTERM, then SIGKILL after 5 s; resolves with how the process ended. */
  stop(): Promise<ProcessExit>;
}

export interface StartOptions {
  /**
   * Extra environment; `undefined` values remove a variable. PORT defaults to 0, HOST to
   * 127.0.0.1, LOG_LEVEL to info, and DATABASE_URL to a new temporary SQLite file (removed
   * by `stop()`), never the project's ./data/sandbox.db.
   */
  env?: Record<string, string | undefined>;
}

/**
 * The environment with DATABASE_URL filled in, and what to remove when the server stops.
 * In the PostgreSQL suite (TEST_DATABASE_URL set) a test's `sqlite:<file>` becomes a
 * schema named after the file, so that two servers given one file share one schema and a
 * restarted server finds its data (the global teardown drops those), and no DATABASE_URL
 * at all becomes a fresh schema dropped when the server stops.
 */
async function withDatabase(
  env: Record<string, string | undefined>,
): Promise<{ env: Record<string, string | undefined>; tempDir?: string; schema?: string }> {
  const pgUrl = testDatabaseUrl();
  if (pgUrl) {
    const given = env.DATABASE_URL;
    if (!('DATABASE_URL' in env)) {
      const store = await createSchema();
      return { env: { ...env, DATABASE_URL: store.url }, schema: store.schema };
    }
    if (given?.startsWith('sqlite:')) {
      const schema = schemaForFile(given.slice('sqlite:'.length));
      await adminQuery(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      return { env: { ...env, DATABASE_URL: withSchema(pgUrl, schema) } };
    }
    return { env };
  }
  if ('DATABASE_URL' in env) return { env };
  const tempDir = mkdtempSync(join(tmpdir(), 'esim-sandbox-server-'));
  return { env: { ...env, DATABASE_URL: `sqlite:${join(tempDir, 'sandbox.db')}` }, tempDir };
}

/**
 * Opens the store a server was given as `DATABASE_URL=sqlite:<file>` for direct reads: the
 * file itself, or in the PostgreSQL suite the schema that stands for it. Close it after use.
 */
export function openServerDatabase(url: string): TestDatabase {
  if (!url.startsWith('sqlite:')) throw new Error(`openServerDatabase: expected sqlite:<file>, got ${url}`);
  const file = url.slice('sqlite:'.length);
  const pgUrl = testDatabaseUrl();
  return openTestDatabase(
    pgUrl
      ? { kind: 'postgres', url: withSchema(pgUrl, schemaForFile(file)), schema: schemaForFile(file) }
      : { kind: 'sqlite', file },
  );
}

function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = { ...process.env };
  for (const name of SERVER_VARIABLES) delete result[name];
  Object.assign(result, { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' }, testRedisEnv());
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete result[name];
    else result[name] = value;
  }
  return result;
}

function parseLogs(text: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as LogLine);
    } catch {
      // A partial line still being written, or not JSON: ignore.
    }
  }
  return lines;
}

function assertBuilt(): void {
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: run npm run build first`);
}

function spawnServer(env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: PROJECT_ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // 'close' comes after 'exit' and after stdout and stderr end, so the output is complete.
  const exited = new Promise<ProcessExit>((resolve) =>
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => resolve({ code, signal })),
  );
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

/**
 * Starts the server and waits until it listens.
 * @throws Error with the captured output when it exits first or does not listen within 15 s.
 */
export async function startServer(options: StartOptions = {}): Promise<ServerProcess> {
  assertBuilt();
  const { env, tempDir, schema } = await withDatabase(options.env ?? {});
  const removeTemp = async () => {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    if (schema) await dropSchema(schema);
  };
  const { child, exited, stdout, stderr } = spawnServer(env);
  const output = () => `--- stdout ---\n${stdout()}--- stderr ---\n${stderr()}`;

  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      child.kill('SIGKILL');
      void exited.then(removeTemp);
      reject(new Error(`the server did not listen within ${START_TIMEOUT_MS} ms\n${output()}`));
    }, START_TIMEOUT_MS);
    const onData = () => {
      for (const line of parseLogs(stdout())) {
        const match = /Server listening at (http:\/\/[^\s"]+)/.exec(line.msg);
        if (match) {
          cleanup();
          resolve(match[1]!.replace(/\/$/, ''));
          return;
        }
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      cleanup();
      void exited.then(removeTemp);
      reject(new Error(`the server exited before listening (code ${code}, signal ${signal})\n${output()}`));
    };
    function cleanup() {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('close', onExit);
    }
    // Registered after the accumulating listener, so stdout() already holds the chunk.
    child.stdout.on('data', onData);
    // 'close', not 'exit': the captured output is complete when it fires.
    child.once('close', onExit);
  });

  let stopping: Promise<ProcessExit> | undefined;
  return {
    baseUrl,
    child,
    stdout,
    stderr,
    output,
    logs: () => parseLogs(stdout()),
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
          const result = await exited;
          clearTimeout(killer);
          await removeTemp();
          return result;
        }
        const result = await exited;
        await removeTemp();
        return result;
      })();
      return stopping;
    },
  };
}

/**
 * Runs the server expecting it to stop by itself (a start-up failure), and returns how it
 * ended with its output. Kills it and throws if it is still running after 15 s.
 */
export async function runServerToExit(
  options: StartOptions = {},
): Promise<ProcessExit & { stdout: string; stderr: string }> {
  assertBuilt();
  const { env, tempDir, schema } = await withDatabase(options.env ?? {});
  const { child, exited, stdout, stderr } = spawnServer(env);
  const timer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT_MS);
  const result = await exited;
  clearTimeout(timer);
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  if (schema) await dropSchema(schema);
  if (result.signal === 'SIGKILL')
    throw new Error(`the server kept running for ${START_TIMEOUT_MS} ms\n${stdout()}${stderr()}`);
  return { ...result, stdout: stdout(), stderr: stderr() };
}
