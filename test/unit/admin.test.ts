import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RESELLER_NAME, sandboxTtlSeconds } from '../../src/domain/admin.js';
import { adminTokenMatches } from '../../src/http/plugins/admin-auth.js';

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

describe('sandboxTtlSeconds', () => {
  it('defaults to 60 minutes and takes minutes or seconds', () => {
    expect(sandboxTtlSeconds({}, 60)).toEqual({ seconds: 3600 });
    expect(sandboxTtlSeconds({ ttlMinutes: 1 }, 60)).toEqual({ seconds: 60 });
    expect(sandboxTtlSeconds({ ttlMinutes: 10080 }, 60)).toEqual({ seconds: 604_800 });
    expect(sandboxTtlSeconds({ ttlSeconds: 2 }, 1)).toEqual({ seconds: 2 });
  });

  it('refuses below the server minimum, above 7 days, and both fields at once, naming the field', () => {
    expect(sandboxTtlSeconds({ ttlSeconds: 59 }, 60).violations).toEqual([
      {
        path: 'body.ttlSeconds',
        message: "must give a time to live of at least 60 seconds (this server's ADMIN_SANDBOX_MIN_TTL_SECONDS)",
      },
    ]);
    expect(sandboxTtlSeconds({ ttlMinutes: 1 }, 120).violations?.[0]?.path).toBe('body.ttlMinutes');
    expect(sandboxTtlSeconds({ ttlSeconds: 604_801 }, 1).violations?.[0]?.message).toBe(
      'must give a time to live of at most 7 days (10080 minutes)',
    );
    expect(sandboxTtlSeconds({ ttlMinutes: 5, ttlSeconds: 300 }, 1).violations?.[0]).toEqual({
      path: 'body.ttlSeconds',
      message: 'must not be given with body.ttlMinutes: give one of them',
    });
  });
});

describe('RESELLER_NAME', () => {
  it.each(['a', 'acme', 'ci-job_4711.x', 'A'.repeat(64)])('accepts %s', (name) => {
    expect(RESELLER_NAME.test(name)).toBe(true);
  });
  it.each(['', 'a b', 'a/b', 'é', 'A'.repeat(65)])('refuses %j', (name) => {
    expect(RESELLER_NAME.test(name)).toBe(false);
  });
});

describe('adminTokenMatches', () => {
  const expected = digest('admin-token-0123456789');
  it('matches the token only: not a prefix, not an extension, not one character off, not another case', () => {
    expect(adminTokenMatches('admin-token-0123456789', expected)).toBe(true);
    for (const other of [
      'admin-token-012345678',
      'admin-token-01234567890',
      'admin-token-0123456788',
      'ADMIN-token-0123456789',
      '',
    ])
      expect(adminTokenMatches(other, expected), other).toBe(false);
  });
  it('compares SHA-256 digests, so tokens of any length are compared in one equal-length comparison', () => {
    // timingSafeEqual throws on buffers of different lengths; hashing first means it never sees one.
    expect(() => adminTokenMatches('x'.repeat(10_000), expected)).not.toThrow();
    expect(adminTokenMatches('x'.repeat(10_000), expected)).toBe(false);
    expect(adminTokenMatches('admin-token-0123456789', Buffer.alloc(16))).toBe(false);
  });
});
