/**
 * The use cases of the v1 API: each one reads through a repository, decides with the
 * domain rules and writes back. No HTTP here: routes call these and map errors to
 * problem details.
 *
 * Time is per reseller: every use case reads the reseller's sandbox clock offset from the
 * database in the same request (no cache, so processes sharing a database agree at once)
 * and works at `now` = real time + offset. An eSIM is always seen as the clock has it: a
 * read that finds a clock rule due (expiry, activation deadline) stores the change before
 * answering, and every write applies due rules first, so a derived state, once shown,
 * stays (it does not flicker back when the clock is reset).
 */
import { randomUUID } from 'node:crypto';
import type { DataUsageDailyItem, EmergencyAction } from '../contract/esims.js';
import type { ClockAdvanceRequest, LifecycleEventRequest, SandboxClock } from '../contract/lifecycle.js';
import type { DataPlan } from '../contract/plans.js';
import { advancedOffset, clockMoveViolations, clockNow, dueChange, moveSeconds, settle } from '../domain/clock.js';
import { isoInstant, jstDate } from '../domain/dates.js';
import { applyEmergencyAction, newEsim, withUsage, type EsimState } from '../domain/esim.js';
import { assertNoViolations, DomainError } from '../domain/errors.js';
import { sandboxIccid } from '../domain/iccid.js';
import { applyLifecycleEvent, eventInstant, lifecycleRequestViolations } from '../domain/lifecycle.js';
import { newMatchingId } from '../domain/matching-id.js';
import { searchPlans, type CatalogPlan, type Page, type PlanFilter } from '../domain/plans.js';
import { checkUsageList } from '../domain/usage.js';
import { esimChangeEvents, orderCompletedEvent } from '../domain/webhook-events.js';
import type { ClockRepository } from '../store/clocks.js';
import type { Announcement, EsimRepository, StoredEsim } from '../store/esims.js';
import type { WebhookRepository } from '../store/webhooks.js';

/** What a change of an eSIM gets besides the eSIM: the reseller's now and the eSIM's plan code. */
interface ChangeContext {
  now: Date;
  planCode: string;
}

/** What the use cases need from outside: storage, the catalogue, settings and a clock. */
export interface SandboxDeps {
  esims: EsimRepository;
  clocks: ClockRepository;
  /** The catalogue, read once at start (it changes only with a new data file and restart). */
  catalog: readonly CatalogPlan[];
  /** SM-DP+ address for new eSIMs (`SMDP_ADDRESS`). */
  smdpAddress: string;
  /** Real time, before any reseller's offset; tests may pass a fixed one. */
  now?: () => Date;
  /** The webhook endpoints, to know whether an advance must look for the clock's changes to announce. */
  webhooks?: WebhookRepository;
  /** Called after a write queued webhook deliveries (wakes the dispatcher). */
  onQueued?: () => void;
}

/** The v1 operations, for one reseller at a time (`resellerId`). */
export class SandboxService {
  private readonly byPlanCode: Map<string, CatalogPlan>;
  private readonly realNow: () => Date;

  constructor(private readonly deps: SandboxDeps) {
    this.byPlanCode = new Map(deps.catalog.map((entry) => [entry.plan.planCode, entry]));
    this.realNow = deps.now ?? (() => new Date());
  }

  /** One page of plans matching the filter, ordered by planCode. */
  listPlans(filter: PlanFilter, page: number, limit: number): Page<DataPlan> {
    return searchPlans(this.deps.catalog, filter, page, limit);
  }

  /**
   * Orders `quantity` (1-1000) eSIMs of a plan, all in one transaction.
   * @throws DomainError PLAN_NOT_FOUND when the plan code is not in the catalogue.
   */
  async placeOrder(
    resellerId: string,
    planCode: string,
    quantity: number,
  ): Promise<{ transactionId: string; esims: EsimState[] }> {
    const entry = this.byPlanCode.get(planCode);
    if (!entry)
      throw new DomainError(
        'PLAN_NOT_FOUND',
        `no data plan with planCode "${planCode}"; list plans with GET /v1/plans`,
      );
    const transactionId = randomUUID();
    const orderedAt = clockNow(this.realNow(), await this.deps.clocks.offsetSeconds(resellerId));
    const announce: Announcement<EsimState[]> = {
      events: (esims) => [
        orderCompletedEvent(
          { transactionId, planCode, quantity, iccids: esims.map((esim) => esim.iccid) },
          isoInstant(orderedAt),
        ),
      ],
      queuedAt: this.realNow(),
    };
    const esims = await this.deps.esims.placeOrder(
      { transactionId, resellerId, planCode, createdAt: orderedAt },
      quantity,
      (sequences) =>
        sequences.map((sequence) =>
          newEsim(entry, {
            iccid: sandboxIccid(sequence),
            matchingId: newMatchingId(),
            smdpAddress: this.deps.smdpAddress,
            orderedAt,
          }),
        ),
      announce,
    );
    this.queued(announce);
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

  /**
   * The eSIM as the reseller's clock has it now. Usually one statement; when a clock rule
   * is due, its change is stored (in a transaction, re-checked there) before answering.
   * @throws DomainError ESIM_NOT_FOUND for an unknown or another reseller's ICCID.
   */
  async getEsim(resellerId: string, iccid: string): Promise<EsimState> {
    const stored = (await this.deps.esims.find(resellerId, iccid)) ?? esimNotFound(iccid);
    if (dueChange(stored.esim, clockNow(this.realNow(), stored.clockOffsetSeconds)) === null) return stored.esim;
    return this.change(resellerId, iccid, (esim) => esim);
  }

  /**
   * Suspends or releases an eSIM; repeating the action in force changes nothing.
   * @throws DomainError ESIM_NOT_FOUND, or ESIM_TERMINATED for a TERMINATED eSIM.
   */
  async emergencyControl(resellerId: string, iccid: string, action: EmergencyAction): Promise<EsimState> {
    return this.change(resellerId, iccid, (esim, { now }) => applyEmergencyAction(esim, action, now).esim);
  }

  /**
   * Replaces an eSIM's daily usage list; `totalDataUsage` becomes its sum (KB).
   * @throws RuleViolation for invalid or repeated days and usage over 2^53 - 1 KB;
   *   DomainError ESIM_NOT_FOUND.
   */
  async setDataUsage(resellerId: string, iccid: string, items: readonly DataUsageDailyItem[]): Promise<EsimState> {
    const { list, totalKb } = checkUsageList(items);
    return this.change(resellerId, iccid, (esim, { now }) => withUsage(esim, list, totalKb, now));
  }

  /**
   * Applies a lifecycle event (download, install, install_failed, connect, terminate) at
   * `occurredAt`, by default the reseller's now.
   * @throws RuleViolation for a missing or refused imei, or an occurredAt outside
   *   [lastUpdatedAt, now]; DomainError ESIM_NOT_FOUND, ESIM_TERMINATED, or
   *   INVALID_TRANSITION when the event does not apply in the eSIM's state.
   */
  async lifecycleEvent(resellerId: string, iccid: string, request: LifecycleEventRequest): Promise<EsimState> {
    assertNoViolations(lifecycleRequestViolations(request));
    return this.change(resellerId, iccid, (esim, { now, planCode }) =>
      applyLifecycleEvent(esim, request.event, {
        at: eventInstant(esim, request.occurredAt, now),
        imei: request.imei ?? null,
        validityDays: this.planOf(planCode).plan.validityDays,
      }),
    );
  }

  /** The reseller's sandbox clock: `{now, offsetSeconds}`. */
  async clock(resellerId: string): Promise<SandboxClock> {
    return this.clockAt(await this.deps.clocks.offsetSeconds(resellerId));
  }

  /**
   * Moves the reseller's clock forward by `days` and `hours` (at least 1 hour, at most 400
   * days a call, at most 100 years ahead of real time in all). Other resellers' clocks do
   * not move.
   * @throws RuleViolation when the move breaks one of those limits.
   */
  async advanceClock(resellerId: string, move: ClockAdvanceRequest): Promise<SandboxClock> {
    assertNoViolations(clockMoveViolations(move));
    const seconds = moveSeconds(move);
    const offset = await this.deps.clocks.update(resellerId, this.realNow(), (current) =>
      advancedOffset(current, seconds),
    );
    await this.applyClockRules(resellerId, clockNow(this.realNow(), offset));
    return this.clockAt(offset);
  }

  /**
   * Stores (and so announces) what the clocks owe the eSIMs of every reseller whose webhook
   * endpoint takes esim.status_changed: the changes real time made due since (an activation
   * deadline passing with no one reading the eSIM). The server runs it every minute.
   */
  async applyDueClockRules(): Promise<void> {
    for (const resellerId of (await this.deps.webhooks?.subscribers('esim.status_changed')) ?? []) {
      await this.applyClockRules(
        resellerId,
        clockNow(this.realNow(), await this.deps.clocks.offsetSeconds(resellerId)),
      );
    }
  }

  /**
   * Stores what the clock now owes the reseller's eSIMs, so that their
   * esim.status_changed events go out when the clock moves rather than at the next read.
   * Only for a reseller whose webhook endpoint takes those events: for everyone else the
   * next read or change stores them (the state shown is the same either way).
   */
  private async applyClockRules(resellerId: string, now: Date): Promise<void> {
    const endpoint = await this.deps.webhooks?.endpoint(resellerId);
    if (!endpoint?.events.includes('esim.status_changed')) return;
    for (const iccid of await this.deps.esims.clockCandidates(resellerId, now, jstDate(now))) {
      await this.change(resellerId, iccid, (esim) => esim).catch((error: unknown) => {
        if (!(error instanceof DomainError && error.code === 'ESIM_NOT_FOUND')) throw error;
      });
    }
  }

  /**
   * Puts the reseller's clock back to real time. Changes the clock already made to eSIMs
   * (stored when they were seen) stay.
   */
  async resetClock(resellerId: string): Promise<SandboxClock> {
    await this.deps.clocks.reset(resellerId);
    return this.clockAt(0);
  }

  private clockAt(offsetSeconds: number): SandboxClock {
    return { now: isoInstant(clockNow(this.realNow(), offsetSeconds)), offsetSeconds };
  }

  /**
   * Changes one eSIM in one transaction, at the reseller's now read in that transaction:
   * the clock's due rules first, then `change`, then the clock's rules again (a backdated
   * first connect may already be past its expiry). When `change` refuses, the clock's
   * change is still stored and the refusal passes through.
   * @throws DomainError ESIM_NOT_FOUND, or what `change` throws.
   */
  private async change(
    resellerId: string,
    iccid: string,
    change: (esim: EsimState, context: ChangeContext) => EsimState,
  ): Promise<EsimState> {
    let refusal: { error: unknown } | undefined;
    const announce: Announcement<{ before: EsimState; after: EsimState; transactionId: string }> = {
      events: ({ before, after, transactionId }) => esimChangeEvents(before, after, after.lastUpdatedAt, transactionId),
      queuedAt: this.realNow(),
    };
    const esim = await this.deps.esims.modify(
      resellerId,
      iccid,
      (stored: StoredEsim) => {
        const now = clockNow(this.realNow(), stored.clockOffsetSeconds);
        const settled = settle(stored.esim, now);
        try {
          return settle(change(settled, { now, planCode: stored.planCode }), now);
        } catch (error) {
          refusal = { error };
          return settled;
        }
      },
      announce,
    );
    this.queued(announce);
    if (refusal) throw refusal.error;
    return esim ?? esimNotFound(iccid);
  }

  private queued(announce: { queued?: number }): void {
    if (announce.queued) this.deps.onQueued?.();
  }

  /** @throws Error when an eSIM's plan left the catalogue (a data-file change): an internal fault. */
  private planOf(planCode: string): CatalogPlan {
    const entry = this.byPlanCode.get(planCode);
    if (!entry) throw new Error(`plan ${planCode} of a stored eSIM is not in the catalogue`);
    return entry;
  }
}

function esimNotFound(iccid: string): never {
  throw new DomainError('ESIM_NOT_FOUND', `no eSIM with ICCID ${iccid}`);
}
