/**
 * The eSIM and the rules that create and change it (DESIGN.md section 3, Orders, eSIM
 * status, Emergency control; the seed reference's field descriptions).
 * Pure: the caller passes the time, the ICCID and the matching ID in.
 */
import type { DataUsageDailyItem, EmergencyAction, Esim } from '../contract/esims.js';
import type { CatalogPlan } from './plans.js';
import { addDaysToInstant, isoInstant } from './dates.js';
import { DomainError } from './errors.js';

/** An eSIM as the contract shows it (the seed's status response). */
export type EsimState = Esim;

/** What `newEsim` needs besides the plan. */
export interface NewEsimInput {
  iccid: string;
  /** SGP.22 matching ID, also the activation code. */
  matchingId: string;
  /** SM-DP+ host name (`SMDP_ADDRESS`). */
  smdpAddress: string;
  /** The order's time. */
  orderedAt: Date;
}

/**
 * The LPA activation code a QR code carries: `LPA:1$<SM-DP+ address>$<matching ID>`
 * (GSMA SGP.22 section 4.1, format version 1).
 */
export function lpaActivationCode(smdpAddress: string, matchingId: string): string {
  return `LPA:1$${smdpAddress}$${matchingId}`;
}

/**
 * A freshly ordered eSIM: ACTIVE, profile AVAILABLE, install READY, not restricted,
 * countries from the plan, `activationDeadline` = order time + the plan's
 * `unusedTerminationDays` (days of 24 h, UTC), every device, usage and date field empty.
 */
export function newEsim(entry: CatalogPlan, input: NewEsimInput): EsimState {
  const orderedAt = isoInstant(input.orderedAt);
  return {
    iccid: input.iccid,
    homeCountry: entry.homeCountry,
    roamingCountries: [...entry.roamingCountries],
    contractStatus: 'ACTIVE',
    profileProvisionStatus: 'AVAILABLE',
    profileInstallStatus: 'READY',
    isServiceRestricted: false,
    qrCode: lpaActivationCode(input.smdpAddress, input.matchingId),
    smdpAddress: input.smdpAddress,
    activationCode: input.matchingId,
    activationDeadline: isoInstant(addDaysToInstant(input.orderedAt, entry.plan.unusedTerminationDays)),
    downloadedAt: null,
    activatedOn: null,
    terminatedOn: null,
    expiresOn: null,
    initialInsertionDevice: null,
    initialInsertionAt: null,
    initialConnectionDevice: null,
    dataUsageDailyList: [],
    totalDataUsage: 0,
    lastUpdatedAt: orderedAt,
  };
}

/** The outcome of emergency control: the eSIM after it, and whether anything changed. */
export interface EmergencyOutcome {
  esim: EsimState;
  changed: boolean;
}

/**
 * Applies emergency control (the seed reference: contract status '03' Suspended or '01'
 * Active). `suspend`: ACTIVE -> SUSPENDED with `isServiceRestricted` true; `release`:
 * SUSPENDED -> ACTIVE with false. An action already in force changes nothing, not even
 * `lastUpdatedAt`, so that clients can retry safely.
 * @throws DomainError ESIM_TERMINATED for any action on a TERMINATED eSIM.
 */
export function applyEmergencyAction(esim: EsimState, action: EmergencyAction, now: Date): EmergencyOutcome {
  if (esim.contractStatus === 'TERMINATED') {
    throw new DomainError(
      'ESIM_TERMINATED',
      `eSIM ${esim.iccid} is TERMINATED; emergency control (${action}) applies only to ACTIVE or SUSPENDED eSIMs`,
    );
  }
  const target = action === 'suspend' ? 'SUSPENDED' : 'ACTIVE';
  if (esim.contractStatus === target) return { esim, changed: false };
  return {
    esim: {
      ...esim,
      contractStatus: target,
      isServiceRestricted: action === 'suspend',
      lastUpdatedAt: isoInstant(now),
    },
    changed: true,
  };
}

/**
 * Replaces the daily usage list (already checked and sorted by `checkUsageList`) and sets
 * `totalDataUsage` (KB) to its sum; `lastUpdatedAt` moves. The same list again is no
 * change: the same eSIM comes back and `lastUpdatedAt` stays, as with emergency control.
 */
export function withUsage(esim: EsimState, list: DataUsageDailyItem[], totalKb: number, now: Date): EsimState {
  const same =
    list.length === esim.dataUsageDailyList.length &&
    list.every(
      (item, i) => item.day === esim.dataUsageDailyList[i]?.day && item.usage === esim.dataUsageDailyList[i]?.usage,
    );
  if (same) return esim;
  return { ...esim, dataUsageDailyList: list, totalDataUsage: totalKb, lastUpdatedAt: isoInstant(now) };
}
