import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseApiKeys, parseDatabaseUrl } from '../../src/config.js';

const ADMIN_TOKEN_SHA256 = 'ca8d40e6ce4716b552f1c69863335b502f2afb57ffae171d6675fd56d91ca5b2';

/** The ConfigError loadConfig throws for `env` (fails the test if it does not throw one). */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      database: { kind: 'sqlite', url: 'sqlite:./data/sandbox.db', filename: './data/sandbox.db' },
      redisUrl: null,
      redisKeyPrefix: 'esim-sandbox:rl:',
      apiKeys: [],
      rateLimits: true,
      sandboxFaults: true,
      smdpAddress: 'smdp.sandbox.example',
      logLevel: 'info',
      webhookAllowPrivate: true,
      webhookBackoffMs: 1000,
      requestLog: true,
      requestLogLimit: 1000,
      requestLogDays: 7,
      adminTokenSha256: null,
      secretsKey: null,
      sandboxMinTtlSeconds: 60,
      sandboxSweepSeconds: 60,
      corsOrigins: [],
    });
  });

  it('reads the request log settings and names the variable of a bad one', () => {
    expect(loadConfig({ REQUEST_LOG: 'off', REQUEST_LOG_LIMIT: '5', REQUEST_LOG_DAYS: '1' })).toMatchObject({
      requestLog: false,
      requestLogLimit: 5,
      requestLogDays: 1,
    });
    expect(configError({ REQUEST_LOG: 'maybe' }).message).toBe(
      'REQUEST_LOG: must be on or off (or true/false, 1/0, yes/no), got "maybe"',
    );
    expect(configError({ REQUEST_LOG_LIMIT: '0' }).message).toBe(
      'REQUEST_LOG_LIMIT: must be an integer from 1 to 100000, got "0"',
    );
    expect(configError({ REQUEST_LOG_DAYS: '366' }).message).toBe(
      'REQUEST_LOG_DAYS: must be an integer from 1 to 365, got "366"',
    );
  });

  it('treats blank values as unset', () => {
    const config = loadConfig({
      PORT: '',
      HOST: '  ',
      SANDBOX_API_KEYS: '',
      RATE_LIMITS: '',
      SANDBOX_FAULTS: ' ',
      LOG_LEVEL: '',
    });
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.apiKeys).toEqual([]);
    expect(config.rateLimits).toBe(true);
    expect(config.sandboxFaults).toBe(true);
    expect(config.logLevel).toBe('info');
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '0.0.0.0',
      DATABASE_URL: 'sqlite:/tmp/x.db',
      REDIS_URL: 'redis://localhost:6379',
      REDIS_KEY_PREFIX: 'team-a:rl:',
      SANDBOX_API_KEYS: 'a:key12345',
      RATE_LIMITS: 'off',
      SANDBOX_FAULTS: 'off',
      SMDP_ADDRESS: 'smdp.example.com:8443',
      LOG_LEVEL: 'WARN',
      WEBHOOK_ALLOW_PRIVATE: 'false',
      WEBHOOK_BACKOFF_MS: '250',
      REQUEST_LOG: 'off',
      REQUEST_LOG_LIMIT: '50',
      REQUEST_LOG_DAYS: '2',
      ADMIN_TOKEN: 'admin-token-0123456789',
      SECRETS_KEY: 'ab'.repeat(32),
      ADMIN_SANDBOX_MIN_TTL_SECONDS: '1',
      ADMIN_SANDBOX_SWEEP_SECONDS: '2',
      CORS_ORIGINS: 'http://localhost:5173, https://app.example:8443',
    });
    expect(config).toEqual({
      port: 0,
      host: '0.0.0.0',
      database: { kind: 'sqlite', url: 'sqlite:/tmp/x.db', filename: '/tmp/x.db' },
      redisUrl: 'redis://localhost:6379',
      redisKeyPrefix: 'team-a:rl:',
      apiKeys: [{ reseller: 'a', key: 'key12345' }],
      rateLimits: false,
      sandboxFaults: false,
      smdpAddress: 'smdp.example.com:8443',
      logLevel: 'warn',
      webhookAllowPrivate: false,
      webhookBackoffMs: 250,
      requestLog: false,
      requestLogLimit: 50,
      requestLogDays: 2,
      // Only the token's SHA-256 digest is kept (sha256sum of "admin-token-0123456789").
      adminTokenSha256: Buffer.from(ADMIN_TOKEN_SHA256, 'hex'),
      secretsKey: Buffer.alloc(32, 0xab),
      sandboxMinTtlSeconds: 1,
      sandboxSweepSeconds: 2,
      corsOrigins: ['http://localhost:5173', 'https://app.example:8443'],
    });
  });

  it.each([
    [{ ADMIN_TOKEN: 'short-token' }, 'ADMIN_TOKEN'],
    [{ SECRETS_KEY: 'ab'.repeat(31) }, 'SECRETS_KEY'],
    [{ ADMIN_TOKEN: 'has spaces inside the token' }, 'ADMIN_TOKEN'],
    [{ ADMIN_SANDBOX_MIN_TTL_SECONDS: '0' }, 'ADMIN_SANDBOX_MIN_TTL_SECONDS'],
    [{ ADMIN_SANDBOX_MIN_TTL_SECONDS: '604801' }, 'ADMIN_SANDBOX_MIN_TTL_SECONDS'],
    [{ ADMIN_SANDBOX_SWEEP_SECONDS: '3601' }, 'ADMIN_SANDBOX_SWEEP_SECONDS'],
  ])('%j stops start-up naming %s, never repeating a token', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable}: `));
    if ('ADMIN_TOKEN' in env) expect(() => loadConfig(env)).not.toThrow(env.ADMIN_TOKEN);
  });

  it.each([
    ['on', true],
    ['true', true],
    ['1', true],
    ['yes', true],
    ['off', false],
    ['FALSE', false],
    ['0', false],
    ['no', false],
    [' Off ', false],
  ])('RATE_LIMITS or SANDBOX_FAULTS = %j -> %s', (value, expected) => {
    expect(loadConfig({ RATE_LIMITS: value }).rateLimits).toBe(expected);
    expect(loadConfig({ SANDBOX_FAULTS: value }).sandboxFaults).toBe(expected);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '65536' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ PORT: '80.5' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'sqlite:' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://localhost' }, 'REDIS_URL'],
    [{ REDIS_KEY_PREFIX: 'has space' }, 'REDIS_KEY_PREFIX'],
    [{ RATE_LIMITS: 'maybe' }, 'RATE_LIMITS'],
    [{ SANDBOX_FAULTS: 'disabled' }, 'SANDBOX_FAULTS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ SMDP_ADDRESS: 'bad host' }, 'SMDP_ADDRESS'],
    [{ SMDP_ADDRESS: 'smdp$example' }, 'SMDP_ADDRESS'],
    [{ SANDBOX_API_KEYS: 'nocolon' }, 'SANDBOX_API_KEYS'],
    [{ SANDBOX_API_KEYS: 'a:short' }, 'SANDBOX_API_KEYS'],
    [{ SANDBOX_API_KEYS: ':key12345' }, 'SANDBOX_API_KEYS'],
    [{ SANDBOX_API_KEYS: 'a:key12345,b:key12345' }, 'SANDBOX_API_KEYS'],
  ] as [NodeJS.ProcessEnv, string][])('%j stops start-up naming %s', (env, variable) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.name).toBe('ConfigError');
  });

  it('quotes the bad value in the message', () => {
    expect(configError({ PORT: 'abc' }).message).toBe('PORT: must be an integer from 0 to 65535, got "abc"');
    expect(configError({ PORT: '70000' }).message).toBe('PORT: must be an integer from 0 to 65535, got "70000"');
    expect(configError({ DATABASE_URL: 'mysql://x' }).message).toBe(
      'DATABASE_URL: must start with sqlite: or postgres://, got "mysql://x"',
    );
    expect(configError({ RATE_LIMITS: 'maybe' }).message).toBe(
      'RATE_LIMITS: must be on or off (or true/false, 1/0, yes/no), got "maybe"',
    );
    expect(configError({ SANDBOX_FAULTS: 'disabled' }).message).toBe(
      'SANDBOX_FAULTS: must be on or off (or true/false, 1/0, yes/no), got "disabled"',
    );
    expect(configError({ LOG_LEVEL: 'loud' }).message).toContain('got "loud"');
    expect(configError({ SMDP_ADDRESS: 'bad host' }).message).toBe(
      'SMDP_ADDRESS: must be a host name (RFC 1123), got "bad host"',
    );
  });

  it('says which SANDBOX_API_KEYS entry is wrong, why, and how to write it', () => {
    const format =
      'write each entry as name:key, the name 1-64 of [A-Za-z0-9._-], the key 8-256 of [A-Za-z0-9._~+/-] (an RFC 6750 bearer token), e.g. acme:acme-secret-key-1';
    expect(configError({ SANDBOX_API_KEYS: 'a:key12345,nocolon-secret' }).message).toBe(
      `SANDBOX_API_KEYS: entry 2 has no ":" between the reseller name and the key: ${format}`,
    );
    expect(configError({ SANDBOX_API_KEYS: ':key12345' }).message).toBe(
      `SANDBOX_API_KEYS: entry 1 has no reseller name before the ":": ${format}`,
    );
    expect(configError({ SANDBOX_API_KEYS: 'a:key12345,,b:key67890' }).message).toBe(
      `SANDBOX_API_KEYS: entry 2 is empty (two commas in a row, or a comma at the end): remove it, or ${format}`,
    );
    expect(configError({ SANDBOX_API_KEYS: 'ac me:key12345' }).message).toBe(
      `SANDBOX_API_KEYS: entry 1 has a reseller name that is not of [A-Za-z0-9._-]: ${format}`,
    );
    expect(configError({ SANDBOX_API_KEYS: 'a:key12345,b:key12345' }).message).toBe(
      'SANDBOX_API_KEYS: entry 2 (reseller "b") repeats the key of an earlier entry: give each entry a key of its own',
    );
  });

  it('names a too-short, too-long or ill-formed key by its length or position, never showing it', () => {
    const short = configError({ SANDBOX_API_KEYS: 'acme:s3cr3t' }).message;
    expect(short).toBe(
      'SANDBOX_API_KEYS: entry 1 (reseller "acme") has a key of 6 character(s), too short: use a key of 8 to 256 characters, e.g. acme:acme-secret-key-1',
    );
    const long = configError({ SANDBOX_API_KEYS: `acme:${'k'.repeat(300)}` }).message;
    expect(long).toBe(
      'SANDBOX_API_KEYS: entry 1 (reseller "acme") has a key of 300 characters, too long: use a key of 8 to 256 characters',
    );
    const odd = configError({ SANDBOX_API_KEYS: 'acme:secret key 1' }).message;
    expect(odd).toBe(
      'SANDBOX_API_KEYS: entry 1 (reseller "acme") has a key with a character not allowed at position 7 (keys take [A-Za-z0-9._~+/-], "=" only at the end, as an RFC 6750 bearer token): choose a key of those characters',
    );
    for (const message of [short, odd]) expect(message).not.toMatch(/s3cr3t|secret key/);
    expect(configError({ SANDBOX_API_KEYS: 'nocolon-secret' }).message).not.toContain('nocolon-secret');
  });
});

describe('parseApiKeys', () => {
  it("parses 'a:key12345,b:key67890'", () => {
    expect(parseApiKeys('a:key12345,b:key67890')).toEqual([
      { reseller: 'a', key: 'key12345' },
      { reseller: 'b', key: 'key67890' },
    ]);
  });

  it('trims entries and allows one reseller several keys', () => {
    expect(parseApiKeys(' a:key12345 , a:key67890 ')).toEqual([
      { reseller: 'a', key: 'key12345' },
      { reseller: 'a', key: 'key67890' },
    ]);
  });

  it('is empty when unset', () => {
    expect(parseApiKeys(undefined)).toEqual([]);
  });
});

describe('parseDatabaseUrl', () => {
  it('accepts sqlite paths and postgres URLs', () => {
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({
      kind: 'sqlite',
      url: 'sqlite::memory:',
      filename: ':memory:',
    });
    expect(parseDatabaseUrl('sqlite:///var/db.sqlite')).toEqual({
      kind: 'sqlite',
      url: 'sqlite:///var/db.sqlite',
      filename: '/var/db.sqlite',
    });
    expect(parseDatabaseUrl('postgres://u:p@localhost:5432/db')).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@localhost:5432/db',
    });
    expect(parseDatabaseUrl('postgresql://localhost/db').kind).toBe('postgres');
  });
});
