/**
 * Environment -> typed, validated configuration (DESIGN.md section 5).
 *
 * A bad value stops start-up with a `ConfigError` whose message names the variable and the
 * rule it broke, so that an operator never has to guess which setting is wrong.
 */
import { createHash } from 'node:crypto';
import { RESELLER_NAME } from './domain/admin.js';

import { PG_SCHEMA, type DatabaseConfig } from './store/database-config.js';

export { PG_SCHEMA, type DatabaseConfig };

/** One reseller and one plain API key from `SANDBOX_API_KEYS="name:key,name2:key2"`. */
export interface ApiKeySeed {
  reseller: string;
  key: string;
}

/** The sandbox server's settings; every field comes from one environment variable. */
export interface Config {
  /** `PORT`, TCP port, default 3000; 0 picks a free port. */
  port: number;
  /** `HOST`, listen address, default 127.0.0.1. */
  host: string;
  /** `DATABASE_URL`, default `sqlite:./data/sandbox.db`. */
  database: DatabaseConfig;
  /** `REDIS_URL`, unset by default (rate-limit counters in memory). */
  redisUrl: string | null;
  /** `REDIS_KEY_PREFIX`, default `esim-sandbox:rl:`: prefix of the rate-limit keys in Redis (several sandboxes, or test runs, on one Redis). */
  redisKeyPrefix: string;
  /** `SANDBOX_API_KEYS`, parsed; empty when unset. */
  apiKeys: ApiKeySeed[];
  /** `RATE_LIMITS`: `on` (default) or `off`. */
  rateLimits: boolean;
  /** `SANDBOX_FAULTS`: `on` (default) or `off`; off, the `Sandbox-Fault` header is ignored, whatever its value. */
  sandboxFaults: boolean;
  /** `SMDP_ADDRESS`: the SM-DP+ host name put in every activation code, default `smdp.sandbox.example`. */
  smdpAddress: string;
  /** `LOG_LEVEL`: a pino level, default `info`. */
  logLevel: LogLevel;
  /**
   * `WEBHOOK_ALLOW_PRIVATE`: `true` (default, for local use) or `false` (shared
   * deployments: refuse webhook URLs that resolve to loopback, private or link-local addresses).
   */
  webhookAllowPrivate: boolean;
  /** `WEBHOOK_BACKOFF_MS`: the first retry wait of a failed delivery, doubled for each later one; default 1000 (ms), 10 to 600000. */
  webhookBackoffMs: number;
  /**
   * `SECRETS_KEY`: the 32-byte AES-256-GCM key (64 hex digits, or base64) that encrypts webhook
   * signing secrets at rest; the same on every instance sharing a database. Unset: a key file
   * beside a SQLite file, a per-process key in memory, a key in the database on PostgreSQL
   * (src/store/secrets-key.ts).
   */
  secretsKey: Buffer | null;
  /** `REQUEST_LOG`: `on` (default) records every authenticated /v1 request in the request log; `off` records nothing. */
  requestLog: boolean;
  /** `REQUEST_LOG_LIMIT`: entries kept per reseller, the newest; default 1000, 1 to 100000. */
  requestLogLimit: number;
  /** `REQUEST_LOG_DAYS`: real days an entry is kept at most; default 7, 1 to 365. */
  requestLogDays: number;
  /**
   * `ADMIN_TOKEN`, as its SHA-256 digest (the token itself is not kept): the bearer token of
   * the admin API (`/admin/v1`). Null when unset: every `/admin` route then answers 404.
   */
  adminTokenSha256: Buffer | null;
  /** `ADMIN_SANDBOX_MIN_TTL_SECONDS`: the shortest time to live a sandbox may ask for; default 60, 1 to 604800 (tests set 1). */
  sandboxMinTtlSeconds: number;
  /** `ADMIN_SANDBOX_SWEEP_SECONDS`: how often this instance deletes expired sandboxes; default 60, 1 to 3600. */
  sandboxSweepSeconds: number;
  /**
   * `CORS_ORIGINS`: the origins (`scheme://host[:port]`) a browser app may call the API from,
   * or `['*']` for any; empty when unset (no CORS headers at all).
   */
  corsOrigins: string[];
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Thrown when an environment variable has a value the sandbox cannot run with. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    rule: string,
  ) {
    super(`${variable}: ${rule}`);
    this.name = 'ConfigError';
  }
}

// An RFC 6750 b64token: what fits after "Bearer " unquoted; ',' and ':' stay free for the list syntax.
const API_KEY = /^[A-Za-z0-9._~+/-]{8,256}=*$/;
// RFC 1123 host name, optionally with a port: what an LPA accepts as SM-DP+ address.
const HOST_NAME =
  /^(?=.{1,253}(:\d{1,5})?$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(:\d{1,5})?$/;

/**
 * Reads the configuration from an environment map (usually `process.env`).
 * @throws ConfigError naming the first variable whose value is invalid.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: parsePort(env.PORT),
    host: nonEmpty('HOST', env.HOST, '127.0.0.1'),
    database: parseDatabaseUrl(env.DATABASE_URL ?? 'sqlite:./data/sandbox.db'),
    redisUrl: parseRedisUrl(env.REDIS_URL),
    redisKeyPrefix: parseRedisKeyPrefix(env.REDIS_KEY_PREFIX),
    apiKeys: parseApiKeys(env.SANDBOX_API_KEYS),
    rateLimits: parseOnOff('RATE_LIMITS', env.RATE_LIMITS, true),
    sandboxFaults: parseOnOff('SANDBOX_FAULTS', env.SANDBOX_FAULTS, true),
    smdpAddress: parseSmdpAddress(env.SMDP_ADDRESS),
    logLevel: parseLogLevel(env.LOG_LEVEL),
    webhookAllowPrivate: parseOnOff('WEBHOOK_ALLOW_PRIVATE', env.WEBHOOK_ALLOW_PRIVATE, true),
    webhookBackoffMs: parseIntegerIn('WEBHOOK_BACKOFF_MS', env.WEBHOOK_BACKOFF_MS, 1000, 10, 600_000),
    requestLog: parseOnOff('REQUEST_LOG', env.REQUEST_LOG, true),
    requestLogLimit: parseIntegerIn('REQUEST_LOG_LIMIT', env.REQUEST_LOG_LIMIT, 1000, 1, 100_000),
    requestLogDays: parseIntegerIn('REQUEST_LOG_DAYS', env.REQUEST_LOG_DAYS, 7, 1, 365),
    adminTokenSha256: parseAdminToken(env.ADMIN_TOKEN),
    secretsKey: parseSecretsKey(env.SECRETS_KEY),
    sandboxMinTtlSeconds: parseIntegerIn(
      'ADMIN_SANDBOX_MIN_TTL_SECONDS',
      env.ADMIN_SANDBOX_MIN_TTL_SECONDS,
      60,
      1,
      604_800,
    ),
    sandboxSweepSeconds: parseIntegerIn('ADMIN_SANDBOX_SWEEP_SECONDS', env.ADMIN_SANDBOX_SWEEP_SECONDS, 60, 1, 3600),
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
  };
}

function parseSecretsKey(value: string | undefined): Buffer | null {
  if (blank(value)) return null;
  const v = value.trim();
  const key = /^[0-9a-f]{64}$/i.test(v)
    ? Buffer.from(v, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(v)
      ? Buffer.from(v, v.includes('-') || v.includes('_') ? 'base64url' : 'base64')
      : null;
  // The message never repeats the value: it is a secret.
  if (key?.length !== 32)
    throw new ConfigError(
      'SECRETS_KEY',
      'must be a 32-byte key: 64 hex digits, or 44 characters of base64 (e.g. `openssl rand -hex 32`)',
    );
  return key;
}

// The admin token: an RFC 6750 b64token (what fits after "Bearer "), long enough not to be guessed.
const ADMIN_TOKEN = /^[A-Za-z0-9._~+/-]{16,256}=*$/;

function parseAdminToken(value: string | undefined): Buffer | null {
  if (blank(value)) return null;
  const token = value.trim();
  // The message never repeats the value: it is a secret.
  if (!ADMIN_TOKEN.test(token))
    throw new ConfigError(
      'ADMIN_TOKEN',
      'must be 16-256 of [A-Za-z0-9._~+/-] (an RFC 6750 bearer token), then optional =',
    );
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * `CORS_ORIGINS="http://localhost:5173,https://app.example"`: each entry a serialized origin
 * (RFC 6454 section 6.2: http or https, host, optional port; no path, query or trailing
 * slash), as a browser sends it in `Origin`; or `*` alone for any origin.
 * @throws ConfigError naming CORS_ORIGINS and the entry that is not an origin.
 */
export function parseCorsOrigins(value: string | undefined): string[] {
  if (blank(value)) return [];
  const entries = value.split(',').map((entry) => entry.trim());
  if (entries.length === 1 && entries[0] === '*') return ['*'];
  for (const entry of entries) {
    let origin: string | null = null;
    try {
      const url = new URL(entry);
      if (url.protocol === 'http:' || url.protocol === 'https:') origin = url.origin;
    } catch {
      // Not a URL: refused below.
    }
    if (origin !== entry)
      throw new ConfigError(
        'CORS_ORIGINS',
        `"${entry}" is not an origin: give scheme://host[:port] with http or https, no path or trailing slash (e.g. http://localhost:5173), comma-separated, or * alone for any origin`,
      );
  }
  return entries;
}

function blank(value: string | undefined): value is undefined {
  return value === undefined || value.trim() === '';
}

function nonEmpty(name: string, value: string | undefined, fallback: string): string {
  return blank(value) ? fallback : value.trim();
}

function parsePort(value: string | undefined): number {
  if (blank(value)) return 3000;
  if (!/^\d{1,5}$/.test(value.trim()) || Number(value) > 65535) {
    throw new ConfigError('PORT', `must be an integer from 0 to 65535, got "${value}"`);
  }
  return Number(value);
}

/**
 * `sqlite:<path>` (relative to the working directory; `sqlite::memory:` for an in-memory
 * database) or `postgres://` / `postgresql://` URLs. A PostgreSQL URL may name the schema
 * to use with `?schema=<name>` (created at start if missing); every other parameter goes
 * to the pg driver as it is.
 */
export function parseDatabaseUrl(url: string): DatabaseConfig {
  const value = url.trim();
  if (value.startsWith('sqlite:')) {
    const filename = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (filename === '')
      throw new ConfigError('DATABASE_URL', 'sqlite: needs a file path, e.g. sqlite:./data/sandbox.db');
    return { kind: 'sqlite', url: value, filename };
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new ConfigError('DATABASE_URL', `is not a valid URL: "${value}"`);
    }
    const schema = parsed.searchParams.get('schema');
    if (schema !== null && !PG_SCHEMA.test(schema)) {
      throw new ConfigError(
        'DATABASE_URL',
        `schema= must be 1-63 of [a-z0-9_], not starting with a digit, got "${schema}"`,
      );
    }
    return { kind: 'postgres', url: value };
  }
  throw new ConfigError('DATABASE_URL', `must start with sqlite: or postgres://, got "${value}"`);
}

function parseRedisUrl(value: string | undefined): string | null {
  if (blank(value)) return null;
  if (!/^rediss?:\/\//.test(value.trim())) {
    throw new ConfigError('REDIS_URL', `must start with redis:// or rediss://, got "${value}"`);
  }
  return value.trim();
}

function parseRedisKeyPrefix(value: string | undefined): string {
  if (blank(value)) return 'esim-sandbox:rl:';
  const v = value.trim();
  if (!/^[\x21-\x7e]{1,128}$/.test(v))
    throw new ConfigError(
      'REDIS_KEY_PREFIX',
      `must be 1-128 printable ASCII characters without spaces, got "${value}"`,
    );
  return v;
}

/** `name:key,name2:key2`; a name may appear with several keys. */
export function parseApiKeys(value: string | undefined): ApiKeySeed[] {
  if (blank(value)) return [];
  const seen = new Set<string>();
  return value.split(',').map((entry, index) => {
    const item = entry.trim();
    const colon = item.indexOf(':');
    const reseller = colon < 0 ? '' : item.slice(0, colon);
    const key = colon < 0 ? '' : item.slice(colon + 1);
    const wrong = apiKeyEntryProblem(item, reseller, key);
    if (wrong) throw new ConfigError('SANDBOX_API_KEYS', `entry ${index + 1} ${wrong}`);
    if (seen.has(key))
      throw new ConfigError(
        'SANDBOX_API_KEYS',
        `entry ${index + 1} (reseller "${reseller}") repeats the key of an earlier entry: give each entry a key of its own`,
      );
    seen.add(key);
    return { reseller, key };
  });
}

/**
 * What is wrong with one `name:key` entry, as cause and fix, or null when it is right. The
 * message never shows the key (nor an entry without a colon, which may be a bare key): it
 * would land in a log. The name is shown once it is valid: names are not secret.
 */
function apiKeyEntryProblem(item: string, reseller: string, key: string): string | null {
  const format =
    'write each entry as name:key, the name 1-64 of [A-Za-z0-9._-], the key 8-256 of [A-Za-z0-9._~+/-] (an RFC 6750 bearer token), e.g. acme:acme-secret-key-1';
  if (item === '') return `is empty (two commas in a row, or a comma at the end): remove it, or ${format}`;
  if (!item.includes(':')) return `has no ":" between the reseller name and the key: ${format}`;
  if (reseller === '') return `has no reseller name before the ":": ${format}`;
  if (!RESELLER_NAME.test(reseller))
    return `has a reseller name that is ${reseller.length > 64 ? `${reseller.length} characters long` : 'not of [A-Za-z0-9._-]'}: ${format}`;
  const named = `(reseller "${reseller}")`;
  // The b64token's trailing "=" padding does not count towards the 8-256.
  const length = key.replace(/=+$/, '').length;
  if (length < 8)
    return `${named} has a key of ${length} character(s), too short: use a key of 8 to 256 characters, e.g. ${reseller}:${reseller}-secret-key-1`;
  if (length > 256) return `${named} has a key of ${length} characters, too long: use a key of 8 to 256 characters`;
  if (!API_KEY.test(key)) {
    const at = [...key].findIndex((char, i) => !/[A-Za-z0-9._~+/-]/.test(char) && !/^=+$/.test(key.slice(i)));
    return `${named} has a key with a character not allowed at position ${at + 1} (keys take [A-Za-z0-9._~+/-], "=" only at the end, as an RFC 6750 bearer token): choose a key of those characters`;
  }
  return null;
}

function parseOnOff(name: string, value: string | undefined, fallback: boolean): boolean {
  if (blank(value)) return fallback;
  const v = value.trim().toLowerCase();
  if (['on', 'true', '1', 'yes'].includes(v)) return true;
  if (['off', 'false', '0', 'no'].includes(v)) return false;
  throw new ConfigError(name, `must be on or off (or true/false, 1/0, yes/no), got "${value}"`);
}

function parseIntegerIn(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (blank(value)) return fallback;
  const v = value.trim();
  if (!/^\d{1,9}$/.test(v) || Number(v) < min || Number(v) > max)
    throw new ConfigError(name, `must be an integer from ${min} to ${max}, got "${value}"`);
  return Number(v);
}

function parseSmdpAddress(value: string | undefined): string {
  const v = nonEmpty('SMDP_ADDRESS', value, 'smdp.sandbox.example');
  // The address goes between '$' separators of the LPA activation code (SGP.22 4.1).
  if (!HOST_NAME.test(v)) throw new ConfigError('SMDP_ADDRESS', `must be a host name (RFC 1123), got "${value}"`);
  return v;
}

function parseLogLevel(value: string | undefined): LogLevel {
  const v = nonEmpty('LOG_LEVEL', value, 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(v)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  }
  return v as LogLevel;
}
