/**
 * Small hand-made data plans and eSIMs for the pure domain tests (not the shipped catalogue).
 */
import type { DataPlan } from '../../src/contract/plans.js';
import type { EsimState } from '../../src/domain/esim.js';
import { FRESH_ESIM_FIELDS } from '../helpers/new-esim.js';

/** A freshly ordered eSIM (ICCID 8900000000000000011, JP, activation code X), last updated at `at`. */
export function freshEsim(at: string, overrides: Partial<EsimState> = {}): EsimState {
  return {
    ...FRESH_ESIM_FIELDS,
    iccid: '8900000000000000011',
    homeCountry: 'JP',
    roamingCountries: [],
    qrCode: 'LPA:1$smdp.sandbox.example$X',
    smdpAddress: 'smdp.sandbox.example',
    activationCode: 'X',
    activationDeadline: '2027-05-28T12:00:00.000Z',
    lastUpdatedAt: at,
    ...overrides,
  } as unknown as EsimState;
}

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
