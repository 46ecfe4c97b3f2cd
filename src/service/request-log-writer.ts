/**
 * The request log's batch writer: entries are queued by the request-log plugin as responses
 * finish and written off the request path, one transaction per batch, every `flushMs` (150
 * ms by default) or as soon as `batchSize` entries wait, so that an entry is readable from
 * every instance within a second of its response. A write that fails never reaches the
 * request it records: its entries are counted as lost (`onLost`), and the failure is logged
 * once until a batch succeeds again, not once per batch.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { NewRequestLogEntry, RequestLogRepository, Retention } from '../store/request-log.js';

export interface RequestLogWriterOptions {
  repository: RequestLogRepository;
  retention: Retention;
  log: FastifyBaseLogger;
  /** Counts entries that could not be written (a failed batch, or a full queue). */
  onLost: (entries: number) => void;
  /** Real time, for the days bound (tests inject a clock). */
  now?: () => Date;
  /** Longest wait of a queued entry before its batch is written, in ms. */
  flushMs?: number;
  /** Entries that start a write at once. */
  batchSize?: number;
  /** Most entries waiting; past it new ones are counted as lost (a database that stopped answering). */
  maxQueued?: number;
}

/** Queues entries and writes them in batches; `close()` writes what is left. */
export class RequestLogWriter {
  private queue: NewRequestLogEntry[] = [];
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failing = false;
  private closed = false;
  /** Entries taken by add() and written or lost so far, for drain(). */
  private added = 0;
  private settled = 0;
  private readonly flushMs: number;
  private readonly batchSize: number;
  private readonly maxQueued: number;
  private readonly now: () => Date;

  constructor(private readonly options: RequestLogWriterOptions) {
    this.flushMs = options.flushMs ?? 150;
    this.batchSize = options.batchSize ?? 250;
    this.maxQueued = options.maxQueued ?? 20_000;
    this.now = options.now ?? (() => new Date());
  }

  /** Queues one entry (synchronous, never throws). */
  add(entry: NewRequestLogEntry): void {
    if (this.closed || this.queue.length >= this.maxQueued) {
      this.options.onLost(1);
      return;
    }
    this.queue.push(entry);
    this.added += 1;
    if (this.queue.length >= this.batchSize) this.flush();
    else if (this.timer === null) {
      this.timer = setTimeout(() => this.flush(), this.flushMs);
      this.timer.unref();
    }
  }

  /** Starts a write of what is queued, unless one is running (it starts the next when it ends). */
  private flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.writing !== null || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.writing = this.write(batch).finally(() => {
      this.writing = null;
      if (this.queue.length >= this.batchSize || (this.closed && this.queue.length > 0)) this.flush();
      else if (this.queue.length > 0 && this.timer === null) {
        this.timer = setTimeout(() => this.flush(), this.flushMs);
        this.timer.unref();
      }
    });
  }

  private async write(batch: NewRequestLogEntry[]): Promise<void> {
    try {
      await this.store(batch);
    } finally {
      this.settled += batch.length;
    }
  }

  /**
   * Resolves once every entry queued before the call is written (or counted as lost), however
   * many arrive meanwhile: a sandbox reset drains first, so that entries of requests made
   * before it are not written after it deletes the log.
   */
  async drain(): Promise<void> {
    const target = this.added;
    while (this.settled < target) {
      if (this.writing === null) this.flush();
      if (this.writing === null) return;
      await this.writing;
    }
  }

  private async store(batch: NewRequestLogEntry[]): Promise<void> {
    try {
      await this.options.repository.write(batch, this.options.retention, this.now());
      if (this.failing) {
        this.failing = false;
        this.options.log.info('request log: writing again');
      }
    } catch (error) {
      this.options.onLost(batch.length);
      if (!this.failing) {
        this.failing = true;
        this.options.log.error(
          { err: error },
          'request log: a batch could not be written; its entries are lost (counted in sandbox_request_log_write_failures_total; logged once until a write succeeds)',
        );
      }
    }
  }

  /** Writes everything queued and stops taking entries (graceful shutdown: before the store closes). */
  async close(): Promise<void> {
    this.closed = true;
    this.flush();
    while (this.writing !== null) await this.writing;
  }
}
