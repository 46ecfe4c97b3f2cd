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
 *
 * Every change of an eSIM, its creation included, is recorded in its history in the
 * transaction of the change: when it took effect, what caused it, the request that made it
 * (the `Caller`), the fields it changed and the webhook deliveries it queued. A write that
 * changes nothing (suspending a suspended eSIM) records nothing.
 */
import { randomUUID } from 'node:crypto';
import type { DataUsageDailyItem, EmergencyAction } from '../contract/esims.js';
import type { EsimHistoryPage, HistoryCause } from '../contract/history.js';
import type { ClockAdvanceRequest, LifecycleEventRequest, SandboxClock } from '../contract/lifecycle.js';
import type { EsimFilter, EsimPage, OrderPage } from '../contract/listings.js';
import type { DataPlan } from '../contract/plans.js';
import { advancedOffset, clockMoveViolations, clockNow, dueRule, moveSeconds } from '../domain/clock.js';
import { isoInstant, jstDate } from '../domain/dates.js';
import { applyEmergencyAction, newEsim, withUsage, type EsimState } from '../domain/esim.js';
import { historyDraft } from '../domain/esim-history.js';
import { assertNoViolations, DomainError } from '../domain/errors.js';
import { sandboxIccid } from '../domain/iccid.js';
import { applyLifecycleEvent, eventInstant, lifecycleRequestViolations } from '../domain/lifecycle.js';
import { newMatchingId } from '../domain/matching-id.js';
import { searchPlans, type CatalogPlan, type Page, type PlanFilter } from '../domain/plans.js';
import { checkUsageList } from '../domain/usage.js';
import { esimChangeEvents, orderCompletedEvent } from '../domain/webhook-events.js';
import type { ClockRepository } from '../store/clocks.js';
import { HISTORY_KEYSET } from '../store/esim-history.js';
import { ESIM_KEYSET, ORDER_KEYSET, type EsimChange, type EsimRepository, type StoredEsim } from '../store/esims.js';
import type { PageRequest } from '../store/keyset.js';
import type { WebhookRepository } from '../store/webhooks.js';

/**
 * Who a use case works for: the reseller the API key belongs to, and the request asking
 * (Fastify's request.id, the X-Request-Id every response carries), which the changes it
 * makes record in the eSIM's history and the orders listing. `requestId` is null for work
 * no request asked for (real time's clock sweep).
 */
export interface Caller {
  resellerId: string;
  requestId: string | null;
}

/** A change a use case asks of an eSIM: what causes it and what it does (the same object back when nothing changes). */
interface Mutation {
  cause: HistoryCause;
  apply: (esim: EsimState, context: ChangeContext) => EsimState;
}

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
   * Orders `quantity` (1-1000) eSIMs of a plan, all in one transaction, with each eSIM's
   * creation in its history (cause `order`) and the caller's request id on the order.
   * @throws DomainError PLAN_NOT_FOUND when the plan code is not in the catalogue.
   */
  async placeOrder(
    caller: Caller,
    planCode: string,
    quantity: number,
  ): Promise<{ transactionId: string; esims: EsimState[] }> {
    const entry = this.byPlanCode.get(planCode);
    if (!entry)
      throw new DomainError(
        'PLAN_NOT_FOUND',
        `no data plan with planCode "${planCode}"; list plans with GET /v1/plans`,
      );
    const { resellerId } = caller;
    const transactionId = randomUUID();
    const orderedAt = clockNow(this.realNow(), await this.deps.clocks.offsetSeconds(resellerId));
    const written = await this.deps.esims.placeOrder(
      { transactionId, resellerId, planCode, createdAt: orderedAt },
      quantity,
      (sequences) => {
        const esims = sequences.map((sequence) =>
          newEsim(entry, {
            iccid: sandboxIccid(sequence),
            matchingId: newMatchingId(),
            smdpAddress: this.deps.smdpAddress,
            orderedAt,
          }),
        );
        return {
          esims: esims.map((esim) => ({ esim, history: historyDraft(null, esim, { type: 'order' }) })),
          events: [
            orderCompletedEvent(
              { transactionId, planCode, quantity, iccids: esims.map((esim) => esim.iccid) },
              isoInstant(orderedAt),
            ),
          ],
        };
      },
      this.writeContext(caller),
    );
    this.queued(written.queued);
    return { transactionId, esims: written.value };
  }

  /**
   * The ICCIDs of one of the reseller's orders (reconciliation by transactionId), in the
   * order's own order. A UUID is case-insensitive (RFC 9562): the stored form is lowercase.
   * @throws DomainError ORDER_NOT_FOUND for an unknown or another reseller's transactionId.
   */
  async orderIccids(caller: Caller, transactionId: string): Promise<{ transactionId: string; iccids: string[] }> {
    const canonical = transactionId.toLowerCase();
    const iccids = await this.deps.esims.findOrderIccids(caller.resellerId, canonical);
    if (!iccids) throw new DomainError('ORDER_NOT_FOUND', `no order with transactionId ${transactionId}`);
    return { transactionId: canonical, iccids };
  }

  /**
   * The eSIM as the reseller's clock has it now. Usually one statement; when a clock rule
   * is due, its change is stored (in a transaction, re-checked there, in the history with
   * the caller's request id) before answering.
   * @throws DomainError ESIM_NOT_FOUND for an unknown or another reseller's ICCID.
   */
  async getEsim(caller: Caller, iccid: string): Promise<EsimState> {
    const stored = (await this.deps.esims.find(caller.resellerId, iccid)) ?? esimNotFound(iccid);
    return this.seen(caller, stored);
  }

  /**
   * Suspends or releases an eSIM; repeating the action in force changes nothing (and
   * records nothing).
   * @throws DomainError ESIM_NOT_FOUND, or ESIM_TERMINATED for a TERMINATED eSIM.
   */
  async emergencyControl(caller: Caller, iccid: string, action: EmergencyAction): Promise<EsimState> {
    return this.change(caller, iccid, {
      cause: { type: 'emergency_control', action },
      apply: (esim, { now }) => applyEmergencyAction(esim, action, now).esim,
    });
  }

  /**
   * Replaces an eSIM's daily usage list; `totalDataUsage` becomes its sum (KB). The same
   * list again changes nothing.
   * @throws RuleViolation for invalid or repeated days and usage over 2^53 - 1 KB;
   *   DomainError ESIM_NOT_FOUND.
   */
  async setDataUsage(caller: Caller, iccid: string, items: readonly DataUsageDailyItem[]): Promise<EsimState> {
    const { list, totalKb } = checkUsageList(items);
    return this.change(caller, iccid, {
      cause: { type: 'data_usage' },
      apply: (esim, { now }) => withUsage(esim, list, totalKb, now),
    });
  }

  /**
   * Applies a lifecycle event (download, install, install_failed, connect, terminate) at
   * `occurredAt`, by default the reseller's now.
   * @throws RuleViolation for a missing or refused imei, or an occurredAt outside
   *   [lastUpdatedAt, now]; DomainError ESIM_NOT_FOUND, ESIM_TERMINATED, or
   *   INVALID_TRANSITION when the event does not apply in the eSIM's state.
   */
  async lifecycleEvent(caller: Caller, iccid: string, request: LifecycleEventRequest): Promise<EsimState> {
    assertNoViolations(lifecycleRequestViolations(request));
    return this.change(caller, iccid, {
      cause: { type: 'lifecycle_event', event: request.event, ...(request.imei ? { imei: request.imei } : {}) },
      apply: (esim, { now, planCode }) =>
        applyLifecycleEvent(esim, request.event, {
          at: eventInstant(esim, request.occurredAt, now),
          imei: request.imei ?? null,
          validityDays: this.planOf(planCode).plan.validityDays,
        }),
    });
  }

  /** One page of the reseller's orders, newest first. @throws RuleViolation at query.cursor. */
  async listOrders(caller: Caller, page: PageRequest): Promise<OrderPage> {
    const position = ORDER_KEYSET.position({ owner: caller.resellerId }, page);
    return this.deps.esims.listOrders(caller.resellerId, position);
  }

  /**
   * One page of the reseller's eSIMs matching every filter, newest first, each as the
   * status read shows it (a clock rule due on one of them is stored, with the caller's
   * request id). With a contractStatus or profileProvisionStatus filter, the fields the
   * clock's rules change, the rules due on any of the reseller's eSIMs are stored first, so
   * that the filter sees the eSIMs as the clock has them; otherwise only the page's are.
   * @throws RuleViolation at query.cursor.
   */
  async listEsims(caller: Caller, filter: EsimFilter, page: PageRequest): Promise<EsimPage> {
    const canonical = { ...filter, transactionId: filter.transactionId?.toLowerCase() };
    const position = ESIM_KEYSET.position({ owner: caller.resellerId, filters: canonical }, page);
    if (filter.contractStatus !== undefined || filter.profileProvisionStatus !== undefined) {
      const now = clockNow(this.realNow(), await this.deps.clocks.offsetSeconds(caller.resellerId));
      await this.settleDue(caller, now);
    }
    const stored = await this.deps.esims.listEsims(caller.resellerId, canonical, position);
    const items: EsimState[] = [];
    for (const item of stored.items) items.push(await this.seen(caller, item));
    return { items, nextCursor: stored.nextCursor };
  }

  /**
   * One page of an eSIM's history, oldest first. The eSIM is read as the status read
   * reads it first (a clock rule due is stored, and so listed).
   * @throws RuleViolation at query.cursor; DomainError ESIM_NOT_FOUND for an unknown or
   *   another reseller's ICCID.
   */
  async esimHistory(caller: Caller, iccid: string, page: PageRequest): Promise<EsimHistoryPage> {
    const position = HISTORY_KEYSET.position({ owner: `${caller.resellerId}/${iccid}` }, page);
    await this.getEsim(caller, iccid);
    return { iccid, ...(await this.deps.esims.history(caller.resellerId, iccid, position)) };
  }

  /** The reseller's sandbox clock: `{now, offsetSeconds}`. */
  async clock(caller: Caller): Promise<SandboxClock> {
    return this.clockAt(await this.deps.clocks.offsetSeconds(caller.resellerId));
  }

  /**
   * Moves the reseller's clock forward by `days` and `hours` (at least 1 hour, at most 400
   * days a call, at most 100 years ahead of real time in all). Other resellers' clocks do
   * not move.
   * @throws RuleViolation when the move breaks one of those limits.
   */
  async advanceClock(caller: Caller, move: ClockAdvanceRequest): Promise<SandboxClock> {
    assertNoViolations(clockMoveViolations(move));
    const seconds = moveSeconds(move);
    const offset = await this.deps.clocks.update(caller.resellerId, this.realNow(), (current) =>
      advancedOffset(current, seconds),
    );
    await this.applyClockRules(caller, clockNow(this.realNow(), offset));
    return this.clockAt(offset);
  }

  /**
   * Stores (and so announces) what the clocks owe the eSIMs of every reseller whose webhook
   * endpoint takes esim.status_changed: the changes real time made due since (an activation
   * deadline passing with no one reading the eSIM). Their history entries carry no request
   * id. The server runs it every minute.
   */
  async applyDueClockRules(): Promise<void> {
    for (const resellerId of (await this.deps.webhooks?.subscribers('esim.status_changed')) ?? []) {
      await this.applyClockRules(
        { resellerId, requestId: null },
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
  private async applyClockRules(caller: Caller, now: Date): Promise<void> {
    const endpoint = await this.deps.webhooks?.endpoint(caller.resellerId);
    if (!endpoint?.events.includes('esim.status_changed')) return;
    await this.settleDue(caller, now);
  }

  /** Stores the clock rules due at `now` on any of the reseller's eSIMs. */
  private async settleDue(caller: Caller, now: Date): Promise<void> {
    for (const iccid of await this.deps.esims.clockCandidates(caller.resellerId, now, jstDate(now))) {
      await this.change(caller, iccid).catch((error: unknown) => {
        if (!(error instanceof DomainError && error.code === 'ESIM_NOT_FOUND')) throw error;
      });
    }
  }

  /**
   * Puts the reseller's clock back to real time. Changes the clock already made to eSIMs
   * (stored when they were seen) stay.
   */
  async resetClock(caller: Caller): Promise<SandboxClock> {
    await this.deps.clocks.reset(caller.resellerId);
    return this.clockAt(0);
  }

  private clockAt(offsetSeconds: number): SandboxClock {
    return { now: isoInstant(clockNow(this.realNow(), offsetSeconds)), offsetSeconds };
  }

  /** The eSIM as the clock has it now: `stored` itself, or, when a rule is due, the eSIM after it (stored first). */
  private async seen(caller: Caller, stored: StoredEsim): Promise<EsimState> {
    if (dueRule(stored.esim, clockNow(this.realNow(), stored.clockOffsetSeconds)) === null) return stored.esim;
    return this.change(caller, stored.esim.iccid);
  }

  /**
   * Changes one eSIM in one transaction, at the reseller's now read in that transaction:
   * the clock's due rule first, then the mutation (if any), then the clock's rule again (a
   * backdated first connect may already be past its expiry), each a history entry of its
   * own with its own webhook events. When the mutation refuses, the clock's change is still
   * stored and the refusal passes through.
   * @throws DomainError ESIM_NOT_FOUND, or what the mutation throws.
   */
  private async change(caller: Caller, iccid: string, mutation?: Mutation): Promise<EsimState> {
    let refusal: { error: unknown } | undefined;
    const written = await this.deps.esims.modify(
      caller.resellerId,
      iccid,
      (stored: StoredEsim) => {
        const now = clockNow(this.realNow(), stored.clockOffsetSeconds);
        const changes: EsimChange[] = [];
        let current = stored.esim;
        const record = (next: EsimState, cause: HistoryCause) => {
          if (next === current) return;
          changes.push({
            esim: next,
            history: historyDraft(current, next, cause),
            events: esimChangeEvents(current, next, next.lastUpdatedAt, stored.transactionId),
          });
          current = next;
        };
        const settle = () => {
          const due = dueRule(current, now);
          if (due) record(due.esim, { type: 'clock_rule', rule: due.rule });
        };
        settle();
        if (mutation) {
          try {
            record(mutation.apply(current, { now, planCode: stored.planCode }), mutation.cause);
          } catch (error) {
            refusal = { error };
            return changes;
          }
          settle();
        }
        return changes;
      },
      this.writeContext(caller),
    );
    if (written) this.queued(written.queued);
    if (refusal) throw refusal.error;
    return written?.value ?? esimNotFound(iccid);
  }

  private writeContext(caller: Caller): { requestId: string | null; recordedAt: Date } {
    return { requestId: caller.requestId, recordedAt: this.realNow() };
  }

  private queued(count: number): void {
    if (count > 0) this.deps.onQueued?.();
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
