/**
 * Starting, watching and stopping the servers under test, each in its own child process on
 * a free loopback port. Every child is tracked until it has exited, so that the harness
 * stops all of them on any failure (SIGTERM, then SIGKILL) and, as a last resort, kills
 * what is left when it exits itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import ts from 'typescript';
import { DIST, ROOT } from './dist.js';

/** Loopback only: the benchmark never listens on or sends to another address. */
export const HOST = '127.0.0.1';
/** How long a server may take from spawn to its first HTTP answer, ms (Prism takes a few seconds). */
const READY_TIMEOUT_MS = 60_000;
/** How long SIGTERM is given before SIGKILL, ms. */
const STOP_GRACE_MS = 5_000;

/** A server under test, running. */
export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  /** The child's stdout and stderr. */
  readonly logFile: string;
  /**
   * Peak resident set size since the process started (VmHWM of /proc/<pid>/status), MB;
   * null where there is no /proc (not Linux) or the process is gone.
   */
  peakRssMb(): number | null;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process has exited. */
  stop(): Promise<void>;
}

/** Children not yet exited, each with a promise of its exit. */
const running = new Map<ChildProcess, Promise<void>>();

// A harness that dies without its cleanup (an uncaught error, process.exit) must not leave servers behind.
process.on('exit', () => {
  for (const child of running.keys()) child.kill('SIGKILL');
});

/**
 * Starts a reference server: the bare node:http ceiling (bench/ceiling.ts) or the Fastify
 * floor (bench/floor.ts). Each runs as plain JavaScript, transpiled here with the fixture
 * it imports (bench/esim-body.ts), not under tsx: a loader thread would add tens of MB to
 * the RSS and CPU of the smallest servers there are.
 * @param dir folder for the transpiled scripts and the log file.
 */
export async function startReference(kind: 'ceiling' | 'floor', dir: string): Promise<ServerProcess> {
  const scripts = join(dir, 'references');
  mkdirSync(scripts, { recursive: true });
  // `.js` files as ES modules, so that `./esim-body.js` resolves as written in the source.
  writeFileSync(join(scripts, 'package.json'), '{ "type": "module" }\n');
  for (const name of ['esim-body', kind]) {
    const source = readFileSync(join(ROOT, 'bench', `${name}.ts`), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(join(scripts, `${name}.js`), outputText);
  }
  const port = await freePort();
  return startServer({
    name: kind,
    args: [join(scripts, `${kind}.js`)],
    env: { PORT: String(port), HOST, BENCH_ROOT: ROOT },
    port,
    logFile: join(dir, `${kind}.log`),
    readyPath: '/',
  });
}

/** What the sandbox is started with. */
export interface SandboxOptions {
  /** `DATABASE_URL` of a seeded store: `sqlite:<file>` or `postgres://...?schema=...`. */
  databaseUrl: string;
  /** Added to the environment (an `--ab` variant). */
  env?: Record<string, string>;
  reseller: string;
  apiKey: string;
  /** Folder for the log file. */
  dir: string;
  /** When set, the server runs with `--cpu-prof` and writes its profile here on exit. */
  cpuProfDir?: string | undefined;
  /** Log file name inside `dir`. */
  logName: string;
}

/**
 * The Node.js options of `npm start` (the words between `node` and `dist/server.js` in the
 * package.json start script), so that the benchmark runs the server exactly as users do.
 */
function startScriptNodeOptions(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const words = scripts.start.trim().split(/\s+/);
  const entry = words.indexOf('dist/server.js');
  if (words[0] !== 'node' || entry < 0) throw new Error(`unexpected start script: ${scripts.start}`);
  return words.slice(1, entry);
}

/** Starts the compiled sandbox (dist/server.js) as `npm start` does: auth on with a real key, rate limits off, logs at warn. */
export async function startSandbox(options: SandboxOptions): Promise<ServerProcess> {
  const server = join(DIST, 'server.js');
  if (!existsSync(server)) throw new Error(`${server} is missing: run \`npm run build\` first`);
  const port = await freePort();
  const profile = options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] : [];
  return startServer({
    name: 'sandbox',
    args: [...startScriptNodeOptions(), ...profile, server],
    env: {
      PORT: String(port),
      HOST,
      DATABASE_URL: options.databaseUrl,
      SANDBOX_API_KEYS: `${options.reseller}:${options.apiKey}`,
      RATE_LIMITS: 'off',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    port,
    logFile: join(options.dir, options.logName),
    readyPath: '/healthz',
  });
}

/**
 * Starts Prism mocking `openapiFile` with its static examples, logging at warn like the
 * sandbox (at info it writes several lines per request).
 * @param openapiFile a copy of openapi.json: Prism reloads on change, and a teammate
 *   editing the committed file must not restart it mid-run.
 */
export async function startPrism(openapiFile: string, dir: string): Promise<ServerProcess> {
  const bin = join(ROOT, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm ci\` (Prism is a devDependency)`);
  const port = await freePort();
  return startServer({
    name: 'prism',
    // Prism's own entry run by node directly: the pid measured is Prism's, not an npx wrapper's.
    args: [bin, 'mock', openapiFile, '--port', String(port), '--host', HOST, '--verboseLevel', 'warn'],
    env: {},
    port,
    logFile: join(dir, 'prism.log'),
    readyPath: '/healthz',
  });
}

interface StartOptions {
  name: string;
  /** Arguments to `node` (this same Node.js binary). */
  args: string[];
  /** Added to the harness's environment. */
  env: Record<string, string>;
  port: number;
  logFile: string;
  /** Polled until it answers anything at all (any status): then the server is up. */
  readyPath: string;
}

async function startServer(options: StartOptions): Promise<ServerProcess> {
  const log = openSync(options.logFile, 'a');
  // Output to a file, not a pipe: a pipe nobody reads would block a chatty server.
  const child = spawn(process.execPath, options.args, {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  running.set(child, exited);
  void exited.then(() => running.delete(child));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.name}: could not start ${process.execPath}`);

  const baseUrl = `http://${HOST}:${options.port}`;
  const stop = () => stopChild(child, exited);
  const server: ServerProcess = {
    name: options.name,
    pid,
    baseUrl,
    logFile: options.logFile,
    peakRssMb: () => peakRssMb(pid),
    stop,
  };
  try {
    await waitReady(options.name, child, baseUrl + options.readyPath, options.logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  return server;
}

async function waitReady(name: string, child: ChildProcess, url: string, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${name} exited (${child.exitCode ?? child.signalCode}) before answering; its log ends with:\n${tail(logFile)}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(
    `${name} did not answer ${url} within ${READY_TIMEOUT_MS / 1000} s; its log ends with:\n${tail(logFile)}`,
  );
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_GRACE_MS).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Stops every server still running (cleanup after a failure). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map(([child, exited]) => stopChild(child, exited)));
}

/** A TCP port free on the loopback right now (the OS picks it; the small race with other programs is accepted). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** VmHWM of a process, MB (the kernel's high-water mark of its resident set). */
function peakRssMb(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
