/**
 * Loads the shipped plan catalogue (`src/catalog/plans.json`, built by
 * `scripts/build-catalog.ts`; see CATALOG.md) and checks it against the DataPlan schema,
 * so that a bad edit of the data file stops start-up instead of serving a wrong plan.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Value } from 'typebox/value';
import { DataPlan } from '../contract/plans.js';
import type { CatalogRow } from '../store/plans.js';

/** The data file, found from both `src/catalog` (tests) and `dist/catalog` (built server). */
export const CATALOG_FILE = new URL('../../src/catalog/plans.json', import.meta.url);

interface CatalogFile {
  providers: { code: string; name: string; country: string }[];
  plans: unknown[];
}

/** The catalogue's plans with their home countries, and the file's SHA-256 as its version. */
export interface LoadedCatalog {
  rows: CatalogRow[];
  version: string;
}

/**
 * Reads and checks the catalogue file.
 * @throws Error naming the plan and field that break the DataPlan schema, or a plan whose
 *   provider is not listed.
 */
export function loadCatalogFile(file: URL = CATALOG_FILE): LoadedCatalog {
  const text = readFileSync(file, 'utf8');
  const data = JSON.parse(text) as CatalogFile;
  const countryOf = new Map(data.providers.map((p) => [p.code, p.country]));
  const rows = data.plans.map((plan, index): CatalogRow => {
    if (!Value.Check(DataPlan, plan)) {
      const [first] = Value.Errors(DataPlan, plan);
      throw new Error(
        `catalogue plan #${index}: ${first?.instancePath ?? ''} ${first?.message ?? 'does not match DataPlan'}`,
      );
    }
    const homeCountry = countryOf.get(plan.providerCode);
    if (!homeCountry)
      throw new Error(`catalogue plan ${plan.planCode}: provider ${plan.providerCode} is not in providers`);
    return { plan, homeCountry };
  });
  return { rows, version: createHash('sha256').update(text).digest('hex') };
}
