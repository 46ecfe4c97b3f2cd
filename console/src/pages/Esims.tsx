/**
 * eSIMs: the reseller's eSIMs (GET /v1/sandbox/esims), newest first, with the listing's
 * filters (order, plan, the three statuses) and its cursor pages (the cursor lives in the URL);
 * and a search by ICCID (opens the eSIM) or transactionId (the order's eSIMs).
 */
import { useState } from 'preact/hooks';
import { call, compact } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { Link } from '../components/Link';
import { instant, kb } from '../format';
import { useLoad } from '../hooks';
import { href, navigate, useLocation } from '../router';
import type { EsimQuery } from '../types';

const CONTRACT = ['ACTIVE', 'SUSPENDED', 'TERMINATED'];
const PROVISION = ['AVAILABLE', 'DOWNLOADED', 'CANCELED', 'ERROR'];
const INSTALL = ['READY', 'DOWNLOADED', 'INSTALLED', 'CONFIRMATION_FAILED'];
const ICCID = /^\d{19,20}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const FILTERS = [
  'transactionId',
  'planCode',
  'contractStatus',
  'profileProvisionStatus',
  'profileInstallStatus',
] as const;

function Select(props: {
  label: string;
  name: string;
  options: string[];
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <label>
      {props.label}
      <select name={props.name} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">any</option>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

export function EsimsPage() {
  const { query } = useLocation();
  const filters = Object.fromEntries(FILTERS.map((name) => [name, query.get(name) ?? ''])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  const cursor = query.get('cursor') ?? '';
  const key = JSON.stringify([filters, cursor]);
  const page = useLoad(
    (signal) =>
      // The filters are the URL's text: the API, not the console, says when one is not a status.
      call((sandbox) => sandbox.listEsims({ ...(compact({ ...filters, cursor }) as EsimQuery), limit: 20 }), {
        signal,
      }),
    [key],
  );

  const [form, setForm] = useState(filters);
  const [search, setSearch] = useState('');
  const [searchError, setSearchError] = useState<string | null>(null);
  const set = (name: keyof typeof form) => (v: string) => setForm({ ...form, [name]: v });

  const applyFilters = (event: Event) => {
    event.preventDefault();
    navigate(href('/esims', { ...form, planCode: form.planCode.trim(), transactionId: form.transactionId.trim() }));
  };

  const find = (event: Event) => {
    event.preventDefault();
    const given = search.trim();
    setSearchError(null);
    if (ICCID.test(given)) navigate(href(`/esims/${given}`));
    else if (UUID.test(given)) navigate(href('/esims', { transactionId: given.toLowerCase() }));
    else setSearchError('Enter an ICCID (19 digits, 8900...) or a transactionId (a UUID).');
  };

  const items = page.data?.items ?? [];
  return (
    <>
      <form onSubmit={find} role="search" aria-label="Find an eSIM">
        <label>
          ICCID or transactionId
          <input
            name="search"
            value={search}
            size={40}
            spellcheck={false}
            onInput={(e) => setSearch(e.currentTarget.value)}
            aria-describedby={searchError ? 'search-error' : undefined}
          />
        </label>
        <button type="submit">Find</button>
      </form>
      {searchError && (
        <p class="error" id="search-error" role="alert">
          {searchError}
        </p>
      )}

      <form onSubmit={applyFilters} aria-label="eSIM filters">
        <label>
          Order (transactionId)
          <input
            name="transactionId"
            value={form.transactionId}
            size={38}
            spellcheck={false}
            onInput={(e) => set('transactionId')(e.currentTarget.value)}
          />
        </label>
        <label>
          Plan
          <input
            name="planCode"
            value={form.planCode}
            size={8}
            onInput={(e) => set('planCode')(e.currentTarget.value)}
          />
        </label>
        <Select
          label="Contract"
          name="contractStatus"
          options={CONTRACT}
          value={form.contractStatus}
          onChange={set('contractStatus')}
        />
        <Select
          label="Provision"
          name="profileProvisionStatus"
          options={PROVISION}
          value={form.profileProvisionStatus}
          onChange={set('profileProvisionStatus')}
        />
        <Select
          label="Install"
          name="profileInstallStatus"
          options={INSTALL}
          value={form.profileInstallStatus}
          onChange={set('profileInstallStatus')}
        />
        <button type="submit">Filter</button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setForm(Object.fromEntries(FILTERS.map((n) => [n, ''])) as typeof form);
            navigate(href('/esims'));
          }}
        >
          Clear filters
        </button>
      </form>
      <ErrorBox error={page.error} />

      {filters.transactionId && (
        <p>
          The eSIMs of order <code>{filters.transactionId}</code>.
        </p>
      )}
      <div class="table-wrap" tabIndex={0} role="region" aria-label="eSIMs, newest first (scrolls sideways)">
        <table>
          <caption class="visually-hidden">eSIMs, newest first</caption>
          <thead>
            <tr>
              <th scope="col">ICCID</th>
              <th scope="col">Contract</th>
              <th scope="col">Provision</th>
              <th scope="col">Install</th>
              <th scope="col">Usage</th>
              <th scope="col">Expires on</th>
              <th scope="col">Last updated</th>
            </tr>
          </thead>
          <tbody>
            {items.map((esim) => (
              <tr key={esim.iccid}>
                <td>
                  <Link href={href(`/esims/${esim.iccid}`)}>{esim.iccid}</Link>
                </td>
                <td>
                  {esim.contractStatus}
                  {esim.isServiceRestricted && <span class="muted"> (restricted)</span>}
                </td>
                <td>{esim.profileProvisionStatus}</td>
                <td>{esim.profileInstallStatus}</td>
                <td>{kb(esim.totalDataUsage)}</td>
                <td>{esim.expiresOn ?? '—'}</td>
                <td>{instant(esim.lastUpdatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.data && items.length === 0 && <p class="muted">No eSIM matches. Order one from the Plans page.</p>}
      <nav class="pager" aria-label="eSIM pages">
        {cursor && (
          <Link href={href('/esims', { ...filters })} class="secondary">
            First page
          </Link>
        )}
        {page.data?.nextCursor && (
          <Link href={href('/esims', { ...filters, cursor: page.data.nextCursor })}>Next page</Link>
        )}
      </nav>
    </>
  );
}
