/**
 * The Sandbox-Fault header's grammar (issue 6): every value it accepts, each kind of value it
 * refuses with the rule and the allowed values, the delay bounds, and the truncation rule.
 */
import { describe, expect, it } from 'vitest';
import { parseSandboxFault, truncatedLength, type SandboxFaultParse } from '../../src/domain/faults.js';

const ALLOWED = 'drop-response, truncate-response, delay=<ms> (0 to 30000), error=<500|502|503|504>';

/** The one message of a refusal (fails the test if the value was accepted). */
function refusal(parsed: SandboxFaultParse): string {
  if (parsed.ok) throw new Error(`accepted: ${JSON.stringify(parsed.fault)}`);
  expect(parsed.violations).toHaveLength(1);
  expect(parsed.violations[0]!.path).toBe('header.sandbox-fault');
  return parsed.violations[0]!.message;
}

describe('parseSandboxFault accepts', () => {
  it.each([
    ['drop-response', { kind: 'drop-response' }],
    ['truncate-response', { kind: 'truncate-response' }],
    ['delay=0', { kind: 'delay', ms: 0 }],
    ['delay=1', { kind: 'delay', ms: 1 }],
    ['delay=300', { kind: 'delay', ms: 300 }],
    ['delay=30000', { kind: 'delay', ms: 30000 }],
    ['delay=007', { kind: 'delay', ms: 7 }],
    ['error=500', { kind: 'error', status: 500 }],
    ['error=502', { kind: 'error', status: 502 }],
    ['error=503', { kind: 'error', status: 503 }],
    ['error=504', { kind: 'error', status: 504 }],
  ])('%s', (value, fault) => {
    expect(parseSandboxFault(value)).toEqual({ ok: true, fault });
  });

  it.each([' drop-response', 'drop-response ', '\tdelay=25 \t', '  error=503  '])(
    '%j: surrounding whitespace is ignored',
    (value) => {
      expect(parseSandboxFault(value).ok).toBe(true);
    },
  );

  it('a list of exactly one value', () => {
    expect(parseSandboxFault(['delay=5'])).toEqual({ ok: true, fault: { kind: 'delay', ms: 5 } });
  });
});

describe('parseSandboxFault refuses', () => {
  it.each([
    'Drop-Response',
    'DROP-RESPONSE',
    'drop',
    'truncate',
    'drop-responses',
    'timeout',
    'delay',
    'error',
    'sleep=100',
    'delay =5',
    'fault=drop-response',
  ])('%j: an unknown value, naming the allowed ones', (value) => {
    expect(refusal(parseSandboxFault(value))).toBe(
      `must be one of ${ALLOWED} (names in lower case), got ${JSON.stringify(value)}`,
    );
  });

  it('delay=30001: one past the limit', () => {
    expect(refusal(parseSandboxFault('delay=30001'))).toBe(
      `delay=<ms> is at most 30000 ms, got "delay=30001"; one of ${ALLOWED}`,
    );
  });

  it('a delay far past the limit', () => {
    expect(refusal(parseSandboxFault('delay=99999999999999999999999'))).toBe(
      `delay=<ms> is at most 30000 ms, got "delay=99999999999999999999999"; one of ${ALLOWED}`,
    );
  });

  it.each([
    'delay=',
    'delay=-1',
    'delay=+5',
    'delay=1.5',
    'delay=1e3',
    'delay=0x10',
    'delay= 5',
    'delay=5 ms',
    'delay=5ms',
    'delay=٣',
  ])('%j: a delay that is not plain decimal digits', (value) => {
    expect(refusal(parseSandboxFault(value))).toBe(
      `delay=<ms> takes a whole number of milliseconds written with decimal digits only, from 0 to 30000, got ${JSON.stringify(value.trim())}; one of ${ALLOWED}`,
    );
  });

  it.each(['error=501', 'error=400', 'error=5xx', 'error=', 'error= 503', 'error=0503'])(
    '%j: a status that cannot be injected',
    (value) => {
      expect(refusal(parseSandboxFault(value))).toBe(
        `error=<status> takes one of 500, 502, 503, 504, got ${JSON.stringify(value.trim())}; one of ${ALLOWED}`,
      );
    },
  );

  it.each(['', ' ', '\t'])('%j: an empty value', (value) => {
    expect(refusal(parseSandboxFault(value))).toBe(`must not be empty; one of ${ALLOWED}`);
  });

  it('the header given twice (Node joins the values with ", ")', () => {
    expect(refusal(parseSandboxFault('drop-response, delay=5'))).toBe(
      `must be given once, with one fault per request, got "drop-response, delay=5"; one of ${ALLOWED}`,
    );
    expect(refusal(parseSandboxFault('delay=5,delay=5'))).toMatch(/^must be given once, with one fault per request/);
  });

  it('a list of two values, or none', () => {
    expect(refusal(parseSandboxFault(['drop-response', 'delay=5']))).toBe(
      `must be given once, with one fault per request (got 2 values); one of ${ALLOWED}`,
    );
    expect(refusal(parseSandboxFault([]))).toBe(
      `must be given once, with one fault per request (got 0 values); one of ${ALLOWED}`,
    );
  });

  it('quotes at most 64 characters of a long value', () => {
    const message = refusal(parseSandboxFault('x'.repeat(1000)));
    expect(message).toBe(`must be one of ${ALLOWED} (names in lower case), got "${'x'.repeat(64)}..."`);
  });
});

describe('truncatedLength', () => {
  it.each([
    [0, 0],
    [1, 0],
    [2, 1],
    [55, 54],
    [100, 99],
    [101, 100],
    [200, 100],
    [201, 100],
    [202, 101],
    [1334, 667],
    [1335, 667],
  ])('of %i bytes keeps %i: half, at least 100, never all', (total, kept) => {
    expect(truncatedLength(total)).toBe(kept);
  });

  it("keeps an order's transactionId: 55 bytes of any order response of 56 bytes or more", () => {
    const prefix = '{"transactionId":"a1b2c3d4-e5f6-4890-abcd-ef1234567890"';
    expect(prefix).toHaveLength(55);
    for (const total of [56, 99, 100, 150, 300, 634_000]) expect(truncatedLength(total)).toBeGreaterThanOrEqual(55);
  });
});
