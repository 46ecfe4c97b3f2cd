/**
 * The admin API across two server processes on one store (a SQLite file, or a PostgreSQL
 * schema when TEST_DATABASE_URL is set), over real HTTP: a key made on one works on the
 * other, a revocation on one is refused by the very next request on the other, a reseller
 * deleted on one is gone on the other, expired sandboxes are swept by whichever instance
 * runs the sweep and deleted exactly once when both sweep, and no key or token ever appears
 * in either server's log.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServerDatabase, startServer, type ServerProcess } from '../helpers/server-process.js';

const TOKEN = 'e2e-admin-token-0123456789';
const CONFIGURED_KEY = 'acme-admin-e2e-key-0001';
const dir = mkdtempSync(join(tmpdir(), 'esim-sandbox-admin-'));
const databaseUrl = `sqlite:${join(dir, 'sandbox.db')}`;
const env = {
  DATABASE_URL: databaseUrl,
  SANDBOX_API_KEYS: `acme:${CONFIGURED_KEY}`,
  RATE_LIMITS: 'off',
  ADMIN_TOKEN: TOKEN,
  ADMIN_SANDBOX_MIN_TTL_SECONDS: '1',
};
let a: ServerProcess;
let b: ServerProcess;
/** Every key the tests were given, to look for in the logs. */
const issued: string[] = [];

interface Created {
  name: string;
  expiresAt: string | null;
  apiKey: { id: string; key: string };
}

async function adminCall(server: ServerProcess, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.baseUrl}/admin/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as Record<string, unknown>;
  return { status: res.status, json };
}

async function create(server: ServerProcess, path: string, body?: unknown): Promise<Created> {
  const res = await adminCall(server, 'POST', path, body);
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  const created = res.json as unknown as Created;
  issued.push(created.apiKey.key);
  return created;
}

/** The status of a clock read on `server` with `key`. */
async function v1Status(server: ServerProcess, key: string): Promise<number> {
  const res = await fetch(`${server.baseUrl}/v1/sandbox/clock`, { headers: { authorization: `Bearer ${key}` } });
  await res.arrayBuffer();
  return res.status;
}

function tombstones(): { name: string; cause: string }[] {
  const db = openServerDatabase(databaseUrl);
  try {
    return db.prepare('select name, cause from deleted_resellers order by name').all() as {
      name: string;
      cause: string;
    }[];
  } finally {
    db.close();
  }
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

beforeAll(async () => {
  // a never sweeps within the test (once an hour); b sweeps every second.
  a = await startServer({ env: { ...env, ADMIN_SANDBOX_SWEEP_SECONDS: '3600' } });
  b = await startServer({ env: { ...env, ADMIN_SANDBOX_SWEEP_SECONDS: '1' } });
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('the admin API on two instances', () => {
  it('a key created on one works on the other; revoked on one, the next request on the other is 401', async () => {
    const created = await create(a, '/resellers', { name: 'wayne' });
    expect([await v1Status(a, created.apiKey.key), await v1Status(b, created.apiKey.key)]).toEqual([200, 200]);
    const second = (await adminCall(b, 'POST', '/resellers/wayne/keys')).json as {
      apiKey: { id: string; key: string };
    };
    issued.push(second.apiKey.key);
    expect(await v1Status(a, second.apiKey.key)).toBe(200);

    // b has just used the key: a revocation on a is refused by b's very next request.
    expect(await v1Status(b, created.apiKey.key)).toBe(200);
    expect((await adminCall(a, 'DELETE', `/keys/${created.apiKey.id}`)).status).toBe(200);
    expect(await v1Status(b, created.apiKey.key)).toBe(401);
    expect(await v1Status(a, created.apiKey.key)).toBe(401);
    expect([await v1Status(a, second.apiKey.key), await v1Status(b, second.apiKey.key)]).toEqual([200, 200]);
  });

  it('a reseller deleted on one is gone on the other, and the configured key keeps working', async () => {
    const created = await create(b, '/resellers', { name: 'stark' });
    const order = await fetch(`${a.baseUrl}/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${created.apiKey.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ planCode: 'KD0001', quantity: 2 }),
    });
    expect(order.status).toBe(201);
    const deleted = await adminCall(b, 'DELETE', '/resellers/stark');
    expect(deleted.json).toMatchObject({ name: 'stark', deleted: { orders: 1, esims: 2, apiKeys: 1 } });
    expect(await v1Status(a, created.apiKey.key)).toBe(401);
    expect((await adminCall(a, 'GET', '/resellers/stark')).status).toBe(404);
    expect([await v1Status(a, CONFIGURED_KEY), await v1Status(b, CONFIGURED_KEY)]).toEqual([200, 200]);
  });

  it('a sandbox created on one expires on both at expiresAt, and the other instance sweeps it', async () => {
    const sandbox = await create(a, '/sandboxes', { ttlSeconds: 2, namePrefix: 'e2e-one' });
    expect(await v1Status(a, sandbox.apiKey.key)).toBe(200);
    await until(() => tombstones().some((row) => row.name === sandbox.name), 15_000);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(sandbox.expiresAt!));
    expect(tombstones().filter((row) => row.name === sandbox.name)).toEqual([{ name: sandbox.name, cause: 'expired' }]);
    expect([await v1Status(a, sandbox.apiKey.key), await v1Status(b, sandbox.apiKey.key)]).toEqual([401, 401]);
    const sweptBy = (server: ServerProcess) =>
      server.logs().filter((line) => (line.sandboxes as string[] | undefined)?.includes(sandbox.name)).length;
    expect([sweptBy(a), sweptBy(b)]).toEqual([0, 1]);
  });

  it('with both instances sweeping, each expired sandbox is deleted once', async () => {
    const c = await startServer({ env: { ...env, ADMIN_SANDBOX_SWEEP_SECONDS: '1' } });
    try {
      const sandboxes = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          create(i % 2 === 0 ? b : c, '/sandboxes', { ttlSeconds: 1, namePrefix: 'e2e-race' }),
        ),
      );
      const names = sandboxes.map((s) => s.name).sort();
      const raced = () => tombstones().filter((row) => row.name.startsWith('e2e-race-'));
      await until(() => raced().length === names.length, 15_000);
      // One more sweep round on each, to give a double deletion its chance.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(raced()).toEqual(names.map((name) => ({ name, cause: 'expired' })));
      const logged = [b, c].flatMap((server) =>
        server
          .logs()
          .flatMap((line) => ((line.sandboxes as string[] | undefined) ?? []).filter((n) => n.startsWith('e2e-race-'))),
      );
      expect(logged.sort()).toEqual(names);
    } finally {
      await c.stop();
    }
  });

  it('never writes a key or the admin token to either log', () => {
    expect(issued.length).toBeGreaterThanOrEqual(10);
    for (const server of [a, b]) {
      const output = server.output();
      expect(output).toContain('listening');
      for (const secret of [...issued, CONFIGURED_KEY, TOKEN]) expect(output.includes(secret)).toBe(false);
    }
  });
});
