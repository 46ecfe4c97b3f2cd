import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  decideOnStoredKey,
  idempotencyKeyProblem,
  isIdempotencyKey,
  requestFingerprint,
  type StoredIdempotencyKey,
} from '../../src/domain/idempotency.js';

describe('Idempotency-Key syntax (issue 6: 1 to 255 printable ASCII characters)', () => {
  it.each([
    ['one character', 'k'],
    ['255 characters', 'k'.repeat(255)],
    ['a UUID', '5f0c8a9e-2b7d-4c1e-9a63-0d4e8b7f1a25'],
    ['space and tilde, the ends of printable ASCII', ' ~'],
    ['punctuation', '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}'],
  ])('accepts %s', (_name, key) => {
    expect(idempotencyKeyProblem(key)).toBeNull();
    expect(isIdempotencyKey(key)).toBe(true);
  });

  it.each([
    ['empty', '', 'must not be empty: 1 to 255 printable ASCII characters (0x20-0x7E)'],
    ['256 characters', 'k'.repeat(256), 'must be at most 255 characters, got 256'],
    ['é', 'abé', 'must be printable ASCII (0x20-0x7E): character 3 is 0xE9'],
    ['DEL (0x7F)', 'a\u007f', 'must be printable ASCII (0x20-0x7E): character 2 is 0x7F'],
    ['a control character (0x1F)', '\u001fa', 'must be printable ASCII (0x20-0x7E): character 1 is 0x1F'],
    ['an emoji', 'a\u{1F600}', 'must be printable ASCII (0x20-0x7E): character 2 is U+1F600'],
  ])('refuses %s, naming the rule', (_name, key, message) => {
    expect(idempotencyKeyProblem(key)).toBe(message);
    expect(isIdempotencyKey(key)).toBe(false);
  });
});

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson([2, 1])).toBe('[2,1]');
  });

  it('writes a value the same whatever the key order it was parsed from', () => {
    expect(canonicalJson(JSON.parse('{ "quantity": 1, "planCode": "KD0001" }'))).toBe(
      canonicalJson(JSON.parse('{"planCode":"KD0001","quantity":1.0}')),
    );
  });
});

describe('requestFingerprint', () => {
  const base = {
    method: 'POST',
    route: '/v1/esims/:iccid/emergency-control',
    params: { iccid: '8900000000000000011' },
    body: { action: 'suspend' },
  };

  it('is the SHA-256 (hex) of the canonical method, route, parameters and body', () => {
    expect(requestFingerprint(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(requestFingerprint({ ...base, body: JSON.parse('{ "action" : "suspend" }') })).toBe(
      requestFingerprint(base),
    );
  });

  it.each([
    ['another eSIM', { params: { iccid: '8900000000000000029' } }],
    ['another body', { body: { action: 'release' } }],
    ['another operation', { route: '/v1/orders', params: {} }],
    ['another method', { method: 'PUT' }],
    ['no body', { body: undefined }],
  ])('differs for %s', (_name, change) => {
    expect(requestFingerprint({ ...base, ...change })).not.toBe(requestFingerprint(base));
  });
});

describe('decideOnStoredKey', () => {
  const claimedAt = '2026-03-01T00:00:00.000Z';
  const expiresAt = '2026-03-02T00:00:00.000Z';
  const stored = (state: StoredIdempotencyKey['state'], fingerprint = 'f1'): StoredIdempotencyKey => ({
    fingerprint,
    state,
    claimedAt,
    expiresAt,
  });
  const at = (iso: string) => new Date(iso);

  it('replays a done key with the same fingerprint until it expires, exclusive', () => {
    expect(decideOnStoredKey(stored('done'), 'f1', at('2026-03-01T23:59:59.999Z'))).toBe('replay');
    expect(decideOnStoredKey(stored('done'), 'f1', at(expiresAt))).toBe('take-over-expired');
  });

  it('lets an expired key go whatever its fingerprint or state', () => {
    expect(decideOnStoredKey(stored('done', 'other'), 'f1', at(expiresAt))).toBe('take-over-expired');
    expect(decideOnStoredKey(stored('in_flight', 'other'), 'f1', at('2026-03-02T00:00:00.001Z'))).toBe(
      'take-over-expired',
    );
  });

  it('answers reused for another fingerprint, before looking at the state', () => {
    expect(decideOnStoredKey(stored('done', 'other'), 'f1', at('2026-03-01T01:00:00.000Z'))).toBe('reused');
    expect(decideOnStoredKey(stored('in_flight', 'other'), 'f1', at('2026-03-01T00:00:01.000Z'))).toBe('reused');
  });

  it('answers in use within the 60 s lease of an in-flight claim, and takes it over from 60 s on', () => {
    expect(decideOnStoredKey(stored('in_flight'), 'f1', at('2026-03-01T00:00:59.999Z'))).toBe('in-use');
    expect(decideOnStoredKey(stored('in_flight'), 'f1', at('2026-03-01T00:01:00.000Z'))).toBe('take-over-abandoned');
  });
});
