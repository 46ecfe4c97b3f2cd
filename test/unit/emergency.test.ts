import { describe, expect, it } from 'vitest';
import { applyEmergencyAction, lpaActivationCode, newEsim, withUsage, type EsimState } from '../../src/domain/esim.js';
import { DomainError } from '../../src/domain/errors.js';
import { toCatalogPlan } from '../../src/domain/plans.js';
import { makePlan } from './fixtures.js';
import { FRESH_ESIM_FIELDS } from '../helpers/new-esim.js';

const entry = toCatalogPlan(makePlan('AS0001', 'ASIA', ['JP', 'TW', 'KR', 'CN']), 'JP');
const orderedAt = new Date('2026-01-01T10:30:00.123Z');
const fresh = newEsim(entry, {
  iccid: '8900000000000000011',
  matchingId: 'K2F9Q-7ZJ4M-XW3TD-8HN6C',
  smdpAddress: 'smdp.sandbox.example',
  orderedAt,
});
const later = new Date('2026-02-03T04:05:06.789Z');

describe('lpaActivationCode', () => {
  it('is LPA:1$<SM-DP+ address>$<matching ID>', () => {
    expect(lpaActivationCode('smdp.example.com', 'CODE123')).toBe('LPA:1$smdp.example.com$CODE123');
    expect(lpaActivationCode('smdp.sandbox.example:8443', 'AAAAA-BBBBB-CCCCC-DDDDD')).toBe(
      'LPA:1$smdp.sandbox.example:8443$AAAAA-BBBBB-CCCCC-DDDDD',
    );
  });
});

describe('newEsim', () => {
  it('is a fresh ACTIVE eSIM with the plan countries, a QR code, a deadline and nothing else', () => {
    expect(fresh).toEqual({
      iccid: '8900000000000000011',
      homeCountry: 'JP',
      roamingCountries: ['CN', 'KR', 'TW'],
      ...FRESH_ESIM_FIELDS,
      qrCode: 'LPA:1$smdp.sandbox.example$K2F9Q-7ZJ4M-XW3TD-8HN6C',
      smdpAddress: 'smdp.sandbox.example',
      activationCode: 'K2F9Q-7ZJ4M-XW3TD-8HN6C',
      // 2026-01-01 + 180 days of 24 h
      activationDeadline: '2026-06-30T10:30:00.123Z',
      lastUpdatedAt: '2026-01-01T10:30:00.123Z',
    });
  });

  it("uses the plan's unusedTerminationDays for the deadline", () => {
    const shortPlan = toCatalogPlan(makePlan('KD0009', 'KDDI', ['JP'], { unusedTerminationDays: 30 }), 'JP');
    const esim = newEsim(shortPlan, {
      iccid: '8900000000000000029',
      matchingId: 'X',
      smdpAddress: 'a.b',
      orderedAt: new Date('2024-02-15T00:00:00.000Z'),
    });
    expect(esim.activationDeadline).toBe('2024-03-16T00:00:00.000Z');
    expect(esim.roamingCountries).toEqual([]);
  });

  it("does not share the plan's roaming array", () => {
    expect(fresh.roamingCountries).not.toBe(entry.roamingCountries);
  });
});

describe('applyEmergencyAction', () => {
  const suspended: EsimState = {
    ...fresh,
    contractStatus: 'SUSPENDED',
    isServiceRestricted: true,
    lastUpdatedAt: '2026-01-15T00:00:00.000Z',
  };

  it('suspends an ACTIVE eSIM: SUSPENDED, restricted, lastUpdatedAt = now', () => {
    const outcome = applyEmergencyAction(fresh, 'suspend', later);
    expect(outcome.changed).toBe(true);
    expect(outcome.esim).toEqual({
      ...fresh,
      contractStatus: 'SUSPENDED',
      isServiceRestricted: true,
      lastUpdatedAt: '2026-02-03T04:05:06.789Z',
    });
    expect(fresh.contractStatus).toBe('ACTIVE');
  });

  it('changes nothing when suspending a SUSPENDED eSIM (same object, lastUpdatedAt kept)', () => {
    const outcome = applyEmergencyAction(suspended, 'suspend', later);
    expect(outcome.changed).toBe(false);
    expect(outcome.esim).toBe(suspended);
    expect(outcome.esim.lastUpdatedAt).toBe('2026-01-15T00:00:00.000Z');
  });

  it('releases a SUSPENDED eSIM: ACTIVE, not restricted, lastUpdatedAt = now', () => {
    const outcome = applyEmergencyAction(suspended, 'release', later);
    expect(outcome.changed).toBe(true);
    expect(outcome.esim).toEqual({
      ...suspended,
      contractStatus: 'ACTIVE',
      isServiceRestricted: false,
      lastUpdatedAt: '2026-02-03T04:05:06.789Z',
    });
  });

  it('changes nothing when releasing an ACTIVE eSIM', () => {
    const outcome = applyEmergencyAction(fresh, 'release', later);
    expect(outcome.changed).toBe(false);
    expect(outcome.esim).toBe(fresh);
  });

  it.each(['suspend', 'release'] as const)('refuses %s on a TERMINATED eSIM with ESIM_TERMINATED', (action) => {
    const terminated: EsimState = { ...fresh, contractStatus: 'TERMINATED', terminatedOn: '2026-01-20' };
    let caught: unknown;
    try {
      applyEmergencyAction(terminated, action, later);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).code).toBe('ESIM_TERMINATED');
    expect((caught as DomainError).message).toContain('8900000000000000011');
    expect((caught as DomainError).message).toContain(action);
  });
});

describe('withUsage', () => {
  it('replaces the list, sets the total and moves lastUpdatedAt', () => {
    const list = [{ day: '2025-12-10', usage: '102400' }];
    const after = withUsage(fresh, list, 102400, later);
    expect(after.dataUsageDailyList).toEqual(list);
    expect(after.totalDataUsage).toBe(102400);
    expect(after.lastUpdatedAt).toBe('2026-02-03T04:05:06.789Z');
    expect(fresh.totalDataUsage).toBe(0);
  });
});
