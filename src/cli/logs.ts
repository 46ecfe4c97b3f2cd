/**
 * `esim-sandbox logs tail [--status 4xx]`: the requests the sandbox answers for this
 * reseller, live (stream type `request`), one line each (with --json: the entry as one
 * JSON line), optionally only those with a status code or class.
 */
import type { RequestLogEntry } from '../client/index.js';
import type { CommandContext } from './context.js';
import { followStream } from './stream-loop.js';
import { UsageError } from './usage.js';

const STATUS_FILTER = /^[1-5](\d\d|xx)$/;

/** Whether `status` matches `filter`: `429` exactly, or `4xx` the class. */
export function statusMatches(status: number, filter: string): boolean {
  return filter.endsWith('xx') ? String(status)[0] === filter[0] : String(status) === filter;
}

/** `?a=1&b=2` from the logged query parameters, or '' when there were none. */
function queryString(query: RequestLogEntry['query'] | null | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {}))
    for (const one of Array.isArray(value) ? value : [value]) params.append(name, one);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export async function logsTail(context: CommandContext): Promise<number> {
  const filter = context.values.status;
  if (filter !== undefined && (typeof filter !== 'string' || !STATUS_FILTER.test(filter)))
    throw new UsageError(`--status must be a status code (429) or a class (4xx), got "${String(filter)}"`, 'logs tail');
  return followStream(
    context,
    ['request'],
    () => {
      if (!context.json) context.print(`Tailing requests${filter ? ` with status ${filter}` : ''} (Ctrl-C stops)`);
    },
    async (event) => {
      if (event.type !== 'request') return;
      const entry = event.data as RequestLogEntry;
      if (filter && !statusMatches(entry.status, filter)) return;
      if (context.json) context.print(JSON.stringify(entry));
      else
        context.print(
          [
            entry.receivedAt,
            entry.status,
            entry.method,
            entry.path + queryString(entry.query),
            entry.operationId ?? '-',
            `${entry.durationMs} ms`,
            entry.problemCode ?? '',
            entry.requestId,
          ]
            .filter((part) => part !== '')
            .join('  '),
        );
    },
  );
}
