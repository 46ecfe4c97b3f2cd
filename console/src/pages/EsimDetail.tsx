/**
 * eSIM detail: every field of GET /v1/esims/{iccid}; the QR code with the SM-DP+ address and
 * activation code for manual entry; the lifecycle state machine with a button for each event
 * allowed now (and an `IMEI` field for the events that carry one); `Suspend` and `Release`;
 * the data-usage editor and its bar chart; and the history timeline, each entry linking to
 * the request that made it.
 */
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { LifecycleDiagram } from '../components/LifecycleDiagram';
import { Link } from '../components/Link';
import { QrCode } from '../components/QrCode';
import { UsageChart } from '../components/UsageChart';
import { instant, kb, value } from '../format';
import { useAction, useLoad } from '../hooks';
import { href } from '../router';
import type { DataUsageDailyItem, Esim, EsimHistoryEntry } from '../types';
import { allowedEvents, lifecycleState } from '../../../src/domain/lifecycle';
import { EVENTS_WITH_IMEI, type LifecycleEvent } from '../../../src/contract/lifecycle';

/** The button name of each event: the names an integrator (and a test script) looks for. */
const EVENT_LABELS: Record<LifecycleEvent, string> = {
  download: 'Download',
  install: 'Install',
  install_failed: 'Install failed',
  connect: 'Connect',
  terminate: 'Terminate',
};

/** A valid IMEI (Luhn check digit right) to start from; any 15-digit IMEI with a valid check digit works. */
const SAMPLE_IMEI = '490154203237518';

/** The fields of the status operation, in the order the reference lists them. */
const FIELDS: (keyof Esim)[] = [
  'iccid',
  'contractStatus',
  'profileProvisionStatus',
  'profileInstallStatus',
  'isServiceRestricted',
  'homeCountry',
  'roamingCountries',
  'activationDeadline',
  'downloadedAt',
  'initialInsertionDevice',
  'initialInsertionAt',
  'initialConnectionDevice',
  'activatedOn',
  'expiresOn',
  'terminatedOn',
  'totalDataUsage',
  'lastUpdatedAt',
  'smdpAddress',
  'activationCode',
  'qrCode',
];

const INSTANTS = new Set<keyof Esim>(['activationDeadline', 'downloadedAt', 'initialInsertionAt', 'lastUpdatedAt']);

function fieldText(esim: Esim, name: keyof Esim): string {
  if (INSTANTS.has(name)) return esim[name] ? `${instant(esim[name] as string)} (${esim[name] as string})` : '—';
  if (name === 'totalDataUsage') return kb(esim.totalDataUsage);
  return value(esim[name]);
}

function causeText(entry: EsimHistoryEntry): string {
  const cause = entry.cause as { type: string; action?: string; event?: string; imei?: string; rule?: string };
  switch (cause.type) {
    case 'order':
      return 'Ordered';
    case 'emergency_control':
      return `Emergency control: ${cause.action}`;
    case 'lifecycle_event':
      return `Lifecycle event: ${cause.event}${cause.imei ? ` (IMEI ${cause.imei})` : ''}`;
    case 'data_usage':
      return 'Data usage set';
    case 'clock_rule':
      return `Sandbox clock: ${cause.rule === 'expiry' ? 'expiry' : 'activation deadline'}`;
    default:
      return cause.type;
  }
}

function History({ entries }: { entries: EsimHistoryEntry[] }) {
  if (entries.length === 0) return <p class="muted">No history yet.</p>;
  return (
    <ol class="timeline" aria-label="History, oldest first">
      {entries.map((entry) => (
        <li key={entry.id}>
          <p>
            <strong>{causeText(entry)}</strong> <span class="muted">at {instant(entry.at)} (sandbox clock)</span>
          </p>
          <ul>
            {entry.changes.map((change) => (
              <li key={change.field}>
                <code>{change.field}</code>: {value(change.from)} → {value(change.to)}
              </li>
            ))}
          </ul>
          <p class="muted">
            {entry.requestId ? (
              <Link href={href('/requests', { requestId: entry.requestId })}>Request {entry.requestId}</Link>
            ) : (
              'No request (made by the sandbox clock in real time)'
            )}
            {entry.webhookDeliveryIds.length > 0 && (
              <>
                {' · '}
                <Link href={href('/webhooks', { delivery: entry.webhookDeliveryIds[0] })}>
                  {entry.webhookDeliveryIds.length} webhook deliver{entry.webhookDeliveryIds.length === 1 ? 'y' : 'ies'}
                </Link>
              </>
            )}
          </p>
        </li>
      ))}
    </ol>
  );
}

function UsageEditor({ esim, onSaved }: { esim: Esim; onSaved: (list: DataUsageDailyItem[]) => void }) {
  const today = new Date().toISOString().slice(0, 10);
  const [day, setDay] = useState(today);
  const [usage, setUsage] = useState('102400');
  const action = useAction();
  const save = async (list: DataUsageDailyItem[]) => {
    const result = await action.run(() => call((sandbox) => sandbox.setDataUsage(esim.iccid, list)));
    if (result) onSaved(result.dataUsageDailyList);
  };
  const submit = (event: Event) => {
    event.preventDefault();
    const others = esim.dataUsageDailyList.filter((d) => d.day !== day);
    void save([...others, { day, usage: usage.trim() }].sort((a, b) => a.day.localeCompare(b.day)));
  };
  return (
    <>
      <form onSubmit={submit} aria-label="Data usage editor">
        <label>
          Day
          <input type="date" name="day" required value={day} onInput={(e) => setDay(e.currentTarget.value)} />
        </label>
        <label>
          Usage (KB)
          <input
            name="usage"
            inputMode="numeric"
            required
            size={12}
            value={usage}
            onInput={(e) => setUsage(e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={action.busy}>
          Set usage
        </button>
        <button
          type="button"
          class="secondary"
          disabled={action.busy || esim.dataUsageDailyList.length === 0}
          onClick={() => void save([])}
        >
          Clear usage
        </button>
      </form>
      <ErrorBox error={action.error} />
      <UsageChart days={esim.dataUsageDailyList} />
      {esim.dataUsageDailyList.length > 0 && (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Daily usage (scrolls sideways)">
          <table>
            <caption class="visually-hidden">Daily usage</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Usage</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {esim.dataUsageDailyList.map((d) => (
                <tr key={d.day}>
                  <td>{d.day}</td>
                  <td>{kb(d.usage)}</td>
                  <td>
                    <button
                      type="button"
                      class="secondary"
                      disabled={action.busy}
                      aria-label={`Remove ${d.day}`}
                      onClick={() => void save(esim.dataUsageDailyList.filter((x) => x.day !== d.day))}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function EsimDetailPage({ iccid }: { iccid: string }) {
  const loaded = useLoad((signal) => call((sandbox) => sandbox.getEsim(iccid), { signal }), [iccid], 10_000);
  const history = useLoad(
    (signal) => call((sandbox) => sandbox.getHistory(iccid, { limit: 100 }), { signal }),
    [iccid],
    10_000,
  );
  // The answer of an action is the eSIM after it: shown at once, without another read.
  const [latest, setLatest] = useState<Esim | undefined>(undefined);
  useEffect(() => setLatest(loaded.data), [loaded.data]);
  const [imei, setImei] = useState(SAMPLE_IMEI);
  const action = useAction();
  const esim = latest;

  if (!esim) {
    return loaded.error ? <ErrorBox error={loaded.error} /> : <p class="muted">Loading the eSIM…</p>;
  }
  const state = lifecycleState(esim);
  const allowed = allowedEvents(esim);
  const needsImei = allowed.some((e) => EVENTS_WITH_IMEI.includes(e));

  const act = async (request: () => Promise<Esim>) => {
    const after = await action.run(request);
    if (after) setLatest(after);
    void history.reload();
  };
  const sendEvent = (event: LifecycleEvent) =>
    act(() =>
      call((sandbox) =>
        sandbox.trigger(event, esim.iccid, EVENTS_WITH_IMEI.includes(event) ? { imei: imei.trim() } : {}),
      ),
    );
  const emergency = (actionName: 'suspend' | 'release') =>
    act(() => call((sandbox) => sandbox.emergencyControl(esim.iccid, actionName)));

  return (
    <>
      <p class="status-line">
        <span class="badge" data-testid="lifecycle-state">
          {state}
        </span>{' '}
        <span class="badge">contract {esim.contractStatus}</span>{' '}
        {esim.isServiceRestricted && <span class="badge">service restricted</span>}
      </p>
      <ErrorBox error={loaded.error} />

      <div class="cards">
        <section class="card" aria-labelledby="install-heading">
          <h2 id="install-heading">Installation</h2>
          <QrCode text={esim.qrCode} />
          <dl class="fields">
            <dt>SM-DP+ address</dt>
            <dd>
              <code data-testid="smdp-address">{esim.smdpAddress}</code>
            </dd>
            <dt>Activation code</dt>
            <dd>
              <code data-testid="activation-code">{esim.activationCode}</code>
            </dd>
            <dt>Activation string</dt>
            <dd>
              <code>{esim.qrCode}</code>
            </dd>
          </dl>
        </section>

        <section class="card" aria-labelledby="control-heading">
          <h2 id="control-heading">Emergency control</h2>
          <p class="muted">Suspend stops the service (isServiceRestricted true); Release restores it.</p>
          <div class="row">
            <button
              type="button"
              disabled={action.busy || esim.contractStatus !== 'ACTIVE'}
              onClick={() => void emergency('suspend')}
            >
              Suspend
            </button>
            <button
              type="button"
              disabled={action.busy || esim.contractStatus !== 'SUSPENDED'}
              onClick={() => void emergency('release')}
            >
              Release
            </button>
          </div>
        </section>
      </div>

      <section aria-labelledby="lifecycle-heading">
        <h2 id="lifecycle-heading">Lifecycle</h2>
        <LifecycleDiagram current={state} allowed={allowed} />
        <form onSubmit={(e) => e.preventDefault()} aria-label="Lifecycle events">
          {needsImei && (
            <label>
              IMEI
              <input
                name="imei"
                inputMode="numeric"
                size={17}
                maxLength={15}
                value={imei}
                onInput={(e) => setImei(e.currentTarget.value)}
              />
            </label>
          )}
          {allowed.map((event) => (
            <button
              key={event}
              type="button"
              class={event === 'terminate' ? 'danger' : undefined}
              disabled={action.busy}
              onClick={() => void sendEvent(event)}
            >
              {EVENT_LABELS[event]}
            </button>
          ))}
          {allowed.length === 0 && <p class="muted">No event applies to a {state} eSIM.</p>}
        </form>
      </section>
      <ErrorBox error={action.error} />

      <section aria-labelledby="fields-heading">
        <h2 id="fields-heading">Status fields</h2>
        <dl class="fields" data-testid="esim-fields">
          {FIELDS.map((name) => (
            <Fragment key={name}>
              <dt>{name}</dt>
              <dd data-field={name}>{fieldText(esim, name)}</dd>
            </Fragment>
          ))}
        </dl>
      </section>

      <section aria-labelledby="usage-heading">
        <h2 id="usage-heading">Data usage</h2>
        <p>
          Total <strong>{kb(esim.totalDataUsage)}</strong>. Setting a day replaces that day; the list replaces the
          eSIM's whole daily list.
        </p>
        <UsageEditor
          esim={esim}
          onSaved={(list) => {
            void loaded.reload();
            void history.reload();
            setLatest({
              ...esim,
              dataUsageDailyList: list,
              totalDataUsage: list.reduce((s, d) => s + Number(d.usage), 0),
            });
          }}
        />
      </section>

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <ErrorBox error={history.error} />
        <History entries={history.data?.items ?? []} />
      </section>
    </>
  );
}
