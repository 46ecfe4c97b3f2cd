/**
 * Plan search rules (the seed reference, `GET /v1/plans`; DESIGN.md section 3, Plans).
 * Pure functions over the catalogue: no I/O.
 */
import type { DataPlan } from '../contract/plans.js';

/** A catalogue plan with the countries derived from its provider (esimProvider.country). */
export interface CatalogPlan {
  plan: DataPlan;
  /** ISO 3166-1 alpha-2 country of the plan's provider. */
  homeCountry: string;
  /** Coverage countries other than home, sorted. */
  roamingCountries: string[];
}

/** Filters of the plan search; absent fields do not filter. */
export interface PlanFilter {
  countryCode?: string | undefined;
  providerCode?: string | undefined;
  /** When true, `countryCode` also matches roaming countries (default false: home only). */
  includeRoaming?: boolean | undefined;
}

/** One page of results and the seed's pagination metadata. */
export interface Page<T> {
  items: T[];
  meta: { total: number; page: number; limit: number; totalPages: number };
}

/**
 * Derives a plan's home and roaming countries: home is the provider's country, roaming is
 * every other coverage country (DESIGN.md section 3).
 */
export function toCatalogPlan(plan: DataPlan, providerCountry: string): CatalogPlan {
  const roamingCountries = [...new Set(plan.coverages.map((c) => c.code))]
    .filter((code) => code !== providerCountry)
    .sort();
  return { plan, homeCountry: providerCountry, roamingCountries };
}

/** True when the plan passes every filter given. */
export function matchesFilter(entry: CatalogPlan, filter: PlanFilter): boolean {
  if (filter.providerCode !== undefined && entry.plan.providerCode !== filter.providerCode) return false;
  if (filter.countryCode !== undefined) {
    const home = entry.homeCountry === filter.countryCode;
    const roaming = filter.includeRoaming === true && entry.roamingCountries.includes(filter.countryCode);
    if (!home && !roaming) return false;
  }
  return true;
}

/**
 * The plans matching `filter`, ordered by planCode, cut to one page.
 * A page past the end has no items but true metadata (DESIGN.md section 2, Validation).
 * @param page 1-based page number; @param limit items per page (1-200).
 */
export function searchPlans(
  catalog: readonly CatalogPlan[],
  filter: PlanFilter,
  page: number,
  limit: number,
): Page<DataPlan> {
  const matching = catalog.filter((entry) => matchesFilter(entry, filter)).sort(byPlanCode);
  const start = (page - 1) * limit;
  return {
    items: matching.slice(start, start + limit).map((entry) => entry.plan),
    meta: { total: matching.length, page, limit, totalPages: Math.ceil(matching.length / limit) },
  };
}

function byPlanCode(a: CatalogPlan, b: CatalogPlan): number {
  return a.plan.planCode < b.plan.planCode ? -1 : a.plan.planCode > b.plan.planCode ? 1 : 0;
}
