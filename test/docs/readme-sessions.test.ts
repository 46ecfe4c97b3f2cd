/**
 * The README's two shell sessions, run as written with bash, so that what a newcomer copies
 * works: "A first session" (`npm start` in the background on a fresh directory, the demo key
 * read from its log, a plan, an order, the eSIM's status, the server stopped) and "In CI"
 * (`node dist/server.js` with a chosen key and no rate limits, the `/readyz` loop, stopped by
 * its pid).
 *
 * Each runs in a fresh directory holding links to the project's package.json, scripts/ and
 * dist/ (so `./data` and `sandbox.log` are its own, as in a fresh clone), on a free port
 * instead of 3000 (the one change made to the text: tests run in parallel). `npm test` has
 * just built dist/, so `npm start`'s stale check finds nothing to build.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, SERVER_VARIABLES } from '../helpers/server-process.js';

const README = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
const SESSION_TIMEOUT_MS = 60_000;

/** The first ```sh block after the README heading `## <heading>`. */
function shellBlock(heading: string): string {
  const block = new RegExp(`^## ${heading}\\n[\\s\\S]*?\`\`\`sh\\n([\\s\\S]*?)\`\`\``, 'm').exec(README)?.[1];
  if (!block) throw new Error(`README.md has no \`\`\`sh block after "## ${heading}"`);
  return block;
}

/** A TCP port nobody listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

interface SessionResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `script` with bash in `cwd`, with none of the server's variables but PORT. */
function runBash(script: string, cwd: string, port: number): Promise<SessionResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
  for (const name of SERVER_VARIABLES) if (name !== 'PORT') delete env[name];
  const child = spawn('bash', ['-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** The pid the server logs in each line of `log`, if it logged any. */
function loggedPid(log: string): number | undefined {
  const match = /"pid":(\d+)/.exec(log);
  return match ? Number(match[1]) : undefined;
}

/** Resolves when `log` says the server closed, or rejects after 10 s. */
async function closed(logFile: string): Promise<string> {
  for (let waited = 0; waited < 10_000; waited += 100) {
    const log = readFileSync(logFile, 'utf8');
    if (/"msg":"closed in \d+ ms"/.test(log)) return log;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server did not log "closed in N ms" within 10 s:\n${readFileSync(logFile, 'utf8')}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The JSON documents the session printed, one a line. */
function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

let directory: string | undefined;

/**
 * A directory that looks like a fresh clone to `npm start` and `node dist/server.js` (removed
 * after the test), and a free port for the session.
 */
async function freshClone(): Promise<{ dir: string; port: number }> {
  const dir = (directory = mkdtempSync(join(tmpdir(), 'esim-sandbox-readme-')));
  for (const name of ['package.json', 'scripts', 'dist']) symlinkSync(join(PROJECT_ROOT, name), join(dir, name));
  return { dir, port: await freePort() };
}

afterEach(() => {
  if (!directory) return;
  // A session that failed half-way may have left its server running: stop it by its logged pid.
  let log = '';
  try {
    log = readFileSync(join(directory, 'sandbox.log'), 'utf8');
  } catch {
    // No log: no server was started.
  }
  const pid = loggedPid(log);
  if (pid !== undefined && isAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(directory, { recursive: true, force: true });
  directory = undefined;
});

describe("the README's first session", () => {
  it(
    'finds the demo key, lists a plan, orders an eSIM, reads its status and stops the server',
    async () => {
      const { dir, port } = await freshClone();
      const script = shellBlock('A first session').replaceAll('127.0.0.1:3000', `127.0.0.1:${port}`);
      expect(script).toContain('npm start > sandbox.log 2>&1 &');

      const result = await runBash(script, dir, port);
      expect(result.code, result.stderr).toBe(0);
      const [key] = result.stdout.split('\n');
      expect(key).toMatch(/^sk_sandbox_[A-Za-z0-9_-]{32}$/);

      const [plans, order, status] = jsonLines(result.stdout) as [
        { items: { planCode: string }[]; meta: { limit: number } },
        { transactionId: string; esims: { iccid: string }[] },
        { iccid: string; contractStatus: string; profileProvisionStatus: string; profileInstallStatus: string },
      ];
      expect(plans.items.map((plan) => plan.planCode)).toEqual(['KD0001']);
      expect(plans.meta.limit).toBe(1);
      expect(order.transactionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(order.esims.map((esim) => esim.iccid)).toEqual(['8900000000000000011']);
      expect(status).toMatchObject({
        iccid: '8900000000000000011',
        contractStatus: 'ACTIVE',
        profileProvisionStatus: 'AVAILABLE',
        profileInstallStatus: 'READY',
      });

      // The last line stops the server itself, not only npm (whose shell would leave it running).
      const log = await closed(join(dir, 'sandbox.log'));
      expect(log).toContain(`created reseller \\"demo\\" with API key ${key}`);
      expect(log).toContain('dist/ is up to date: not rebuilding');
      const pid = loggedPid(log)!;
      await expect.poll(() => isAlive(pid), { timeout: 5_000 }).toBe(false);
    },
    SESSION_TIMEOUT_MS,
  );
});

describe("the README's CI recipe", () => {
  it(
    'starts the compiled server with the chosen key and no rate limits, waits for /readyz, stops it',
    async () => {
      const { dir, port } = await freshClone();
      const recipe = shellBlock('In CI');
      const key = /SANDBOX_API_KEYS=[^:\s]+:(\S+)/.exec(recipe)?.[1];
      expect(key, 'the recipe sets SANDBOX_API_KEYS=name:key').toBeDefined();
      const lines = recipe.split('\n');
      // `npm ci && npm run build` is what `npm test` has just done; the comment stands for the
      // reseller's own tests: here one request with the chosen key, printing its headers.
      expect(lines[0]).toBe('npm ci && npm run build');
      const suite = lines.findIndex((line) => line.startsWith('# ... your integration tests'));
      expect(suite, 'the recipe has a "# ... your integration tests" line').toBeGreaterThan(0);
      lines[suite] =
        `curl -fsS -D - -o /dev/null "http://127.0.0.1:3000/v1/plans?limit=1" -H "Authorization: Bearer ${key}"`;
      const script = lines.slice(1).join('\n').replaceAll('127.0.0.1:3000', `127.0.0.1:${port}`);

      const result = await runBash(script, dir, port);
      expect(result.code, result.stderr).toBe(0);
      const headers = result.stdout.toLowerCase();
      expect(headers).toMatch(/^http\/1\.1 200 ok/);
      expect(headers).not.toContain('x-ratelimit-limit');

      const log = await closed(join(dir, 'sandbox.log'));
      expect(log).toContain('(database sqlite::memory:)');
      expect(log).not.toContain('sk_sandbox_');
    },
    SESSION_TIMEOUT_MS,
  );
});
