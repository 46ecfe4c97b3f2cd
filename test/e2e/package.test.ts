/**
 * The npm package as a reseller gets it: `npm pack` makes the real tarball (once per run),
 * `npm install <tarball>` puts it into an empty temporary folder with production dependencies
 * only, `esim-sandbox start` runs the server from there, and every CLI command is driven
 * against it, checking its output and exit code; `listen` forwards to a local receiver that
 * verifies the signatures; the installed package's `startSandbox` and `./client` load.
 *
 * better-sqlite3 is compiled from source when no prebuilt binary can be downloaded (minutes
 * on a loaded machine). prebuild-install first looks in a local prebuilds folder
 * (`npm_config_better_sqlite3_local_prebuilds`): the test puts there the binary `npm ci`
 * built for this very Node.js and platform, packed as its release archive would be.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../src/domain/webhook-delivery.js';
import { startReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';
import { PROJECT_ROOT } from '../helpers/server-process.js';

const run = promisify(execFile);
const KEY = 'acme-package-test-key-1';
const IMEI = '356938035643809';
const served = JSON.parse(readFileSync(join(PROJECT_ROOT, 'openapi.json'), 'utf8')) as {
  paths: Record<string, unknown>;
};
const HAS_RESET = '/v1/sandbox/reset' in served.paths;
const HAS_STREAM = '/v1/sandbox/stream' in served.paths;

let dir: string;
let bin: string;
let server: ChildProcess;
let baseUrl: string;
let env: NodeJS.ProcessEnv;
let serverOutput = '';

/** Runs the installed esim-sandbox; never rejects: the exit code is part of what is checked. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(bin, args, { env, cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A port nothing listens on: one the system gave and took back. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function localPrebuilds(into: string): Record<string, string> {
  const sqlite = join(PROJECT_ROOT, 'node_modules', 'better-sqlite3');
  const { version } = JSON.parse(readFileSync(join(sqlite, 'package.json'), 'utf8')) as { version: string };
  const archive = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  mkdirSync(into, { recursive: true });
  const tar = spawnSync('tar', ['-czf', join(into, archive), '-C', sqlite, 'build/Release/better_sqlite3.node']);
  if (tar.status !== 0) throw new Error(`tar failed: ${String(tar.stderr)}`);
  return { npm_config_better_sqlite3_local_prebuilds: into };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'esim-sandbox-package-'));
  // dist/ is built by `npm test`; --if-stale builds it when this file runs alone.
  await run(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: PROJECT_ROOT });
  const packed = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--json'], {
    cwd: PROJECT_ROOT,
  });
  const tarball = join(dir, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
  const app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'reseller-app', private: true, type: 'module' }));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], {
    cwd: app,
    env: { ...process.env, ...localPrebuilds(join(dir, 'prebuilds')) },
  });
  dir = app;
  bin = join(app, 'node_modules', '.bin', 'esim-sandbox');
  env = {
    PATH: process.env.PATH,
    HOME: dir,
    ESIM_SANDBOX_CONFIG_DIR: join(dir, 'config'),
    ESIM_SANDBOX_API_KEY: KEY,
  };
  server = spawn(bin, ['start', '--port', '0', '--db', ':memory:', '--keys', `acme:${KEY}`], {
    cwd: app,
    env: { PATH: process.env.PATH, HOME: dir, RATE_LIMITS: 'off', WEBHOOK_BACKOFF_MS: '10' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`esim-sandbox start did not listen: ${serverOutput}`)), 30_000);
    server.stdout!.on('data', (chunk: Buffer) => {
      serverOutput += chunk.toString();
      const match = /eSIM sandbox listening on (http:\/\/[0-9.:]+)/.exec(serverOutput);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    server.stderr!.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()));
  });
  env.ESIM_SANDBOX_URL = baseUrl;
}, 600_000);

afterAll(async () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve(code ?? signal)));
    server.kill('SIGTERM');
    const killer = setTimeout(() => server.kill('SIGKILL'), 20_000);
    const outcome = await exited;
    clearTimeout(killer);
    expect(outcome, serverOutput).toBe(0);
  }
  if (dir) rmSync(join(dir, '..'), { recursive: true, force: true });
}, 60_000);

describe('the installed package', () => {
  it('has production dependencies only', () => {
    const installed = new Set(readdirSync(join(dir, 'node_modules')));
    for (const dev of ['vitest', 'vite', 'tsx', 'typescript', 'openapi-typescript', 'eslint', 'prettier'])
      expect(installed.has(dev), dev).toBe(false);
    const scoped = existsSync(join(dir, 'node_modules', '@stoplight'))
      ? readdirSync(join(dir, 'node_modules', '@stoplight'))
      : [];
    expect(scoped).toEqual([]);
    expect(existsSync(join(dir, 'node_modules', '@redocly', 'cli'))).toBe(false);
    expect(installed.has('openapi-fetch')).toBe(true);
  });

  it('esim-sandbox start answers /readyz, the API and /docs', async () => {
    expect((await fetch(`${baseUrl}/readyz`)).status).toBe(200);
    expect((await fetch(`${baseUrl}/docs`, { redirect: 'follow' })).status).toBe(200);
  });

  it('exports startSandbox and ./client', async () => {
    const script =
      "import { startSandbox } from 'esim-commerce-sandbox';" +
      "import { createSandboxClient, SandboxApiError } from 'esim-commerce-sandbox/client';" +
      'const s = await startSandbox();' +
      'const c = createSandboxClient({ baseUrl: s.url, apiKey: s.apiKey });' +
      "const o = await s.client.order('KD0001');" +
      'const e = await c.getEsim(o.esims[0].iccid);' +
      "const miss = await c.getEsim('8900000000098765434').catch((x) => x);" +
      'await s.close();' +
      'console.log(JSON.stringify([e.contractStatus, miss instanceof SandboxApiError, miss.code]));';
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual(['ACTIVE', true, 'ESIM_NOT_FOUND']);
  });
});

describe('esim-sandbox commands', () => {
  let iccid: string;

  it('order prints the transactionId and the ICCIDs; --json the API answer', async () => {
    const text = await cli('order', 'KD0001', '--quantity', '2');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^ordered 2 eSIM\(s\) of KD0001: transactionId [0-9a-f-]{36}\n8900\d{15}\n8900\d{15}\n$/,
    );
    const json = await cli('order', 'KD0001', '--json');
    expect(json.code).toBe(0);
    const body = JSON.parse(json.stdout);
    expect(body.esims).toHaveLength(1);
    iccid = body.esims[0].iccid;
  });

  it('status, suspend, release', async () => {
    const status = await cli('status', iccid);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^contractStatus +ACTIVE$/m);
    expect(JSON.parse((await cli('status', iccid, '--json')).stdout).iccid).toBe(iccid);
    const suspended = await cli('suspend', iccid);
    expect([suspended.code, suspended.stdout]).toEqual([
      0,
      `${iccid}  contractStatus SUSPENDED, profileProvisionStatus AVAILABLE, profileInstallStatus READY, isServiceRestricted true\n`,
    ]);
    const released = await cli('release', iccid, '--json');
    expect(JSON.parse(released.stdout).contractStatus).toBe('ACTIVE');
  });

  it('trigger and usage', async () => {
    const installed = await cli('trigger', 'install', iccid, '--imei', IMEI);
    expect(installed.code).toBe(0);
    expect(installed.stdout).toContain('install: ' + iccid + '  contractStatus ACTIVE');
    expect(installed.stdout).toContain('profileInstallStatus INSTALLED');
    const first = await cli('usage', iccid, '--day', '2026-01-02', '--kb', '2048');
    expect([first.code, first.stdout]).toEqual([0, `${iccid}  2026-01-02: 2048 KB; 1 day(s), 2048 KB in all\n`]);
    const second = await cli('usage', iccid, '--day', '2026-01-03', '--kb', '10', '--json');
    expect(JSON.parse(second.stdout).dataUsageDailyList).toEqual([
      { day: '2026-01-02', usage: '2048' },
      { day: '2026-01-03', usage: '10' },
    ]);
  });

  it('clock advance and clock reset', async () => {
    const advanced = await cli('clock', 'advance', '--days', '1', '--hours', '2', '--json');
    expect(advanced.code).toBe(0);
    expect(JSON.parse(advanced.stdout).offsetSeconds).toBe(26 * 3600);
    const reset = await cli('clock', 'reset');
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/^sandbox clock: now \S+ \(real time \+ 0 h\)\n$/);
  });

  it('an API problem: exit code 1, its code and detail on stderr', async () => {
    const missing = await cli('status', '8900000000098765434');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('ESIM_NOT_FOUND: no eSIM with ICCID 8900000000098765434\n');
    expect(missing.stdout).toBe('');
    // With --json the problem itself goes to stdout, for jq.
    const asJson = await cli('status', '8900000000098765434', '--json');
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ status: 404, code: 'ESIM_NOT_FOUND' });
    const invalid = await cli('trigger', 'connect', iccid);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^VALIDATION_ERROR: body\.imei is required/);
    const wrongKey = await cli('status', iccid, '--api-key', 'not-a-key-of-this-one');
    expect([wrongKey.code, wrongKey.stderr.split(':')[0]]).toEqual([1, 'UNAUTHORIZED']);
    const closed = await closedPort();
    const nobody = await cli('status', iccid, '--base-url', `http://127.0.0.1:${closed}`);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toBe(
      `cannot reach the sandbox at http://127.0.0.1:${closed}: connect ECONNREFUSED 127.0.0.1:${closed}\n`,
    );
  });

  it('a usage error: exit code 2 with the usage; --help: exit code 0', async () => {
    const missing = await cli('order');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^esim-sandbox: missing <planCode>\n\nusage: esim-sandbox order <planCode>/);
    const unknown = await cli('frobnicate');
    expect([unknown.code, unknown.stderr.split('\n')[0]]).toEqual([2, 'esim-sandbox: unknown command "frobnicate"']);
    const badOption = await cli('status', iccid, '--colour');
    expect(badOption.code).toBe(2);
    expect(badOption.stderr.split('\n')[0]).toBe('esim-sandbox: unknown option --colour (--help lists the options)');
    const badEvent = await cli('trigger', 'explode', iccid);
    expect(badEvent.code).toBe(2);
    expect(badEvent.stderr).toContain('<event> must be one of download, install, install_failed, connect, terminate');
    const noDays = await cli('clock', 'advance');
    expect([noDays.code, noDays.stderr.split('\n')[0]]).toEqual([2, 'esim-sandbox: give --days, --hours or both']);
    const noKey = await run(bin, ['status', iccid], { env: { ...env, ESIM_SANDBOX_API_KEY: '' } }).catch((e) => e);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('an API key is needed: --api-key <key> or ESIM_SANDBOX_API_KEY');
    const help = await cli('usage', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: esim-sandbox usage <iccid> --day <day> --kb <kb>\n/);
    const general = await cli('--help');
    expect(general.code).toBe(0);
    for (const command of ['start', 'listen', 'trigger', 'order', 'clock advance', 'logs tail', 'mcp'])
      expect(general.stdout).toContain(`\n  ${command}`);
  });

  it.skipIf(!HAS_RESET)('reset deletes this reseller data', async () => {
    const reset = await cli('reset', '--json');
    expect(reset.code).toBe(0);
    expect(JSON.parse(reset.stdout).deleted.esims).toBe(3);
    expect((await cli('status', iccid)).code).toBe(1);
  });
});

describe.skipIf(!HAS_STREAM)('esim-sandbox listen and logs tail', () => {
  let receiver: WebhookReceiver;
  let listener: ChildProcess;
  const lines: string[] = [];
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    listener?.kill('SIGINT');
    await receiver?.close();
  });

  function follow(args: string[]): Promise<ChildProcess> {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    return new Promise((resolve, reject) => {
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const parts = buffer.split('\n');
        buffer = parts.pop()!;
        lines.push(...parts);
        if (lines.some((l) => /^(Ready\.|Tailing)/.test(l))) resolve(child);
      });
      child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}: ${lines.join('\n')}`)));
    });
  }

  it('forwards every webhook event signed with the secret it keeps between runs', async () => {
    listener = await follow(['listen', '--forward-to', receiver.url]);
    const secret = /^Signing secret: (whsec_\S+)/m.exec(lines.join('\n'))![1]!;
    const order = JSON.parse((await cli('order', 'KD0001', '--json')).stdout);
    const forwarded = await receiver.waitFor((r) => r.some((w) => w.event.type === 'order.completed'));
    const delivery = forwarded.find((w) => w.event.type === 'order.completed')!;
    expect(delivery.event.data.transactionId).toBe(order.transactionId);
    expect(
      verifySignature(String(delivery.headers['sandbox-signature']), secret, delivery.body, Date.now() / 1000),
    ).toBe(true);
    expect(delivery.headers['sandbox-event-id']).toBe(delivery.event.id);
    await expect
      .poll(() => lines.some((l) => l.includes(`order.completed  ${delivery.event.id}  -> [200]`)))
      .toBe(true);
    const exited = new Promise((resolve) => listener.once('exit', resolve));
    listener.kill('SIGINT');
    expect(await exited).toBe(0);
    lines.length = 0;
    listener = await follow(['listen', '--forward-to', receiver.url]);
    expect(lines.join('\n')).toContain(`Signing secret: ${secret}`);
  });

  it('logs tail --status 4xx prints the failed requests only', async () => {
    lines.length = 0;
    const tail = await follow(['logs', 'tail', '--status', '4xx']);
    await cli('status', '8900000000098765434');
    await cli('order', 'KD0001');
    await expect.poll(() => lines.some((l) => / 404 {2}GET {2}\/v1\/esims\/8900000000098765434/.test(l))).toBe(true);
    expect(lines.filter((l) => l.includes('POST  /v1/orders'))).toEqual([]);
    const exited = new Promise((resolve) => tail.once('exit', resolve));
    tail.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
