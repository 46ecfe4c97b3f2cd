import { describe, expect, it } from 'vitest';
import { matchesFilter, searchPlans, toCatalogPlan, type CatalogPlan } from '../../src/domain/plans.js';
import { makePlan } from './fixtures.js';

describe('toCatalogPlan', () => {
  it("takes home from the provider's country and roaming from the other coverage codes, sorted and unique", () => {
    const plan = makePlan('AS0001', 'ASIA', ['TW', 'JP', 'KR', 'CN', 'KR']);
    const entry = toCatalogPlan(plan, 'JP');
    expect(entry.homeCountry).toBe('JP');
    expect(entry.roamingCountries).toEqual(['CN', 'KR', 'TW']);
    expect(entry.plan).toBe(plan);
  });

  it('has no roaming countries for a single-country plan', () => {
    expect(toCatalogPlan(makePlan('KD0001', 'KDDI', ['JP']), 'JP').roamingCountries).toEqual([]);
  });

  it('keeps every coverage country as roaming when the home country is not covered', () => {
    const entry = toCatalogPlan(makePlan('EU0001', 'EURO', ['FR', 'DE']), 'GB');
    expect(entry.homeCountry).toBe('GB');
    expect(entry.roamingCountries).toEqual(['DE', 'FR']);
  });
});

// Fixtures, deliberately unsorted by planCode.
const kddiJapan = toCatalogPlan(makePlan('KD0002', 'KDDI', ['JP']), 'JP');
const kddiAsia = toCatalogPlan(makePlan('KD0001', 'KDDI', ['JP', 'KR', 'TW']), 'JP');
const sktKorea = toCatalogPlan(makePlan('SK0001', 'SKT', ['KR']), 'KR');
const sktAsia = toCatalogPlan(makePlan('SK0002', 'SKT', ['KR', 'JP']), 'KR');
const docomo = toCatalogPlan(makePlan('DC0001', 'DOCOMO', ['JP']), 'JP');
const catalog: CatalogPlan[] = [sktAsia, kddiJapan, docomo, sktKorea, kddiAsia];
const codes = (entries: { planCode: string }[]) => entries.map((p) => p.planCode);

describe('matchesFilter', () => {
  it('matches everything with no filter', () => {
    for (const entry of catalog) expect(matchesFilter(entry, {})).toBe(true);
  });

  it('matches countryCode against the home country only by default', () => {
    expect(matchesFilter(sktAsia, { countryCode: 'JP' })).toBe(false);
    expect(matchesFilter(sktAsia, { countryCode: 'JP', includeRoaming: false })).toBe(false);
    expect(matchesFilter(sktAsia, { countryCode: 'KR' })).toBe(true);
    expect(matchesFilter(kddiAsia, { countryCode: 'JP' })).toBe(true);
  });

  it('matches roaming countries too with includeRoaming', () => {
    expect(matchesFilter(sktAsia, { countryCode: 'JP', includeRoaming: true })).toBe(true);
    expect(matchesFilter(kddiAsia, { countryCode: 'TW', includeRoaming: true })).toBe(true);
    expect(matchesFilter(kddiJapan, { countryCode: 'TW', includeRoaming: true })).toBe(false);
  });

  it('matches providerCode exactly', () => {
    expect(matchesFilter(kddiJapan, { providerCode: 'KDDI' })).toBe(true);
    expect(matchesFilter(kddiJapan, { providerCode: 'KDD' })).toBe(false);
    expect(matchesFilter(kddiJapan, { providerCode: 'kddi' })).toBe(false);
  });

  it('needs both when both are given', () => {
    expect(matchesFilter(sktAsia, { countryCode: 'JP', providerCode: 'SKT', includeRoaming: true })).toBe(true);
    expect(matchesFilter(sktAsia, { countryCode: 'JP', providerCode: 'SKT' })).toBe(false);
    expect(matchesFilter(kddiJapan, { countryCode: 'JP', providerCode: 'SKT' })).toBe(false);
  });
});

describe('searchPlans', () => {
  it('orders by planCode even when the catalogue is unsorted', () => {
    const page = searchPlans(catalog, {}, 1, 10);
    expect(codes(page.items)).toEqual(['DC0001', 'KD0001', 'KD0002', 'SK0001', 'SK0002']);
    expect(page.meta).toEqual({ total: 5, page: 1, limit: 10, totalPages: 1 });
  });

  it("does not reorder the caller's catalogue", () => {
    const before = catalog.map((e) => e.plan.planCode);
    searchPlans(catalog, {}, 1, 10);
    expect(catalog.map((e) => e.plan.planCode)).toEqual(before);
  });

  it('filters by home country, then home + roaming', () => {
    expect(codes(searchPlans(catalog, { countryCode: 'JP' }, 1, 10).items)).toEqual(['DC0001', 'KD0001', 'KD0002']);
    expect(codes(searchPlans(catalog, { countryCode: 'JP', includeRoaming: true }, 1, 10).items)).toEqual([
      'DC0001',
      'KD0001',
      'KD0002',
      'SK0002',
    ]);
    expect(codes(searchPlans(catalog, { countryCode: 'TW' }, 1, 10).items)).toEqual([]);
    expect(codes(searchPlans(catalog, { countryCode: 'TW', includeRoaming: true }, 1, 10).items)).toEqual(['KD0001']);
  });

  it('filters by provider, and by provider and country', () => {
    expect(codes(searchPlans(catalog, { providerCode: 'SKT' }, 1, 10).items)).toEqual(['SK0001', 'SK0002']);
    expect(
      codes(searchPlans(catalog, { providerCode: 'SKT', countryCode: 'JP', includeRoaming: true }, 1, 10).items),
    ).toEqual(['SK0002']);
    expect(searchPlans(catalog, { providerCode: 'NOPE' }, 1, 10).meta).toEqual({
      total: 0,
      page: 1,
      limit: 10,
      totalPages: 0,
    });
  });

  it('paginates with totalPages = ceil(total / limit)', () => {
    const first = searchPlans(catalog, {}, 1, 2);
    const second = searchPlans(catalog, {}, 2, 2);
    const third = searchPlans(catalog, {}, 3, 2);
    expect(codes(first.items)).toEqual(['DC0001', 'KD0001']);
    expect(codes(second.items)).toEqual(['KD0002', 'SK0001']);
    expect(codes(third.items)).toEqual(['SK0002']);
    expect(first.meta).toEqual({ total: 5, page: 1, limit: 2, totalPages: 3 });
    expect(third.meta).toEqual({ total: 5, page: 3, limit: 2, totalPages: 3 });
    expect(searchPlans(catalog, {}, 1, 5).meta.totalPages).toBe(1);
    expect(searchPlans(catalog, {}, 1, 4).meta.totalPages).toBe(2);
    expect(searchPlans(catalog, {}, 1, 1).meta.totalPages).toBe(5);
  });

  it('answers a page past the end with no items and true metadata', () => {
    expect(searchPlans(catalog, {}, 4, 2)).toEqual({ items: [], meta: { total: 5, page: 4, limit: 2, totalPages: 3 } });
    expect(searchPlans(catalog, { countryCode: 'JP' }, 99, 200)).toEqual({
      items: [],
      meta: { total: 3, page: 99, limit: 200, totalPages: 1 },
    });
  });

  it('returns the plans themselves', () => {
    expect(searchPlans(catalog, { providerCode: 'DOCOMO' }, 1, 10).items[0]).toBe(docomo.plan);
  });

  it('answers an empty catalogue with zero pages', () => {
    expect(searchPlans([], {}, 1, 10)).toEqual({ items: [], meta: { total: 0, page: 1, limit: 10, totalPages: 0 } });
  });
});
