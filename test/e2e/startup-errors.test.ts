/**
 * Start-up failures of the real server (`node dist/server.js`): each exits non-zero, never
 * listens, and says on stderr what is wrong and what to change, without showing a key or a
 * password. PostgreSQL cases that need a server (a database that does not exist, a user it
 * refuses) run with TEST_DATABASE_URL; connection refused needs none (a closed port).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../helpers/database.js';
import { runServerToExit } from '../helpers/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'esim-sandbox-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the server with `env` (a valid key unless given), expects exit code 1 or 2 and returns stderr. */
async function failedStart(env: Record<string, string>): Promise<string> {
  const result = await runServerToExit({ env: { SANDBOX_API_KEYS: 'acme:acme-startup-key-1', ...env } });
  expect(result.code, result.stdout + result.stderr).not.toBe(0);
  expect(result.code).not.toBeNull();
  expect(result.stdout).not.toContain('Server listening');
  return result.stderr;
}

/** A TCP port nothing listens on: one the OS just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('PostgreSQL unreachable or refusing', () => {
  it('connection refused: names host:port and says to start PostgreSQL or fix the URL', async () => {
    const port = await closedPort();
    const stderr = await failedStart({ DATABASE_URL: `postgres://sandbox:pa55word@127.0.0.1:${port}/sandbox` });
    expect(stderr).toBe(
      `start-up failed: DATABASE_URL: nothing accepts connections at 127.0.0.1:${port} (connection refused). ` +
        'Start PostgreSQL there, or correct the host and port in DATABASE_URL (PostgreSQL listens on 5432 by default).\n',
    );
    expect(stderr).not.toContain('migration');
    expect(stderr).not.toContain('pa55word');
  });

  const pg = testDatabaseUrl();
  it.skipIf(!pg)('a database that does not exist: names it and says how to create it', async () => {
    const url = new URL(pg!);
    url.pathname = '/no_such_db_startup_test';
    url.search = '';
    const stderr = await failedStart({ DATABASE_URL: url.toString() });
    const at = `${url.hostname}:${url.port || '5432'}`;
    expect(stderr).toContain(`the PostgreSQL server at ${at} has no database "no_such_db_startup_test"`);
    expect(stderr).toContain('Create it (createdb -h');
    expect(stderr).toContain('CREATE DATABASE "no_such_db_startup_test"');
    expect(stderr).not.toContain('migration unknown failed');
  });

  it.skipIf(!pg)('a user the server refuses: names the user and says what to check', async () => {
    const url = new URL(pg!);
    url.username = 'no_such_role_startup';
    url.password = 'hunter2-secret';
    const stderr = await failedStart({ DATABASE_URL: url.toString() });
    expect(stderr).toContain(`refused user "no_such_role_startup"`);
    expect(stderr).toContain('Check the user and password in DATABASE_URL');
    expect(stderr).not.toContain('hunter2-secret');
  });
});

describe('SQLite path not writable', () => {
  it.skipIf(Boolean(testDatabaseUrl()))(
    'a path under a file: says the folder cannot be created, and what to set',
    async () => {
      const file = join(dir, 'a-file');
      writeFileSync(file, 'not a folder');
      const stderr = await failedStart({ DATABASE_URL: `sqlite:${file}/sandbox.db` });
      expect(stderr).toMatch(
        new RegExp(
          `^start-up failed: DATABASE_URL=sqlite:${file}/sandbox\\.db: the folder of ${file}/sandbox\\.db cannot be created, a part of its path is a file, not a folder \\(E(EXIST|NOTDIR)`,
        ),
      );
      expect(stderr).toContain('Set DATABASE_URL=sqlite:<path> to a file in a folder this user may write');
    },
  );

  it.skipIf(Boolean(testDatabaseUrl()))(
    'a folder as the database file: says SQLite cannot open or create it',
    async () => {
      const stderr = await failedStart({ DATABASE_URL: `sqlite:${dir}` });
      expect(stderr).toBe(
        `start-up failed: DATABASE_URL=sqlite:${dir}: SQLite cannot open or create ${dir}: the path is a folder, or its folder is not writable by this user (unable to open database file). ` +
          'Set DATABASE_URL=sqlite:<path> to a file in a folder this user may write (e.g. sqlite:./data/sandbox.db), or sqlite::memory:.\n',
      );
    },
  );

  it.skipIf(Boolean(testDatabaseUrl()))('a file that is not a database: says so', async () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'x'.repeat(200));
    const stderr = await failedStart({ DATABASE_URL: `sqlite:${file}` });
    expect(stderr).toContain(`${file} is not a SQLite database (file is not a database)`);
  });
});

describe('SANDBOX_API_KEYS', () => {
  it('a too-short key: names the entry, the reseller and the length, never the key', async () => {
    const stderr = await failedStart({ SANDBOX_API_KEYS: 'acme:abc123', DATABASE_URL: `sqlite:${join(dir, 'k.db')}` });
    expect(stderr).toBe(
      'configuration error: SANDBOX_API_KEYS: entry 1 (reseller "acme") has a key of 6 character(s), too short: use a key of 8 to 256 characters, e.g. acme:acme-secret-key-1\n',
    );
  });

  it('an entry without a colon (maybe a bare key): says what is missing, never echoing it', async () => {
    const stderr = await failedStart({
      SANDBOX_API_KEYS: 'acme:acme-good-key-1,bare-secret-key-2',
      DATABASE_URL: `sqlite:${join(dir, 'k.db')}`,
    });
    expect(stderr).toMatch(
      /^configuration error: SANDBOX_API_KEYS: entry 2 has no ":" between the reseller name and the key: write each entry as name:key/,
    );
    expect(stderr).not.toContain('bare-secret-key-2');
    expect(stderr).not.toContain('acme-good-key-1');
  });
});
