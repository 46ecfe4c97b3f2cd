import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  catalogPlan,
  catalogPlans,
  expectViolation,
  homeCountryOf,
  roamingCountriesOf,
  type CatalogPlan,
} from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMITS: 'off' });
});
afterAll(async () => t.close());

interface PlanPage {
  items: CatalogPlan[];
  meta: { total: number; page: number; limit: number; totalPages: number };
}

async function listPlans(query: string): Promise<PlanPage> {
  const res = await t.call('GET', `/v1/plans${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<PlanPage>();
}

const codes = (page: PlanPage) => page.items.map((p) => p.planCode);
const allCodes = catalogPlans.map((p) => p.planCode);
const plansWhere = (match: (p: CatalogPlan) => boolean) => catalogPlans.filter(match).map((p) => p.planCode);

// Countries no provider calls home but some plan covers while roaming (e.g. KH, LA).
const roamingOnlyCountries = [...new Set(catalogPlans.flatMap(roamingCountriesOf))].filter(
  (country) => !catalogPlans.some((p) => homeCountryOf(p) === country),
);

describe('GET /v1/plans', () => {
  it('lists Japanese plans ordered by planCode with true metadata', async () => {
    const res = await t.call('GET', '/v1/plans?countryCode=JP&limit=200');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const codes = body.items.map((p: { planCode: string }) => p.planCode);
    expect(codes).toContain('KD0001');
    expect([...codes].sort()).toEqual(codes);
    expect(body.meta).toEqual({ total: codes.length, page: 1, limit: 200, totalPages: 1 });
  });

  describe('defaults and paging', () => {
    it('defaults to page 1, limit 10, the first ten plans of the catalogue', async () => {
      const page = await listPlans('');
      expect(page.meta).toEqual({
        total: catalogPlans.length,
        page: 1,
        limit: 10,
        totalPages: Math.ceil(catalogPlans.length / 10),
      });
      expect(codes(page)).toEqual(allCodes.slice(0, 10));
    });

    it('serves the whole catalogue, ordered by planCode, each plan exactly as in the data file', async () => {
      const first = await listPlans('?limit=200');
      const second = await listPlans('?limit=200&page=2');
      expect(first.meta.totalPages).toBe(Math.ceil(catalogPlans.length / 200));
      expect([...first.items, ...second.items]).toEqual(catalogPlans);
    });

    it('returns consecutive slices for consecutive pages', async () => {
      const [one, two] = [await listPlans('?limit=5&page=1'), await listPlans('?limit=5&page=2')];
      expect(codes(one)).toEqual(allCodes.slice(0, 5));
      expect(codes(two)).toEqual(allCodes.slice(5, 10));
      expect(two.meta).toEqual({
        total: catalogPlans.length,
        page: 2,
        limit: 5,
        totalPages: Math.ceil(catalogPlans.length / 5),
      });
    });

    it.each([1, 7, 200])('computes totalPages = ceil(total / limit) for limit %i', async (limit) => {
      const page = await listPlans(`?limit=${limit}`);
      expect(page.items).toHaveLength(Math.min(limit, catalogPlans.length));
      expect(page.meta).toEqual({
        total: catalogPlans.length,
        page: 1,
        limit,
        totalPages: Math.ceil(catalogPlans.length / limit),
      });
    });

    it('answers a page past the end with no items and true metadata', async () => {
      const totalPages = Math.ceil(catalogPlans.length / 10);
      const page = await listPlans(`?page=${totalPages + 1}`);
      expect(page).toEqual({
        items: [],
        meta: { total: catalogPlans.length, page: totalPages + 1, limit: 10, totalPages },
      });
      const far = await listPlans('?page=1000000&countryCode=JP');
      expect(far.items).toEqual([]);
      expect(far.meta.total).toBe(plansWhere((p) => homeCountryOf(p) === 'JP').length);
    });

    it('gives the last page only the remaining plans', async () => {
      const totalPages = Math.ceil(catalogPlans.length / 10);
      const last = await listPlans(`?page=${totalPages}`);
      expect(codes(last)).toEqual(allCodes.slice((totalPages - 1) * 10));
    });
  });

  describe('filters', () => {
    it('matches countryCode against the home country only by default', async () => {
      const expected = plansWhere((p) => homeCountryOf(p) === 'JP');
      const page = await listPlans('?countryCode=JP&limit=200');
      expect(codes(page)).toEqual(expected);
      expect(await listPlans('?countryCode=JP&limit=200&includeRoaming=false')).toEqual(page);
    });

    it('matches home and roaming countries with includeRoaming=true', async () => {
      const expected = plansWhere((p) => p.coverages.some((c) => c.code === 'JP'));
      const page = await listPlans('?countryCode=JP&limit=200&includeRoaming=true');
      expect(codes(page)).toEqual(expected);
      expect(expected.length).toBeGreaterThan(plansWhere((p) => homeCountryOf(p) === 'JP').length);
    });

    it('finds a roaming-only country only with includeRoaming=true', async () => {
      expect(roamingOnlyCountries.length).toBeGreaterThan(0);
      const country = roamingOnlyCountries[0]!;
      const homeOnly = await listPlans(`?countryCode=${country}`);
      expect(homeOnly).toEqual({ items: [], meta: { total: 0, page: 1, limit: 10, totalPages: 0 } });
      const withRoaming = await listPlans(`?countryCode=${country}&includeRoaming=true&limit=200`);
      const expected = plansWhere((p) => roamingCountriesOf(p).includes(country));
      expect(expected.length).toBeGreaterThan(0);
      expect(codes(withRoaming)).toEqual(expected);
      expect(withRoaming.meta.total).toBe(expected.length);
    });

    it('filters by providerCode: KDDI gives only KDDI plans, KD0001 as in the catalogue', async () => {
      const page = await listPlans('?providerCode=KDDI&limit=200');
      expect(codes(page)).toEqual(plansWhere((p) => p.providerCode === 'KDDI'));
      expect(page.items.every((p) => p.providerCode === 'KDDI')).toBe(true);
      expect(page.items.find((p) => p.planCode === 'KD0001')).toEqual(catalogPlan('KD0001'));
    });

    it('combines providerCode and countryCode', async () => {
      const kddiAbroad = await listPlans('?providerCode=KDDI&countryCode=US');
      expect(kddiAbroad.meta.total).toBe(0);
      const kddiHome = await listPlans('?providerCode=KDDI&countryCode=JP&limit=200');
      expect(codes(kddiHome)).toEqual(plansWhere((p) => p.providerCode === 'KDDI'));
    });

    it('accepts a 32-character providerCode and finds nothing for an unknown one', async () => {
      const page = await listPlans(`?providerCode=${'A'.repeat(32)}`);
      expect(page).toEqual({ items: [], meta: { total: 0, page: 1, limit: 10, totalPages: 0 } });
    });
  });

  describe('query validation (400 VALIDATION_ERROR naming the parameter)', () => {
    it.each([
      ['countryCode=jp', 'query.countryCode', /pattern/],
      ['countryCode=JPN', 'query.countryCode', /pattern/],
      ['countryCode=J1', 'query.countryCode', /pattern/],
      ['countryCode=', 'query.countryCode', /pattern/],
      ['providerCode=kddi', 'query.providerCode', /pattern/],
      [`providerCode=${'A'.repeat(33)}`, 'query.providerCode', /pattern/],
      ['providerCode=KD%20DI', 'query.providerCode', /pattern/],
      ['page=0', 'query.page', />= 1/],
      ['limit=0', 'query.limit', />= 1/],
      ['limit=201', 'query.limit', /<= 200/],
      ['includeRoaming=1', 'query.includeRoaming', /boolean/],
      ['includeRoaming=yes', 'query.includeRoaming', /boolean/],
      ['includeRoaming=TRUE', 'query.includeRoaming', /boolean/],
      ['includeRoaming=', 'query.includeRoaming', /boolean/],
    ])('?%s -> 400 at %s', async (query, path, message) => {
      expectViolation(await t.call('GET', `/v1/plans?${query}`), path, message);
    });

    describe.each(['page', 'limit'])('%s accepts only plain decimal digits', (name) => {
      it.each(['0x10', '1e1', '1.0', '%205', '5%20', '-1', '+5', ''])(`${name}=%s -> 400`, async (value) => {
        expectViolation(await t.call('GET', `/v1/plans?${name}=${value}`), `query.${name}`);
      });

      it(`${name}=05 (leading zero, still decimal digits) is 5`, async () => {
        const page = await listPlans(`?${name}=05`);
        expect(page.meta[name as 'page' | 'limit']).toBe(5);
      });
    });

    it.each([
      ['countryCode=JP&countryCode=US', 'query.countryCode'],
      ['page=1&page=2', 'query.page'],
      ['limit=5&limit=5', 'query.limit'],
      ['includeRoaming=true&includeRoaming=true', 'query.includeRoaming'],
    ])('a parameter given twice (?%s) -> 400 at %s', async (query, path) => {
      expectViolation(await t.call('GET', `/v1/plans?${query}`), path, /once/);
    });

    it.each([
      ['foo=1', 'query.foo'],
      ['countrycode=JP', 'query.countrycode'],
      ['pageSize=5', 'query.pageSize'],
    ])('an unknown parameter (?%s) -> 400 naming it', async (query, path) => {
      expectViolation(await t.call('GET', `/v1/plans?${query}`), path, /not a known property/);
    });

    it('lists every invalid parameter, not only the first', async () => {
      const body = expectViolation(await t.call('GET', '/v1/plans?countryCode=jp&limit=0'), 'query.countryCode');
      expect(body.errors!.map((e) => e.path).sort()).toEqual(['query.countryCode', 'query.limit']);
    });
  });
});

describe('page numbers beyond 2^53 - 1', () => {
  it('refuses a page that JSON numbers cannot hold exactly', async () => {
    const res = await t.call('GET', '/v1/plans?page=9007199254740993');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ path: 'query.page', message: 'must be <= 9007199254740991' }]);
  });
});
