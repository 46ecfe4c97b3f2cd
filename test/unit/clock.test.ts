import { describe, expect, it } from 'vitest';
import {
  advancedOffset,
  CLOCK_RULES,
  clockMoveViolations,
  clockNow,
  dueChange,
  dueRule,
  MAX_OFFSET_SECONDS,
  moveSeconds,
  settle,
} from '../../src/domain/clock.js';
import { RuleViolation } from '../../src/domain/errors.js';
import { newEsim, type EsimState } from '../../src/domain/esim.js';
import { toCatalogPlan } from '../../src/domain/plans.js';
import { makePlan } from './fixtures.js';

const IMEI = '490154203237518';
const at = (iso: string) => new Date(iso);

// Ordered at 2026-01-01T15:30:00.000Z (00:30 on 2 January in Japan), 180 days to install:
// the deadline is 2026-06-30T15:30:00.000Z, which is already 1 July (00:30) in Japan.
const ready: EsimState = newEsim(toCatalogPlan(makePlan('KD0001', 'KDDI', ['JP']), 'JP'), {
  iccid: '8900000000000000011',
  matchingId: 'K2F9Q-7ZJ4M-XW3TD-8HN6C',
  smdpAddress: 'smdp.sandbox.example',
  orderedAt: at('2026-01-01T15:30:00.000Z'),
});
const DEADLINE = '2026-06-30T15:30:00.000Z';
const downloaded: EsimState = {
  ...ready,
  profileProvisionStatus: 'DOWNLOADED',
  profileInstallStatus: 'DOWNLOADED',
  downloadedAt: '2026-01-02T00:00:00.000Z',
  lastUpdatedAt: '2026-01-02T00:00:00.000Z',
};
const failed: EsimState = {
  ...ready,
  profileProvisionStatus: 'ERROR',
  profileInstallStatus: 'CONFIRMATION_FAILED',
  lastUpdatedAt: '2026-01-02T00:00:00.000Z',
};
const installed: EsimState = {
  ...downloaded,
  profileInstallStatus: 'INSTALLED',
  initialInsertionDevice: IMEI,
  initialInsertionAt: '2026-03-01T10:00:00.000Z',
  lastUpdatedAt: '2026-03-01T10:00:00.000Z',
};
// First connection at 2026-03-01T16:30:00.000Z = 01:30 on 2 March in Japan; 7 days: 2 to 8 March.
const activated: EsimState = {
  ...installed,
  initialConnectionDevice: IMEI,
  activatedOn: '2026-03-02',
  expiresOn: '2026-03-08',
  lastUpdatedAt: '2026-03-01T16:30:00.000Z',
};

describe('clockNow', () => {
  it('is real time plus the offset in seconds', () => {
    expect(clockNow(at('2026-03-01T00:00:00.000Z'), 0).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(clockNow(at('2026-03-01T00:00:00.123Z'), 8 * 86400).toISOString()).toBe('2026-03-09T00:00:00.123Z');
    expect(clockNow(at('2026-03-01T00:00:00.000Z'), 3600).toISOString()).toBe('2026-03-01T01:00:00.000Z');
  });
});

describe('moveSeconds', () => {
  it('adds days of 86400 s and hours of 3600 s', () => {
    expect(moveSeconds({ days: 8 })).toBe(691_200);
    expect(moveSeconds({ hours: 5 })).toBe(18_000);
    expect(moveSeconds({ days: 1, hours: 12 })).toBe(129_600);
    expect(moveSeconds({})).toBe(0);
  });
});

describe('clockMoveViolations: forward only, at most 400 days a call', () => {
  it.each([
    [{ hours: 1 }],
    [{ days: 1 }],
    [{ days: 400 }],
    [{ hours: 9600 }],
    [{ days: 399, hours: 24 }],
    [{ days: 0, hours: 1 }],
  ])('accepts %j', (body) => {
    expect(clockMoveViolations(body)).toEqual([]);
  });

  it.each([[{}], [{ days: 0 }], [{ hours: 0 }], [{ days: 0, hours: 0 }]])(
    'refuses %j: the clock must move forward',
    (body) => {
      expect(clockMoveViolations(body)).toEqual([
        { path: 'body', message: 'must move the clock forward: give days or hours (or both), at least 1 hour in all' },
      ]);
    },
  );

  it.each([
    [{ days: 400, hours: 1 }, 9601],
    [{ hours: 9601 }, 9601],
    [{ days: 399, hours: 25 }, 9601],
    [{ days: 401 }, 9624],
  ])('refuses %j: more than 400 days in all', (body, hours) => {
    expect(clockMoveViolations(body)).toEqual([
      { path: 'body', message: `must move the clock at most 400 days (9600 hours) a call, got ${hours} hours` },
    ]);
  });

  it('leaves wrong types, negative and fractional numbers and non-objects to the schema', () => {
    expect(clockMoveViolations({ days: -1 })).toEqual([]);
    expect(clockMoveViolations({ days: 1.5 })).toEqual([]);
    expect(clockMoveViolations({ hours: '2' })).toEqual([]);
    expect(clockMoveViolations([])).toEqual([]);
    expect(clockMoveViolations(null)).toEqual([]);
  });
});

describe('advancedOffset: at most 100 years ahead of real time', () => {
  it('adds the move to the offset', () => {
    expect(advancedOffset(0, 691_200)).toBe(691_200);
    expect(advancedOffset(3600, 3600)).toBe(7200);
  });

  it('reaches exactly 36525 days and refuses one second more', () => {
    expect(MAX_OFFSET_SECONDS).toBe(36_525 * 86_400);
    expect(advancedOffset(MAX_OFFSET_SECONDS - 3600, 3600)).toBe(MAX_OFFSET_SECONDS);
    expect(() => advancedOffset(MAX_OFFSET_SECONDS - 3600, 3601)).toThrow(RuleViolation);
    const error = (() => {
      try {
        advancedOffset(MAX_OFFSET_SECONDS, 86_400);
      } catch (caught) {
        return caught as RuleViolation;
      }
      throw new Error('expected a RuleViolation');
    })();
    expect(error.violations).toEqual([
      {
        path: 'body',
        message:
          'must not put the sandbox clock more than 36525 days (100 years) ahead of real time; it is 3155760000 seconds ahead now: reset it first',
      },
    ]);
  });
});

describe('expiry: the day after expiresOn in Japan time', () => {
  it('is not due on the last instant of expiresOn in Japan (14:59:59.999 UTC the same UTC date)', () => {
    expect(dueChange(activated, at('2026-03-08T14:59:59.999Z'))).toBeNull();
    expect(dueChange(activated, at('2026-03-08T00:00:00.000Z'))).toBeNull();
  });

  const expired = {
    contractStatus: 'TERMINATED',
    terminatedOn: '2026-03-09',
    lastUpdatedAt: '2026-03-08T15:00:00.000Z',
  };

  it('terminates at 00:00 JST of the next day (15:00 UTC, still 8 March in UTC): terminatedOn 9 March, lastUpdatedAt that instant', () => {
    expect(dueChange(activated, at('2026-03-08T15:00:00.000Z'))).toEqual({ ...activated, ...expired });
  });

  it('carries the instant the rule took effect, however late it is noticed', () => {
    expect(dueChange(activated, at('2027-01-01T00:00:00.000Z'))).toEqual({ ...activated, ...expired });
  });

  it('crosses a month and a leap day in Japan time', () => {
    const feb = { ...activated, activatedOn: '2024-02-23', expiresOn: '2024-02-29' };
    expect(dueChange(feb, at('2024-02-29T14:59:59.999Z'))).toBeNull();
    expect(dueChange(feb, at('2024-02-29T15:00:00.000Z'))).toMatchObject({
      terminatedOn: '2024-03-01',
      lastUpdatedAt: '2024-02-29T15:00:00.000Z',
    });
  });

  it('also ends a SUSPENDED eSIM, which stays restricted', () => {
    const suspended = { ...activated, contractStatus: 'SUSPENDED' as const, isServiceRestricted: true };
    expect(dueChange(suspended, at('2026-03-08T15:00:00.000Z'))).toEqual({ ...suspended, ...expired });
  });
});

describe('activation deadline: never installed', () => {
  it.each([
    ['READY', ready],
    ['DOWNLOADED', downloaded],
    ['CONFIRMATION_FAILED', failed],
  ] as const)(
    '%s: not due one millisecond before the deadline; at the deadline instant TERMINATED, profile CANCELED, terminatedOn the Japan date',
    (_state, esim) => {
      expect(dueChange(esim, at('2026-06-30T15:29:59.999Z'))).toBeNull();
      expect(dueChange(esim, at(DEADLINE))).toEqual({
        ...esim,
        contractStatus: 'TERMINATED',
        profileProvisionStatus: 'CANCELED',
        // 15:30 UTC on 30 June is 00:30 on 1 July in Japan.
        terminatedOn: '2026-07-01',
        lastUpdatedAt: DEADLINE,
      });
    },
  );

  it('terminatedOn is the UTC date when the deadline falls before 15:00 UTC', () => {
    const early = { ...ready, activationDeadline: '2026-06-30T14:59:59.999Z' };
    expect(dueChange(early, at('2026-07-15T00:00:00.000Z'))).toMatchObject({
      terminatedOn: '2026-06-30',
      lastUpdatedAt: '2026-06-30T14:59:59.999Z',
    });
  });

  it('does not apply to an installed or activated eSIM, however late', () => {
    expect(dueChange(installed, at('2030-01-01T00:00:00.000Z'))).toBeNull();
    expect(dueChange({ ...activated, expiresOn: '2040-01-01' }, at('2030-01-01T00:00:00.000Z'))).toBeNull();
  });

  it('does nothing without a deadline', () => {
    expect(dueChange({ ...ready, activationDeadline: null }, at('2100-01-01T00:00:00.000Z'))).toBeNull();
  });
});

describe('dueChange and settle', () => {
  it('leave a TERMINATED eSIM alone', () => {
    const terminated = { ...ready, contractStatus: 'TERMINATED' as const, terminatedOn: '2026-01-05' };
    expect(dueChange(terminated, at('2100-01-01T00:00:00.000Z'))).toBeNull();
    expect(settle(terminated, at('2100-01-01T00:00:00.000Z'))).toBe(terminated);
  });

  it('settle returns the same object when nothing is due, the change when it is', () => {
    expect(settle(activated, at('2026-03-05T00:00:00.000Z'))).toBe(activated);
    expect(settle(activated, at('2026-03-09T00:00:00.000Z'))).toMatchObject({
      contractStatus: 'TERMINATED',
      terminatedOn: '2026-03-09',
    });
  });

  it('lists the two rules with the states they apply in', () => {
    expect(CLOCK_RULES.map((rule) => [rule.id, rule.name, rule.from])).toEqual([
      ['expiry', 'the day after expiresOn (Japan time)', ['ACTIVATED']],
      [
        'activation_deadline',
        'activationDeadline passed, never installed',
        ['READY', 'DOWNLOADED', 'CONFIRMATION_FAILED'],
      ],
    ]);
  });

  it('dueRule names the rule due (as a history entry does) with the eSIM after it, or null', () => {
    expect(dueRule(activated, at('2026-03-09T00:00:00.000Z'))).toEqual({
      rule: 'expiry',
      esim: dueChange(activated, at('2026-03-09T00:00:00.000Z')),
    });
    expect(dueRule(ready, at(DEADLINE))).toEqual({ rule: 'activation_deadline', esim: dueChange(ready, at(DEADLINE)) });
    expect(dueRule(ready, at('2026-06-30T15:29:59.999Z'))).toBeNull();
  });
});
