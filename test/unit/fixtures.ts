/**
 * Small hand-made data plans for the pure domain tests (not the shipped catalogue).
 */
import type { DataPlan } from '../../src/contract/plans.js';

/** A complete, valid DataPlan; `coverage` lists the covered country codes. */
export function makePlan(
  planCode: string,
  providerCode: string,
  coverage: string[],
  overrides: Partial<DataPlan> = {},
): DataPlan {
  return {
    planCode,
    planName: `${planCode} test plan`,
    planType: 'FIXED',
    providerCode,
    coverages: coverage.map((code) => ({ code, networks: [{ name: `${code} Net`, types: ['4G'] }] })),
    ipCountry: [coverage[0] ?? 'JP'],
    dataCap: 1,
    dataUnit: 'GB',
    dataCapPer: 'PLAN',
    maxSpeed: 10000,
    reducedSpeed: 0,
    tethering: true,
    validityDays: 7,
    validityInfo: 'Valid for 7 days from first use',
    activationInfo: 'Validity starts when the eSIM first connects to a network',
    unusedTerminationDays: 180,
    netPrice: '9.99',
    suggestedRetailPrice: '12.99',
    telephony: {
      dialingCode: '+81',
      voice: { inbound: false, outbound: false },
      sms: { inbound: false, outbound: false },
    },
    topUpSupported: false,
    eKYC: false,
    serviceRestrictions: 'None',
    ...overrides,
  };
}
