/**
 * Webhooks: register, replace and delete the endpoint (PUT/GET/DELETE /v1/sandbox/webhook),
 * reveal its signing secret, follow the deliveries with their attempts (refreshed every 2 s),
 * `Redeliver` one, and send a test event. The test event is a real change through the public
 * API, as production would send it: emergency control suspends an ACTIVE eSIM and releases it
 * again, which leaves it as it was and queues two esim.status_changed events.
 */
import { useState } from 'preact/hooks';
import { ApiError, call } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { Link } from '../components/Link';
import { instant } from '../format';
import { useAction, useLoad } from '../hooks';
import { href, navigate, useLocation } from '../router';
import type { WebhookDelivery, WebhookEndpoint } from '../types';

const EVENT_TYPES = ['order.completed', 'esim.status_changed', 'esim.usage_updated'] as const;

function EndpointForm({
  endpoint,
  onSaved,
}: {
  endpoint: WebhookEndpoint | null;
  onSaved: (e: WebhookEndpoint) => void;
}) {
  const [url, setUrl] = useState(endpoint?.url ?? '');
  const [events, setEvents] = useState<WebhookEndpoint['events']>(endpoint?.events ?? [...EVENT_TYPES]);
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    const saved = await action.run(() => call((sandbox) => sandbox.putWebhook({ url: url.trim(), events })));
    if (saved) onSaved(saved);
  };
  return (
    <form
      class="stack"
      onSubmit={(e) => void submit(e)}
      aria-label={endpoint ? 'Replace the endpoint' : 'Register an endpoint'}
    >
      <label>
        Endpoint URL
        <input
          name="url"
          type="url"
          required
          placeholder="http://127.0.0.1:8080/webhooks"
          value={url}
          onInput={(e) => setUrl(e.currentTarget.value)}
        />
      </label>
      <fieldset>
        <legend>Event types</legend>
        {EVENT_TYPES.map((type) => (
          <label class="inline" key={type}>
            <input
              type="checkbox"
              checked={events.includes(type)}
              onChange={(e) =>
                setEvents(e.currentTarget.checked ? [...events, type] : events.filter((t) => t !== type))
              }
            />
            <code>{type}</code>
          </label>
        ))}
      </fieldset>
      <div class="row">
        <button type="submit" disabled={action.busy}>
          {endpoint ? 'Replace' : 'Register'}
        </button>
      </div>
      <ErrorBox error={action.error} />
    </form>
  );
}

function Attempts({ delivery }: { delivery: WebhookDelivery }) {
  if (delivery.attempts.length === 0) return <p class="muted">No attempt yet.</p>;
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label="Attempts of delivery (scrolls sideways)">
      <table>
        <caption class="visually-hidden">Attempts of delivery {delivery.id}</caption>
        <thead>
          <tr>
            <th scope="col">Attempt</th>
            <th scope="col">Started</th>
            <th scope="col">Answer</th>
            <th scope="col">Duration</th>
            <th scope="col">URL</th>
          </tr>
        </thead>
        <tbody>
          {delivery.attempts.map((a) => (
            <tr key={a.attempt}>
              <td>{a.attempt}</td>
              <td>{instant(a.startedAt)}</td>
              <td>{a.statusCode !== null ? `HTTP ${a.statusCode}` : (a.error ?? 'no answer')}</td>
              <td>{a.durationMs} ms</td>
              <td>
                <code>{a.url}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TestEvent() {
  const action = useAction();
  const [done, setDone] = useState<string | null>(null);
  const send = async () => {
    setDone(null);
    const iccid = await action.run(async () => {
      const page = await call((sandbox) => sandbox.listEsims({ contractStatus: 'ACTIVE', limit: 1 }));
      const esim = page.items[0];
      if (!esim) {
        throw new ApiError(
          0,
          'NO_ACTIVE_ESIM',
          'No ACTIVE eSIM',
          'order an eSIM first (Plans page): the test event changes one',
        );
      }
      await call((sandbox) => sandbox.suspend(esim.iccid));
      await call((sandbox) => sandbox.release(esim.iccid));
      return esim.iccid;
    });
    if (iccid) setDone(iccid);
  };
  return (
    <section class="card" aria-labelledby="test-heading">
      <h2 id="test-heading">Test event</h2>
      <p>
        Suspends your newest ACTIVE eSIM and releases it at once: it ends as it was, and two{' '}
        <code>esim.status_changed</code> events go to the endpoint, signed like every delivery.
      </p>
      <button type="button" disabled={action.busy} onClick={() => void send()}>
        Send test event
      </button>
      {done && (
        <p class="notice" role="status">
          Sent: eSIM <Link href={href(`/esims/${done}`)}>{done}</Link> suspended and released.
        </p>
      )}
      <ErrorBox error={action.error} />
    </section>
  );
}

export function WebhooksPage() {
  const { query } = useLocation();
  const chosen = query.get('delivery');
  const endpoint = useLoad(async (signal) => {
    try {
      return await call((sandbox) => sandbox.getWebhook(), { signal });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'WEBHOOK_NOT_FOUND') return null;
      throw error;
    }
  }, []);
  const deliveries = useLoad(
    (signal) => call((sandbox) => sandbox.listDeliveries({ limit: 50 }), { signal }),
    [],
    2_000,
  );
  const [revealed, setRevealed] = useState(false);
  const [saved, setSaved] = useState<WebhookEndpoint | null | undefined>(undefined);
  const remove = useAction();
  const redeliver = useAction();
  const current = saved !== undefined ? saved : endpoint.data;

  const items = deliveries.data?.items ?? [];
  const selected = items.find((d) => d.id === chosen) ?? items[0];

  return (
    <>
      <section aria-labelledby="endpoint-heading">
        <h2 id="endpoint-heading">Endpoint</h2>
        <ErrorBox error={endpoint.error} />
        {current === undefined ? (
          <p class="muted">Reading the endpoint…</p>
        ) : current === null ? (
          <p>No endpoint is registered: events are not sent anywhere.</p>
        ) : (
          <>
            <dl class="fields">
              <dt>URL</dt>
              <dd>
                <code data-testid="webhook-url">{current.url}</code>
              </dd>
              <dt>Events</dt>
              <dd>{current.events.join(', ')}</dd>
              <dt>Registered</dt>
              <dd>{instant(current.createdAt)}</dd>
              <dt>Replaced</dt>
              <dd>{instant(current.updatedAt)}</dd>
              <dt>Signing secret</dt>
              <dd>
                {revealed ? (
                  <code data-testid="webhook-secret">{current.secret}</code>
                ) : (
                  <span class="muted">hidden</span>
                )}{' '}
                <button type="button" class="secondary" aria-pressed={revealed} onClick={() => setRevealed(!revealed)}>
                  {revealed ? 'Hide secret' : 'Reveal secret'}
                </button>
              </dd>
            </dl>
            <div class="row">
              <button
                type="button"
                class="danger"
                disabled={remove.busy}
                onClick={() =>
                  void remove.run(async () => {
                    await call((sandbox) => sandbox.deleteWebhook());
                    setSaved(null);
                    setRevealed(false);
                  })
                }
              >
                Delete
              </button>
            </div>
            <ErrorBox error={remove.error} />
          </>
        )}
        {current !== undefined && (
          <EndpointForm
            key={current ? `${current.url}${current.updatedAt}` : 'none'}
            endpoint={current}
            onSaved={setSaved}
          />
        )}
      </section>

      <TestEvent />

      <section aria-labelledby="deliveries-heading">
        <h2 id="deliveries-heading">Deliveries</h2>
        <ErrorBox error={deliveries.error} />
        {items.length === 0 ? (
          <p class="muted">No delivery yet.</p>
        ) : (
          <div
            class="table-wrap"
            tabIndex={0}
            role="region"
            aria-label="Webhook deliveries, newest first (scrolls sideways)"
          >
            <table>
              <caption class="visually-hidden">Webhook deliveries, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">eSIM</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last answer</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {items.map((d) => {
                  const last = d.attempts[d.attempts.length - 1];
                  return (
                    <tr key={d.id} class={d.id === selected?.id ? 'selected' : undefined}>
                      <td>
                        <Link
                          href={href('/webhooks', { delivery: d.id })}
                          aria-current={d.id === selected?.id ? 'true' : undefined}
                        >
                          {d.eventType}
                        </Link>
                        {d.redeliveryOf && <span class="muted"> (redelivery)</span>}
                      </td>
                      <td>{d.iccid ?? '—'}</td>
                      <td data-testid="delivery-status">{d.status}</td>
                      <td>{d.attempts.length}</td>
                      <td>
                        {last ? (last.statusCode !== null ? `HTTP ${last.statusCode}` : (last.error ?? '—')) : '—'}
                      </td>
                      <td>{instant(d.createdAt)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {selected && (
          <section class="card" aria-labelledby="delivery-heading">
            <h3 id="delivery-heading">
              Delivery <code>{selected.id}</code>
            </h3>
            <p>
              Event <code>{selected.eventId}</code> ({selected.eventType}), status <strong>{selected.status}</strong>
              {selected.nextAttemptAt && <> · next attempt {instant(selected.nextAttemptAt)}</>}
            </p>
            <Attempts delivery={selected} />
            <div class="row">
              <button
                type="button"
                disabled={redeliver.busy}
                onClick={() =>
                  void redeliver.run(async () => {
                    const queued = await call((sandbox) => sandbox.redeliver(selected.id));
                    navigate(href('/webhooks', { delivery: queued.id }), true);
                    await deliveries.reload();
                  })
                }
              >
                Redeliver
              </button>
            </div>
            <ErrorBox error={redeliver.error} />
          </section>
        )}
      </section>
    </>
  );
}
