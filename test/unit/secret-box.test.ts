import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { SecretBox } from '../../src/store/secret-box.js';
import { resolveSecretsKey } from '../../src/store/secrets-key.js';

const KEY = Buffer.alloc(32, 7);
const SECRET = 'whsec_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';

describe('SecretBox (AES-256-GCM at rest)', () => {
  const box = new SecretBox(KEY);

  it('seals to v1.<iv>.<tag>.<ciphertext> without the secret in it, and opens it back', () => {
    const sealed = box.seal(SECRET);
    expect(sealed).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(sealed.includes(SECRET)).toBe(false);
    expect(box.open(sealed)).toBe(SECRET);
    expect(SecretBox.isSealed(sealed)).toBe(true);
    expect(SecretBox.isSealed(SECRET)).toBe(false);
  });

  it('uses a new IV each time: the same secret seals differently', () => {
    expect(box.seal(SECRET)).not.toBe(box.seal(SECRET));
  });

  it('refuses an altered value and a value sealed under another key', () => {
    const sealed = box.seal(SECRET);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    const altered = [...parts.slice(0, 3), body.toString('base64url')].join('.');
    expect(() => box.open(altered)).toThrow(/cannot be opened with this server's secrets key/);
    expect(() => new SecretBox(Buffer.alloc(32, 8)).open(sealed)).toThrow(/sealed under another key or altered/);
    expect(() => box.open('whsec_plain')).toThrow(
      'a stored secret is not in the sealed form v1.<iv>.<tag>.<ciphertext>',
    );
  });

  it('takes only a 32-byte key', () => {
    expect(() => new SecretBox(Buffer.alloc(16))).toThrow('a secrets key is 32 bytes, got 16');
  });
});

describe('SECRETS_KEY', () => {
  it('takes 64 hex digits or base64 of 32 bytes, and refuses anything else without repeating it', () => {
    expect(loadConfig({ SECRETS_KEY: '07'.repeat(32) }).secretsKey).toEqual(KEY);
    expect(loadConfig({ SECRETS_KEY: KEY.toString('base64') }).secretsKey).toEqual(KEY);
    expect(loadConfig({ SECRETS_KEY: KEY.toString('base64url') }).secretsKey).toEqual(KEY);
    expect(loadConfig({}).secretsKey).toBeNull();
    expect(() => loadConfig({ SECRETS_KEY: 'abc123-not-a-key' })).toThrow(
      'SECRETS_KEY: must be a 32-byte key: 64 hex digits, or 44 characters of base64 (e.g. `openssl rand -hex 32`)',
    );
  });
});

describe('the secrets key without SECRETS_KEY', () => {
  const dir = mkdtempSync(join(tmpdir(), 'esim-secrets-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const db = undefined as never; // SQLite's sources never touch the database

  it('SQLite file: a 0600 key file beside it, made once and read after', async () => {
    const filename = join(dir, 'sandbox.db');
    const database = { kind: 'sqlite', url: `sqlite:${filename}`, filename } as const;
    const first = await resolveSecretsKey(null, database, db);
    const second = await resolveSecretsKey(null, database, db);
    expect([first.key.length, first.key.equals(second.key), first.warning]).toEqual([32, true, null]);
    expect(readFileSync(`${filename}.key`, 'utf8')).toBe(`${first.key.toString('hex')}\n`);
    expect(statSync(`${filename}.key`).mode & 0o777).toBe(0o600);
  });

  it('SQLite file: a damaged key file is a clear error', async () => {
    const filename = join(dir, 'broken.db');
    writeFileSync(`${filename}.key`, 'not hex\n');
    await expect(resolveSecretsKey(null, { kind: 'sqlite', url: `sqlite:${filename}`, filename }, db)).rejects.toThrow(
      `the secrets key file ${filename}.key must hold 64 hex digits (a 32-byte key); delete it to make a new one`,
    );
  });

  it('SECRETS_KEY wins over every other source', async () => {
    const filename = join(dir, 'configured.db');
    const resolved = await resolveSecretsKey(KEY, { kind: 'sqlite', url: `sqlite:${filename}`, filename }, db);
    expect(resolved).toEqual({ key: KEY, warning: null });
  });
});
