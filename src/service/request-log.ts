/**
 * Reads of the request log for one reseller: a filtered page, newest first, and one entry.
 * Entries past the days bound (REQUEST_LOG_DAYS) are never shown, trimmed yet or not.
 */
import type { RequestLogEntry, RequestLogPage } from '../contract/request-log.js';
import type { PageRequest } from '../store/keyset.js';
import { REQUEST_LOG_KEYSET, type RequestLogFilter, type RequestLogRepository } from '../store/request-log.js';
import type { Caller } from './sandbox.js';

export interface RequestLogServiceOptions {
  repository: RequestLogRepository;
  /** REQUEST_LOG_DAYS. */
  days: number;
  /** Real time (tests inject a clock). */
  now?: () => Date;
}

/** The request log's use cases. */
export class RequestLogService {
  private readonly now: () => Date;

  constructor(private readonly options: RequestLogServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * One page of the caller's entries matching every filter, newest first.
   * @throws RuleViolation at query.cursor for a cursor of another listing, key or filter set.
   */
  async list(caller: Caller, filter: RequestLogFilter, page: PageRequest): Promise<RequestLogPage> {
    const canonical = { ...filter, method: filter.method?.toUpperCase() };
    const position = REQUEST_LOG_KEYSET.position({ owner: caller.resellerId, filters: canonical }, page);
    return this.options.repository.page(caller.resellerId, canonical, position, this.now(), this.options.days);
  }

  /** One of the caller's entries; undefined for an unknown id, another reseller's, or one past retention. */
  async find(caller: Caller, id: number): Promise<RequestLogEntry | undefined> {
    return this.options.repository.find(caller.resellerId, id, this.now(), this.options.days);
  }
}
