/** What a history entry records of a change: the tracked fields that differ, compared deeply, and `at`. */
import { describe, expect, it } from 'vitest';
import { TRACKED_FIELDS } from '../../src/contract/history.js';
import type { EsimState } from '../../src/domain/esim.js';
import { fieldChanges, historyDraft } from '../../src/domain/esim-history.js';
import { freshEsim } from './fixtures.js';

const AT = '2026-11-29T12:00:00.000Z';
const fresh = freshEsim(AT, { roamingCountries: ['KR', 'TW'] });

describe('TRACKED_FIELDS', () => {
  it('is every field of the status response but iccid, qrCode and lastUpdatedAt, in its order', () => {
    const statusFields = Object.keys(fresh).filter((f) => !['iccid', 'qrCode', 'lastUpdatedAt'].includes(f));
    expect([...TRACKED_FIELDS].sort()).toEqual(statusFields.sort());
    expect(TRACKED_FIELDS[0]).toBe('homeCountry');
    expect(TRACKED_FIELDS.at(-1)).toBe('totalDataUsage');
  });
});

describe('fieldChanges', () => {
  it('lists for a creation every field that is not null, from null, in the response order', () => {
    expect(fieldChanges(null, fresh)).toEqual([
      { field: 'homeCountry', from: null, to: 'JP' },
      { field: 'roamingCountries', from: null, to: ['KR', 'TW'] },
      { field: 'contractStatus', from: null, to: 'ACTIVE' },
      { field: 'profileProvisionStatus', from: null, to: 'AVAILABLE' },
      { field: 'profileInstallStatus', from: null, to: 'READY' },
      { field: 'isServiceRestricted', from: null, to: false },
      { field: 'smdpAddress', from: null, to: 'smdp.sandbox.example' },
      { field: 'activationCode', from: null, to: 'X' },
      { field: 'activationDeadline', from: null, to: '2027-05-28T12:00:00.000Z' },
      { field: 'dataUsageDailyList', from: null, to: [] },
      { field: 'totalDataUsage', from: null, to: 0 },
    ]);
  });

  it('lists nothing for an equal eSIM (a copy, lists compared by value), nor for lastUpdatedAt or qrCode alone', () => {
    const copy = { ...fresh, roamingCountries: ['KR', 'TW'], dataUsageDailyList: [] } as EsimState;
    expect(fieldChanges(fresh, copy)).toEqual([]);
    expect(fieldChanges(fresh, { ...fresh, lastUpdatedAt: '2026-12-01T00:00:00.000Z', qrCode: 'other' })).toEqual([]);
  });

  it('lists a changed list whole, before and after', () => {
    const before = { ...fresh, dataUsageDailyList: [{ day: '2026-11-28', usage: '5' }], totalDataUsage: 5 };
    const after = { ...fresh, dataUsageDailyList: [{ day: '2026-11-28', usage: '6' }], totalDataUsage: 6 };
    expect(fieldChanges(before, after)).toEqual([
      {
        field: 'dataUsageDailyList',
        from: [{ day: '2026-11-28', usage: '5' }],
        to: [{ day: '2026-11-28', usage: '6' }],
      },
      { field: 'totalDataUsage', from: 5, to: 6 },
    ]);
  });
});

describe('historyDraft', () => {
  it("takes `at` from the eSIM's lastUpdatedAt after the change, and keeps the cause", () => {
    const later = '2026-11-30T00:00:00.000Z';
    const after = {
      ...fresh,
      contractStatus: 'SUSPENDED',
      isServiceRestricted: true,
      lastUpdatedAt: later,
    } as EsimState;
    expect(historyDraft(fresh, after, { type: 'emergency_control', action: 'suspend' })).toEqual({
      at: later,
      cause: { type: 'emergency_control', action: 'suspend' },
      changes: [
        { field: 'contractStatus', from: 'ACTIVE', to: 'SUSPENDED' },
        { field: 'isServiceRestricted', from: false, to: true },
      ],
    });
  });
});
