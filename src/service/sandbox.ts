/**
 * The use cases of the v1 API: each one reads through a repository, decides with the
 * domain rules and writes back. No HTTP here: routes call these and map errors to
 * problem details.
 */
import { randomUUID } from 'node:crypto';
import type { DataUsageDailyItem, EmergencyAction } from '../contract/esims.js';
import type { DataPlan } from '../contract/plans.js';
import { applyEmergencyAction, newEsim, withUsage, type EsimState } from '../domain/esim.js';
import { DomainError } from '../domain/errors.js';
import { sandboxIccid } from '../domain/iccid.js';
import { newMatchingId } from '../domain/matching-id.js';
import { searchPlans, type CatalogPlan, type Page, type PlanFilter } from '../domain/plans.js';
import { checkUsageList } from '../domain/usage.js';
import type { EsimRepository } from '../store/esims.js';

/** What the use cases need from outside: storage, the catalogue, settings and a clock. */
export interface SandboxDeps {
  esims: EsimRepository;
  /** The catalogue, read once at start (it changes only with a new data file and restart). */
  catalog: readonly CatalogPlan[];
  /** SM-DP+ address for new eSIMs (`SMDP_ADDRESS`). */
  smdpAddress: string;
  /** The current time; tests may pass a fixed one. */
  now?: () => Date;
}

/** The v1 operations, for one reseller at a time (`resellerId`). */
export class SandboxService {
  private readonly byPlanCode: Map<string, CatalogPlan>;
  private readonly now: () => Date;

  constructor(private readonly deps: SandboxDeps) {
    this.byPlanCode = new Map(deps.catalog.map((entry) => [entry.plan.planCode, entry]));
    this.now = deps.now ?? (() => new Date());
  }

  /** One page of plans matching the filter, ordered by planCode. */
  listPlans(filter: PlanFilter, page: number, limit: number): Page<DataPlan> {
    return searchPlans(this.deps.catalog, filter, page, limit);
  }

  /**
   * Orders `quantity` (1-1000) eSIMs of a plan, all in one transaction.
   * @throws DomainError PLAN_NOT_FOUND when the plan code is not in the catalogue.
   */
  async placeOrder(resellerId: string, planCode: string, quantity: number): Promise<{ transactionId: string; esims: EsimState[] }> {
    const entry = this.byPlanCode.get(planCode);
    if (!entry) throw new DomainError('PLAN_NOT_FOUND', `no data plan with planCode "${planCode}"; list plans with GET /v1/plans`);
    const transactionId = randomUUID();
    const orderedAt = this.now();
    const esims = await this.deps.esims.placeOrder({ transactionId, resellerId, planCode, createdAt: orderedAt }, quantity, (sequences) =>
      sequences.map((sequence) =>
        newEsim(entry, { iccid: sandboxIccid(sequence), matchingId: newMatchingId(), smdpAddress: this.deps.smdpAddress, orderedAt }),
      ),
    );
    return { transactionId, esims };
  }

  /**
   * The ICCIDs of one of the reseller's orders (reconciliation by transactionId), in the
   * order's own order. A UUID is case-insensitive (RFC 9562): the stored form is lowercase.
   * @throws DomainError ORDER_NOT_FOUND for an unknown or another reseller's transactionId.
   */
  async orderIccids(resellerId: string, transactionId: string): Promise<{ transactionId: string; iccids: string[] }> {
    const canonical = transactionId.toLowerCase();
    const iccids = await this.deps.esims.findOrderIccids(resellerId, canonical);
    if (!iccids) throw new DomainError('ORDER_NOT_FOUND', `no order with transactionId ${transactionId}`);
    return { transactionId: canonical, iccids };
  }

  /** @throws DomainError ESIM_NOT_FOUND for an unknown or another reseller's ICCID. */
  async getEsim(resellerId: string, iccid: string): Promise<EsimState> {
    return (await this.deps.esims.find(resellerId, iccid)) ?? esimNotFound(iccid);
  }

  /**
   * Suspends or releases an eSIM; repeating the action in force changes nothing.
   * @throws DomainError ESIM_NOT_FOUND, or ESIM_TERMINATED for a TERMINATED eSIM.
   */
  async emergencyControl(resellerId: string, iccid: string, action: EmergencyAction): Promise<EsimState> {
    const now = this.now();
    const esim = await this.deps.esims.modify(resellerId, iccid, (current) => applyEmergencyAction(current, action, now).esim);
    return esim ?? esimNotFound(iccid);
  }

  /**
   * Replaces an eSIM's daily usage list; `totalDataUsage` becomes its sum (KB).
   * @throws RuleViolation for invalid or repeated days and usage over 2^53 - 1 KB;
   *   DomainError ESIM_NOT_FOUND.
   */
  async setDataUsage(resellerId: string, iccid: string, items: readonly DataUsageDailyItem[]): Promise<EsimState> {
    const { list, totalKb } = checkUsageList(items);
    const now = this.now();
    const esim = await this.deps.esims.modify(resellerId, iccid, (current) => withUsage(current, list, totalKb, now));
    return esim ?? esimNotFound(iccid);
  }
}

function esimNotFound(iccid: string): never {
  throw new DomainError('ESIM_NOT_FOUND', `no eSIM with ICCID ${iccid}`);
}
