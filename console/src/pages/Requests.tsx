/**
 * Requests: the reseller's request log, newest first (GET /v1/sandbox/requests), kept live by
 * the stream (GET /v1/sandbox/stream?types=request), with the log's filters in the URL; and a
 * request's detail (GET /v1/sandbox/requests/{id}) with its headers and bodies and
 * `Copy as curl` (the key left as a variable).
 */
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, compact } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { Link } from '../components/Link';
import { curlCommand } from '../curl';
import { instant, json } from '../format';
import { useLoad } from '../hooks';
import { href, navigate, useLocation } from '../router';
import { openStream } from '../sse';
import type { RequestLogEntry } from '../types';

const FILTERS = ['method', 'status', 'operationId', 'iccid', 'transactionId', 'requestId', 'idempotencyKey'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;
const MAX_SHOWN = 200;

/** Whether a streamed entry passes the filters the server applied to the first page. */
function matches(entry: RequestLogEntry, f: Filters): boolean {
  if (f.method && entry.method !== f.method.toUpperCase()) return false;
  if (f.status) {
    const s = String(entry.status);
    if (/^\dxx$/i.test(f.status) ? s[0] !== f.status[0] : s !== f.status) return false;
  }
  if (f.operationId && entry.operationId !== f.operationId) return false;
  if (f.iccid && !entry.iccids.includes(f.iccid)) return false;
  if (f.transactionId && entry.transactionId !== f.transactionId) return false;
  if (f.requestId && entry.requestId !== f.requestId) return false;
  if (f.idempotencyKey && entry.idempotencyKey !== f.idempotencyKey) return false;
  return true;
}

function Headers({ headers }: { headers: Record<string, string | string[]> }) {
  const names = Object.keys(headers ?? {});
  if (names.length === 0) return <p class="muted">No headers recorded.</p>;
  return (
    <dl class="fields">
      {names.map((name) => (
        <Fragment key={name}>
          <dt>{name}</dt>
          <dd>
            <code>{([] as string[]).concat(headers[name] ?? []).join(', ')}</code>
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

function Detail({ id }: { id: string }) {
  const entry = useLoad((signal) => call((sandbox) => sandbox.getRequest(id), { signal }), [id]);
  const [copied, setCopied] = useState<string | null>(null);
  if (entry.error) return <ErrorBox error={entry.error} />;
  const e = entry.data;
  if (!e) return <p class="muted">Loading the request…</p>;
  const curl = curlCommand(e, location.origin);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(curl);
      setCopied('Copied: set ESIM_SANDBOX_API_KEY to your key before running it.');
    } catch {
      // No clipboard (a plain-http LAN address is not a secure context): the command is shown below to copy by hand.
      setCopied('The browser refused the clipboard: copy the command below by hand.');
    }
  };
  return (
    <section class="card" aria-labelledby="detail-heading">
      <h2 id="detail-heading">
        {e.method} {e.path} → {e.status}
      </h2>
      <dl class="fields">
        <dt>Received</dt>
        <dd>{instant(e.receivedAt)}</dd>
        <dt>Sandbox time</dt>
        <dd>{instant(e.sandboxTime)}</dd>
        <dt>Operation</dt>
        <dd>{e.operationId ?? '—'}</dd>
        <dt>Request id</dt>
        <dd>
          <code data-testid="request-id">{e.requestId}</code>
        </dd>
        <dt>Duration</dt>
        <dd>{e.durationMs} ms</dd>
        <dt>Idempotency key</dt>
        <dd>
          {e.idempotencyKey ?? '—'}
          {e.idempotentReplayed && ' (replayed)'}
        </dd>
        <dt>Fault</dt>
        <dd>{e.fault ?? '—'}</dd>
        <dt>Problem</dt>
        <dd>{e.problemCode ?? '—'}</dd>
        <dt>eSIMs</dt>
        <dd>
          {e.iccids.length === 0
            ? '—'
            : e.iccids.map((iccid) => (
                <Fragment key={iccid}>
                  <Link href={href(`/esims/${iccid}`)}>{iccid}</Link>{' '}
                </Fragment>
              ))}
        </dd>
        <dt>Order</dt>
        <dd>
          {e.transactionId ? (
            <Link href={href('/esims', { transactionId: e.transactionId })}>{e.transactionId}</Link>
          ) : (
            '—'
          )}
        </dd>
      </dl>
      <div class="row">
        <button type="button" onClick={() => void copy()}>
          Copy as curl
        </button>
      </div>
      {copied && (
        <p class="notice" role="status">
          {copied}
        </p>
      )}
      <pre data-testid="curl" aria-label="curl command">
        {curl}
      </pre>
      <h3>Request headers</h3>
      <Headers headers={e.requestHeaders} />
      <h3>Request body{e.truncated?.request && ' (truncated)'}</h3>
      {e.requestBody === undefined || e.requestBody === null ? (
        <p class="muted">No body.</p>
      ) : (
        <pre>{json(e.requestBody)}</pre>
      )}
      <h3>Response headers</h3>
      <Headers headers={e.responseHeaders} />
      <h3>Response body{e.truncated?.response && ' (truncated)'}</h3>
      {e.responseBody === undefined || e.responseBody === null ? (
        <p class="muted">No body.</p>
      ) : (
        <pre>{json(e.responseBody)}</pre>
      )}
    </section>
  );
}

export function RequestsPage({ selected }: { selected?: string }) {
  const { query } = useLocation();
  const filters = Object.fromEntries(FILTERS.map((n) => [n, query.get(n) ?? ''])) as Filters;
  const key = JSON.stringify(filters);
  const first = useLoad(
    (signal) => call((sandbox) => sandbox.listRequests({ ...compact(filters), limit: 50 }), { signal }),
    [key],
  );
  const [live, setLive] = useState<RequestLogEntry[]>([]);
  const [streamState, setStreamState] = useState<{ state: string; error?: ApiError }>({ state: 'connecting' });
  const [form, setForm] = useState(filters);

  useEffect(() => {
    setLive([]);
    const controller = new AbortController();
    void openStream(
      { types: ['request'], ...(filters.iccid ? { iccid: filters.iccid } : {}) },
      {
        onEvent: (event) => {
          if (event.type !== 'request') return;
          const entry = event.data as RequestLogEntry | null;
          if (!entry || typeof entry.path !== 'string') return;
          // The console's own reads of the log and the stream are not news.
          if (entry.path.startsWith('/v1/sandbox/requests') || entry.path.startsWith('/v1/sandbox/stream')) return;
          if (matches(entry, filters))
            setLive((old) => [entry, ...old.filter((o) => o.id !== entry.id)].slice(0, MAX_SHOWN));
        },
        onState: (state, error) => setStreamState(error ? { state, error } : { state }),
      },
      controller.signal,
    );
    return () => controller.abort();
  }, [key]);

  const firstItems = first.data?.items ?? [];
  const seen = new Set(live.map((e) => e.id));
  const items = [...live, ...firstItems.filter((e) => !seen.has(e.id))].slice(0, MAX_SHOWN);
  const only = items.length === 1 && filters.requestId ? items[0] : undefined;
  const shown = selected ?? only?.id;

  const apply = (event: Event) => {
    event.preventDefault();
    navigate(href('/requests', Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v.trim()]))));
  };
  const field = (name: keyof Filters, label: string, size = 12) => (
    <label>
      {label}
      <input
        name={name}
        size={size}
        value={form[name]}
        spellcheck={false}
        onInput={(e) => setForm({ ...form, [name]: e.currentTarget.value })}
      />
    </label>
  );

  return (
    <>
      {shown && <Detail id={shown} />}
      {selected && (
        <p>
          <Link href={href('/requests', filters)}>Back to the log</Link>
        </p>
      )}
      <form onSubmit={apply} aria-label="Request filters">
        <label>
          Method
          <select
            name="method"
            value={form.method}
            onChange={(e) => setForm({ ...form, method: e.currentTarget.value })}
          >
            <option value="">any</option>
            {['GET', 'POST', 'PUT', 'DELETE'].map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        {field('status', 'Status (e.g. 4xx, 429)', 8)}
        {field('operationId', 'Operation')}
        {field('iccid', 'ICCID', 20)}
        {field('transactionId', 'transactionId', 36)}
        {field('requestId', 'Request id', 36)}
        {field('idempotencyKey', 'Idempotency key')}
        <button type="submit">Filter</button>
      </form>
      <p class="muted" role="status" data-testid="stream-state">
        {streamState.state === 'live'
          ? 'Live: new requests appear at the top.'
          : streamState.state === 'connecting'
            ? 'Connecting to the live stream…'
            : 'Live stream lost: reconnecting…'}
      </p>
      {streamState.error && <ErrorBox error={streamState.error} />}
      <ErrorBox error={first.error} />
      <div class="table-wrap" tabIndex={0} role="region" aria-label="Requests, newest first (scrolls sideways)">
        <table>
          <caption class="visually-hidden">Requests, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">Request</th>
              <th scope="col">Status</th>
              <th scope="col">Operation</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody data-testid="request-rows">
            {items.map((e) => (
              <tr key={e.id}>
                <td>{instant(e.receivedAt)}</td>
                <td>
                  <Link
                    href={href(`/requests/${encodeURIComponent(e.id)}`, filters)}
                    aria-current={e.id === shown ? 'true' : undefined}
                  >
                    {e.method} {e.path}
                  </Link>
                </td>
                <td>{e.status}</td>
                <td>{e.operationId ?? '—'}</td>
                <td>{e.durationMs} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {first.data && items.length === 0 && <p class="muted">No request matches yet.</p>}
    </>
  );
}
