/**
 * Plans: the catalogue with the filters of GET /v1/plans (country, provider, roaming), page by
 * page, each plan's data cap, validity, speeds and prices; and one order form (`Quantity`,
 * `Order`) for the plan chosen in the list, which orders it (POST /v1/orders) and opens the
 * new order's eSIMs. The filters and the page live in the URL.
 */
import { useState } from 'preact/hooks';
import { call, compact } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { useAction, useLoad } from '../hooks';
import { href, navigate, useLocation } from '../router';
import type { DataPlan } from '../types';

function dataCap(plan: DataPlan): string {
  const per = plan.dataCapPer === 'DAY' ? 'a day' : 'for the plan';
  return `${plan.dataCap} ${plan.dataUnit} ${per}${plan.planType === 'UNLIMITED' ? ', then unlimited' : ''}`;
}

/** kbps as people read it: 128 kbps, 10 Mbps. */
function speed(kbps: number): string {
  return kbps >= 1000 ? `${kbps / 1000} Mbps` : `${kbps} kbps`;
}

function speeds(plan: DataPlan): string {
  const types = [...new Set(plan.coverages.flatMap((c) => c.networks.flatMap((n) => n.types)))].join('/');
  const reduced = plan.reducedSpeed > 0 ? `; ${speed(plan.reducedSpeed)} past the cap` : '; stops at the cap';
  return `${types}, up to ${speed(plan.maxSpeed)}${reduced}`;
}

function countries(plan: DataPlan): string {
  const codes = plan.coverages.map((c) => c.code);
  return codes.length > 6 ? `${codes.slice(0, 6).join(', ')} +${codes.length - 6}` : codes.join(', ');
}

export function PlansPage() {
  const { query } = useLocation();
  const countryCode = query.get('countryCode') ?? '';
  const providerCode = query.get('providerCode') ?? '';
  const includeRoaming = query.get('includeRoaming') === 'true';
  const page = Number(query.get('page') ?? '1') || 1;
  const limit = Number(query.get('limit') ?? '20') || 20;
  const chosen = query.get('plan');

  const plans = useLoad(
    (signal) =>
      call((sandbox) => sandbox.listPlans({ ...compact({ countryCode, providerCode }), includeRoaming, page, limit }), {
        signal,
      }),
    [countryCode, providerCode, includeRoaming, page, limit],
  );
  const items = plans.data?.items ?? [];
  const selected = items.find((p) => p.planCode === chosen) ?? items[0];

  const [country, setCountry] = useState(countryCode);
  const [provider, setProvider] = useState(providerCode);
  const [roaming, setRoaming] = useState(includeRoaming);
  const [limitField, setLimitField] = useState(String(limit));
  const [quantity, setQuantity] = useState('1');
  const order = useAction();

  const go = (changes: Record<string, string | number | boolean | undefined>, replace = false) =>
    navigate(
      href('/plans', {
        countryCode,
        providerCode,
        includeRoaming,
        page,
        limit: limit === 20 ? undefined : limit,
        plan: chosen ?? undefined,
        ...changes,
      }),
      replace,
    );

  const filter = (event: Event) => {
    event.preventDefault();
    go({
      countryCode: country.trim().toUpperCase(),
      providerCode: provider.trim().toUpperCase(),
      includeRoaming: roaming,
      limit: limitField === '20' ? undefined : limitField,
      page: 1,
      plan: undefined,
    });
  };

  const placeOrder = async (event: Event) => {
    event.preventDefault();
    if (!selected) return;
    // A number field gives '' for what is not a number: send it as typed, so the API says what is wrong.
    // (Typed as a number for the client: the server's validation is what users should learn.)
    const amount = (/^\d+$/.test(quantity.trim()) ? Number(quantity.trim()) : quantity) as number;
    const result = await order.run(() => call((sandbox) => sandbox.order(selected.planCode, amount)));
    if (result) navigate(href('/esims', { transactionId: result.transactionId }));
  };

  const meta = plans.data?.meta;
  return (
    <>
      <form onSubmit={filter} aria-label="Plan filters">
        <label>
          Country
          <input
            name="countryCode"
            value={country}
            maxLength={2}
            size={4}
            placeholder="JP"
            onInput={(e) => setCountry(e.currentTarget.value)}
          />
        </label>
        <label>
          Provider
          <input
            name="providerCode"
            value={provider}
            size={8}
            placeholder="KDDI"
            onInput={(e) => setProvider(e.currentTarget.value)}
          />
        </label>
        <label class="inline">
          <input type="checkbox" checked={roaming} onChange={(e) => setRoaming(e.currentTarget.checked)} />
          Include roaming countries
        </label>
        <label>
          Per page
          <select value={limitField} onChange={(e) => setLimitField(e.currentTarget.value)}>
            {['10', '20', '50', '100', '200'].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Filter</button>
      </form>
      <ErrorBox error={plans.error} />

      <section aria-labelledby="order-heading" class="card">
        <h2 id="order-heading">Order</h2>
        {selected ? (
          <form onSubmit={(e) => void placeOrder(e)}>
            <p id="order-plan">
              Plan <strong>{selected.planCode}</strong>: {selected.planName}, {selected.netPrice} USD each (net)
            </p>
            <label>
              Quantity
              <input
                name="quantity"
                type="number"
                min={1}
                max={1000}
                step={1}
                size={6}
                value={quantity}
                onInput={(e) => setQuantity(e.currentTarget.value)}
              />
            </label>
            <button type="submit" disabled={order.busy} aria-describedby="order-plan">
              Order
            </button>
          </form>
        ) : (
          <p class="muted">{plans.loading ? 'Loading plans…' : 'No plan matches these filters.'}</p>
        )}
        <ErrorBox error={order.error} />
      </section>

      <h2>
        {meta ? `${meta.total} plan${meta.total === 1 ? '' : 's'}` : 'Plans'}
        {meta && meta.totalPages > 0 && (
          <span class="muted">
            {' '}
            · page {meta.page} of {meta.totalPages}
          </span>
        )}
      </h2>
      <div
        class="table-wrap"
        tabIndex={0}
        role="region"
        aria-label="Data plans; choose one to order it (scrolls sideways)"
      >
        <table>
          <caption class="visually-hidden">Data plans; choose one to order it</caption>
          <thead>
            <tr>
              <th scope="col">Plan</th>
              <th scope="col">Countries</th>
              <th scope="col">Data cap</th>
              <th scope="col">Validity</th>
              <th scope="col">Speeds</th>
              <th scope="col">Net price</th>
              <th scope="col">Retail price</th>
            </tr>
          </thead>
          <tbody>
            {items.map((plan) => (
              <tr key={plan.planCode}>
                <td>
                  <label class="inline">
                    <input
                      type="radio"
                      name="plan"
                      checked={plan.planCode === selected?.planCode}
                      onChange={() => go({ plan: plan.planCode }, true)}
                    />
                    <span>
                      <strong>{plan.planCode}</strong> {plan.planName}
                    </span>
                  </label>
                  <span class="badge">{plan.planType}</span> <span class="muted">{plan.providerCode}</span>
                </td>
                <td>{countries(plan)}</td>
                <td>{dataCap(plan)}</td>
                <td>
                  {plan.validityDays} days
                  <br />
                  <span class="muted">install within {plan.unusedTerminationDays} days</span>
                </td>
                <td>{speeds(plan)}</td>
                <td>{plan.netPrice} USD</td>
                <td>{plan.suggestedRetailPrice} USD</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {meta && meta.totalPages > 1 && (
        <nav class="pager" aria-label="Plan pages">
          <button type="button" class="secondary" disabled={page <= 1} onClick={() => go({ page: page - 1 })}>
            Previous page
          </button>
          <span>
            Page {meta.page} of {meta.totalPages}
          </span>
          <button
            type="button"
            class="secondary"
            disabled={page >= meta.totalPages}
            onClick={() => go({ page: page + 1 })}
          >
            Next page
          </button>
        </nav>
      )}
    </>
  );
}
