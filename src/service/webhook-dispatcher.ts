/**
 * The webhook dispatcher: a loop in every sandbox process that takes due
 * deliveries from the outbox, signs and sends them, and records each attempt. A failed
 * attempt (no 2xx) is retried with exponential backoff and jitter, up to 8 attempts; the
 * events of one eSIM go out in order, a later one waiting while an earlier one is retried.
 * Several processes on one database share the work through leases (src/store/webhooks.ts).
 */
import { MAX_ATTEMPTS, isDelivered, retryDelayMs, signatureHeader } from '../domain/webhook-delivery.js';
import { sendWebhook } from '../outbound/webhook-sender.js';
import type { DueDelivery, WebhookRepository } from '../store/webhooks.js';

/** The logger the dispatcher writes to (pino's, from Fastify). */
interface Log {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/** Settings and collaborators of the dispatcher. */
export interface DispatcherOptions {
  webhooks: WebhookRepository;
  /** `WEBHOOK_ALLOW_PRIVATE`. */
  allowPrivate: boolean;
  /** `WEBHOOK_BACKOFF_MS`: the wait after the first failed attempt (ms), doubled after each later one. */
  backoffMs: number;
  log: Log;
  /** How often the outbox is looked at when nothing wakes the dispatcher (ms); default 500. */
  pollMs?: number;
  /** Time limit of one attempt (ms); default 10,000. */
  timeoutMs?: number;
  /** Deliveries sent at once; default 8. */
  concurrency?: number;
  /** Told the outcome of every attempt made (for the metrics). */
  onAttempt?: (outcome: 'delivered' | 'retrying' | 'failed') => void;
}

/** The `User-Agent` of every delivery. */
export const WEBHOOK_USER_AGENT = 'esim-commerce-sandbox-webhooks/1';

/** Sends the outbox. `start` it once; `kick` after queuing a delivery; `stop` before closing the database. */
export class WebhookDispatcher {
  private timer: NodeJS.Timeout | null = null;
  // Wake-ups at the due time of each retry this process scheduled.
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private readonly abort = new AbortController();
  private readonly pollMs: number;
  private readonly timeoutMs: number;
  private readonly concurrency: number;

  constructor(private readonly options: DispatcherOptions) {
    this.pollMs = options.pollMs ?? 500;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.concurrency = options.concurrency ?? 8;
  }

  /** Starts polling the outbox (deliveries left by an earlier run, or by other instances, included). */
  start(): void {
    this.stopped = false;
    this.kick();
  }

  /** Looks at the outbox now (a delivery was just queued) instead of at the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.drain()
      .catch((error: unknown) =>
        this.options.log.warn({ err: error }, 'webhook dispatcher: could not read the outbox; trying again'),
      )
      .finally(() => {
        this.running = null;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.kick();
        } else {
          this.timer = setTimeout(() => this.kick(), this.pollMs);
          this.timer.unref();
        }
      });
  }

  /**
   * Stops: no new attempt starts, attempts in flight are cut short and recorded as failed
   * attempts due again at once (the receiver may have the event: at-least-once delivery).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    this.abort.abort();
    await this.running;
  }

  private wakeAfter(ms: number): void {
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.kick();
    }, ms);
    timer.unref();
    this.retryTimers.add(timer);
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const now = new Date();
      const due = await this.options.webhooks.due(now, this.concurrency);
      if (due.length === 0) return;
      const leaseUntil = new Date(now.getTime() + this.timeoutMs + 5_000);
      const leased: DueDelivery[] = [];
      for (const delivery of due)
        if (await this.options.webhooks.lease(delivery.id, now, leaseUntil)) leased.push(delivery);
      if (leased.length === 0) return;
      await Promise.all(leased.map((delivery) => this.attempt(delivery)));
    }
  }

  private async attempt(delivery: DueDelivery): Promise<void> {
    const { webhooks } = this.options;
    const endpoint = await webhooks.endpoint(delivery.resellerId);
    if (!endpoint) {
      await webhooks.cancel(delivery.id);
      return;
    }
    const attempt = delivery.attemptCount + 1;
    const startedAt = new Date();
    const result = await sendWebhook({
      url: endpoint.url,
      body: delivery.payload,
      headers: {
        'user-agent': WEBHOOK_USER_AGENT,
        'sandbox-signature': signatureHeader(endpoint.secret, Math.floor(startedAt.getTime() / 1000), delivery.payload),
        'sandbox-event-id': delivery.eventId,
        'sandbox-event-type': delivery.eventType,
        'sandbox-delivery-id': delivery.id,
        'sandbox-delivery-attempt': String(attempt),
      },
      timeoutMs: this.timeoutMs,
      allowPrivate: this.options.allowPrivate,
      signal: this.abort.signal,
    });
    const delivered = isDelivered(result.statusCode);
    const state = delivered ? 'succeeded' : attempt >= MAX_ATTEMPTS ? 'failed' : 'pending';
    // Cut short by a shutdown: due again at once, at the next start (here or on another instance).
    const waitMs = result.aborted ? 0 : retryDelayMs(attempt, this.options.backoffMs, Math.random());
    const nextAttemptAt = state === 'pending' ? new Date(Date.now() + waitMs) : null;
    const error = result.aborted
      ? 'the sandbox shut down during the attempt (the receiver may have the event); due again at the next start'
      : result.error;
    await webhooks.recordAttempt(delivery.id, delivery.resellerId, {
      attempt: {
        attempt,
        url: endpoint.url,
        startedAt: startedAt.toISOString(),
        durationMs: result.durationMs,
        statusCode: result.statusCode,
        error,
      },
      state,
      nextAttemptAt,
    });
    // Wake at the retry's due time rather than at the next poll after it (up to pollMs late).
    if (state === 'pending' && !result.aborted) this.wakeAfter(waitMs);
    this.options.onAttempt?.(state === 'succeeded' ? 'delivered' : state === 'pending' ? 'retrying' : 'failed');
    if (state === 'failed') {
      this.options.log.warn(
        { deliveryId: delivery.id, eventType: delivery.eventType, resellerId: delivery.resellerId },
        `webhook delivery failed after ${MAX_ATTEMPTS} attempts`,
      );
    }
  }
}
