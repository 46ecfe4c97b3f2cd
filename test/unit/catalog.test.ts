import fs from 'node:fs';
import { describe, it, expect } from 'vitest';
import {
  buildCatalog,
  formatCents,
  serializeCatalog,
  type Catalog,
  type DataPlan,
} from '../../scripts/build-catalog.js';
import { COUNTRIES } from '../../scripts/catalog/operators.js';

const FILE = new URL('../../src/catalog/plans.json', import.meta.url);
const text = fs.readFileSync(FILE, 'utf8');
const catalog = JSON.parse(text) as Catalog;
const { plans, providers } = catalog;

const PLAN_KEYS = [
  'planCode',
  'planName',
  'planType',
  'providerCode',
  'coverages',
  'ipCountry',
  'dataCap',
  'dataUnit',
  'dataCapPer',
  'maxSpeed',
  'reducedSpeed',
  'tethering',
  'validityDays',
  'validityInfo',
  'activationInfo',
  'unusedTerminationDays',
  'netPrice',
  'suggestedRetailPrice',
  'telephony',
  'topUpSupported',
  'eKYC',
  'serviceRestrictions',
];
const ISO2 = /^[A-Z]{2}$/;
const PRICE = /^\d+\.\d{2}$/;

const providerByCode = new Map(providers.map((p) => [p.code, p]));

/** Home country of a plan (its provider's country); fails loudly on an unknown provider. */
function home(plan: DataPlan): string {
  const provider = providerByCode.get(plan.providerCode);
  if (!provider) throw new Error(`${plan.planCode}: unknown provider ${plan.providerCode}`);
  return provider.country;
}

/** "12.99" -> 1299, without floating point. */
function cents(price: string): number {
  const [units, frac] = price.split('.');
  return Number(units) * 100 + Number(frac);
}

/** Number of plans satisfying a predicate. */
function count(predicate: (p: DataPlan) => boolean): number {
  return plans.filter(predicate).length;
}

describe('catalogue file', () => {
  it('has the top-level shape { version, currency, providers, plans }', () => {
    expect(Object.keys(catalog)).toEqual(['version', 'currency', 'providers', 'plans']);
    expect(catalog.version).toBe(1);
    expect(catalog.currency).toBe('USD');
  });

  it('is exactly what the generator builds (2-space JSON, trailing newline)', () => {
    const built = buildCatalog();
    expect(built).toEqual(catalog);
    expect(serializeCatalog(built)).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.startsWith('{\n  "version": 1,\n')).toBe(true);
  });

  it('is described with current counts in CATALOG.md', () => {
    const doc = fs.readFileSync(new URL('../../src/catalog/CATALOG.md', import.meta.url), 'utf8');
    expect(doc).toContain(`${plans.length} plans from ${providers.length} providers`);
  });

  it('builds deterministically', () => {
    expect(serializeCatalog(buildCatalog())).toBe(serializeCatalog(buildCatalog()));
  });
});

describe('catalogue size and variety', () => {
  it('has 200 to 400 plans from at least 30 providers', () => {
    expect(plans.length).toBeGreaterThanOrEqual(200);
    expect(plans.length).toBeLessThanOrEqual(400);
    expect(providers.length).toBeGreaterThanOrEqual(30);
  });

  it('lists exactly the providers that have plans', () => {
    const withPlans = new Set(plans.map((p) => p.providerCode));
    expect([...providerByCode.keys()].sort()).toEqual([...withPlans].sort());
  });

  it('covers at least 40 countries and at least 40 home countries', () => {
    const covered = new Set(plans.flatMap((p) => p.coverages.map((c) => c.code)));
    expect(covered.size).toBeGreaterThanOrEqual(40);
    const homes = new Set(providers.map((p) => p.country));
    expect(homes.size).toBeGreaterThanOrEqual(40);
  });

  it('uses both plan types and both cap periods on at least 20 plans each', () => {
    expect(count((p) => p.planType === 'FIXED')).toBeGreaterThanOrEqual(20);
    expect(count((p) => p.planType === 'UNLIMITED')).toBeGreaterThanOrEqual(20);
    expect(count((p) => p.dataCapPer === 'DAY')).toBeGreaterThanOrEqual(20);
    expect(count((p) => p.dataCapPer === 'PLAN')).toBeGreaterThanOrEqual(20);
    expect(plans.length).toBe(count((p) => p.planType === 'FIXED') + count((p) => p.planType === 'UNLIMITED'));
    expect(plans.length).toBe(count((p) => p.dataCapPer === 'DAY') + count((p) => p.dataCapPer === 'PLAN'));
  });

  it('has at least 30 multi-country and 100 single-country plans', () => {
    expect(count((p) => p.coverages.length > 1)).toBeGreaterThanOrEqual(30);
    expect(count((p) => p.coverages.length === 1)).toBeGreaterThanOrEqual(100);
  });

  it('uses both 4G and 5G', () => {
    const types = new Set(plans.flatMap((p) => p.coverages.flatMap((c) => c.networks.flatMap((n) => n.types))));
    expect([...types].sort()).toEqual(['4G', '5G']);
  });

  it('mixes telephony, tethering, top-up and eKYC', () => {
    expect(count((p) => p.telephony.voice.outbound)).toBeGreaterThan(0);
    expect(count((p) => p.telephony.sms.inbound && !p.telephony.voice.inbound)).toBeGreaterThan(0);
    expect(count((p) => !p.telephony.voice.inbound && !p.telephony.sms.inbound)).toBeGreaterThan(plans.length / 2);
    expect(count((p) => p.eKYC)).toBeGreaterThan(0);
    expect(count((p) => !p.tethering)).toBeGreaterThan(0);
    expect(count((p) => p.topUpSupported)).toBeGreaterThan(0);
    expect(count((p) => !p.topUpSupported)).toBeGreaterThan(0);
  });
});

describe('providers', () => {
  it('have valid, unique, sorted codes and known home countries', () => {
    const codes = providers.map((p) => p.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual([...codes].sort());
    for (const p of providers) {
      expect(Object.keys(p)).toEqual(['code', 'name', 'country']);
      expect(p.code).toMatch(/^[A-Z0-9_-]{1,32}$/);
      expect(p.name.length).toBeGreaterThan(0);
      expect(p.country).toMatch(ISO2);
      expect(COUNTRIES[p.country]).toBeDefined();
    }
  });

  it('include well-known real operators in their real countries', () => {
    const expected: Record<string, string> = {
      KDDI: 'JP',
      DOCOMO: 'JP',
      SOFTBANK: 'JP',
      RAKUTEN: 'JP',
      SKT: 'KR',
      KT: 'KR',
      LGUPLUS: 'KR',
      CMHK: 'HK',
      CSL: 'HK',
      CHT: 'TW',
      TWM: 'TW',
      AIS: 'TH',
      TRUE: 'TH',
      SINGTEL: 'SG',
      STARHUB: 'SG',
      MAXIS: 'MY',
      TELKOMSEL: 'ID',
      GLOBE: 'PH',
      SMART: 'PH',
      VIETTEL: 'VN',
      TELSTRA: 'AU',
      OPTUS: 'AU',
      SPARK_NZ: 'NZ',
      ATT: 'US',
      TMOBILE_US: 'US',
      VERIZON: 'US',
      ROGERS: 'CA',
      BELL: 'CA',
      TELCEL: 'MX',
      VODAFONE_UK: 'GB',
      EE: 'GB',
      ORANGE_FR: 'FR',
      TELEKOM_DE: 'DE',
      MOVISTAR_ES: 'ES',
      TIM: 'IT',
      SWISSCOM: 'CH',
      KPN: 'NL',
      TURKCELL: 'TR',
      ETISALAT: 'AE',
      STC: 'SA',
      AIRTEL_IN: 'IN',
      VODACOM: 'ZA',
      CLARO_BR: 'BR',
    };
    for (const [code, country] of Object.entries(expected)) {
      expect(providerByCode.get(code)?.country, code).toBe(country);
    }
  });

  it('each use one distinct 2-letter plan-code prefix', () => {
    const prefixes = new Map<string, Set<string>>();
    for (const p of plans) {
      const set = prefixes.get(p.providerCode) ?? new Set<string>();
      set.add(p.planCode.slice(0, 2));
      prefixes.set(p.providerCode, set);
    }
    const all: string[] = [];
    for (const [provider, set] of prefixes) {
      expect(set.size, provider).toBe(1);
      all.push(...set);
    }
    expect(new Set(all).size).toBe(all.length);
    expect(prefixes.get('KDDI')).toEqual(new Set(['KD']));
  });
});

describe('every plan', () => {
  it('has unique, well-formed codes in ascending order', () => {
    const codes = plans.map((p) => p.planCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^[A-Z]{2}\d{4}$/);
    expect(codes).toEqual([...codes].sort());
  });

  it('has exactly the DataPlanResponseDto keys in order', () => {
    for (const p of plans) {
      expect(Object.keys(p), p.planCode).toEqual(PLAN_KEYS);
      expect(Object.keys(p.telephony), p.planCode).toEqual(['dialingCode', 'voice', 'sms']);
      expect(Object.keys(p.telephony.voice), p.planCode).toEqual(['inbound', 'outbound']);
      expect(Object.keys(p.telephony.sms), p.planCode).toEqual(['inbound', 'outbound']);
    }
  });

  it('has a non-empty name, unique within its provider', () => {
    const seen = new Set<string>();
    for (const p of plans) {
      expect(p.planName.trim().length, p.planCode).toBeGreaterThan(0);
      const key = `${p.providerCode}/${p.planName}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
    }
  });

  it('has valid enums, cap, speeds and reducedSpeed by plan type', () => {
    for (const p of plans) {
      expect(['FIXED', 'UNLIMITED'], p.planCode).toContain(p.planType);
      expect(['MB', 'GB'], p.planCode).toContain(p.dataUnit);
      expect(['DAY', 'PLAN'], p.planCode).toContain(p.dataCapPer);
      expect(p.dataCap, p.planCode).toBeGreaterThan(0);
      expect(Number.isInteger(p.dataCap * 10), p.planCode).toBe(true);
      expect(Number.isInteger(p.maxSpeed) && p.maxSpeed > 0, p.planCode).toBe(true);
      expect(Number.isInteger(p.reducedSpeed), p.planCode).toBe(true);
      expect(p.reducedSpeed, p.planCode).toBeLessThan(p.maxSpeed);
      if (p.planType === 'FIXED') expect(p.reducedSpeed, p.planCode).toBe(0);
      else expect(p.reducedSpeed, p.planCode).toBeGreaterThan(0);
    }
  });

  it('has coverage sorted by unique ISO code, including the home country', () => {
    for (const p of plans) {
      const codes = p.coverages.map((c) => c.code);
      expect(codes.length, p.planCode).toBeGreaterThan(0);
      for (const code of codes) expect(code, p.planCode).toMatch(ISO2);
      expect(new Set(codes).size, p.planCode).toBe(codes.length);
      expect(codes, p.planCode).toEqual([...codes].sort());
      expect(codes, p.planCode).toContain(home(p));
      expect(Object.keys(p.coverages[0] ?? {}), p.planCode).toEqual(['code', 'networks']);
    }
  });

  it('lists only real networks of each covered country, with radio types they really offer', () => {
    for (const p of plans) {
      for (const c of p.coverages) {
        const country = COUNTRIES[c.code];
        expect(country, `${p.planCode} ${c.code}`).toBeDefined();
        expect(c.networks.length, `${p.planCode} ${c.code}`).toBeGreaterThan(0);
        for (const n of c.networks) {
          const real = country?.networks.find((r) => r.name === n.name);
          expect(real, `${p.planCode} ${c.code} ${n.name}`).toBeDefined();
          expect(Object.keys(n)).toEqual(['name', 'types']);
          expect(n.types.length, `${p.planCode} ${c.code} ${n.name}`).toBeGreaterThan(0);
          expect(
            ['4G', '5G'].filter((t) => n.types.includes(t as '4G' | '5G')),
            p.planCode,
          ).toEqual(n.types);
          for (const t of n.types) expect(real?.types, `${p.planCode} ${c.code} ${n.name}`).toContain(t);
        }
      }
    }
  });

  it('breaks out to the internet in the provider home country', () => {
    for (const p of plans) {
      expect(p.ipCountry.length, p.planCode).toBeGreaterThan(0);
      for (const code of p.ipCountry) expect(code, p.planCode).toMatch(ISO2);
      expect(p.ipCountry, p.planCode).toEqual([home(p)]);
    }
  });

  it('has validity and activation texts consistent with validityDays', () => {
    for (const p of plans) {
      expect(Number.isInteger(p.validityDays), p.planCode).toBe(true);
      expect(p.validityDays, p.planCode).toBeGreaterThanOrEqual(1);
      expect(p.validityDays, p.planCode).toBeLessThanOrEqual(365);
      expect(p.validityInfo, p.planCode).toMatch(new RegExp(`\\b${p.validityDays} days?\\b`));
      expect(p.activationInfo.length, p.planCode).toBeGreaterThan(0);
      expect(Number.isInteger(p.unusedTerminationDays) && p.unusedTerminationDays > 0, p.planCode).toBe(true);
    }
  });

  it('has plausible USD prices: two decimals, net 70-85% of retail, retail ending .49 or .99', () => {
    for (const p of plans) {
      expect(p.netPrice, p.planCode).toMatch(PRICE);
      expect(p.suggestedRetailPrice, p.planCode).toMatch(PRICE);
      const net = cents(p.netPrice);
      const retail = cents(p.suggestedRetailPrice);
      expect(net, p.planCode).toBeLessThan(retail);
      expect(net * 100, p.planCode).toBeGreaterThanOrEqual(retail * 70);
      expect(net * 100, p.planCode).toBeLessThanOrEqual(retail * 85);
      expect(p.suggestedRetailPrice, p.planCode).toMatch(/\.(49|99)$/);
      expect(retail, p.planCode).toBeLessThan(100_00);
    }
  });

  it("has the home country's calling code and boolean service flags", () => {
    const dialing: Record<string, string> = { JP: '+81', KR: '+82', US: '+1', GB: '+44', HK: '+852', AE: '+971' };
    for (const p of plans) {
      expect(p.telephony.dialingCode, p.planCode).toBe(COUNTRIES[home(p)]?.dialingCode);
      expect(p.telephony.dialingCode, p.planCode).toMatch(/^\+\d{1,4}$/);
      const expected = dialing[home(p)];
      if (expected) expect(p.telephony.dialingCode, p.planCode).toBe(expected);
      for (const flag of [
        p.tethering,
        p.topUpSupported,
        p.eKYC,
        p.telephony.voice.inbound,
        p.telephony.voice.outbound,
        p.telephony.sms.inbound,
        p.telephony.sms.outbound,
      ]) {
        expect(typeof flag, p.planCode).toBe('boolean');
      }
    }
  });

  it('asks for eKYC only when a phone number comes with the plan', () => {
    for (const p of plans.filter((x) => x.eKYC)) {
      const t = p.telephony;
      expect(t.voice.inbound || t.voice.outbound || t.sms.inbound || t.sms.outbound, p.planCode).toBe(true);
    }
  });

  it('states its service restrictions', () => {
    for (const p of plans) expect(p.serviceRestrictions.trim().length, p.planCode).toBeGreaterThan(10);
  });
});

describe('known plans', () => {
  it('contains the API reference example KD0001 (with au as KDDI network and 7-day validity text)', () => {
    expect(plans.find((p) => p.planCode === 'KD0001')).toEqual({
      planCode: 'KD0001',
      planName: '1GB 7 Days Plan',
      planType: 'UNLIMITED',
      providerCode: 'KDDI',
      coverages: [{ code: 'JP', networks: [{ name: 'au', types: ['4G', '5G'] }] }],
      ipCountry: ['JP'],
      dataCap: 1,
      dataUnit: 'GB',
      dataCapPer: 'DAY',
      maxSpeed: 10000,
      reducedSpeed: 128,
      tethering: true,
      validityDays: 7,
      validityInfo: 'Valid for 7 days from first use',
      activationInfo: 'Validity starts when the eSIM first connects to a network',
      unusedTerminationDays: 180,
      netPrice: '9.99',
      suggestedRetailPrice: '12.99',
      telephony: {
        dialingCode: '+81',
        voice: { inbound: true, outbound: false },
        sms: { inbound: true, outbound: false },
      },
      topUpSupported: false,
      eKYC: false,
      serviceRestrictions: 'Unlimited on-device data. Tethering up to 3 GB total.',
    });
  });

  it('has KDDI as provider KDDI Corporation (au) in JP', () => {
    expect(providerByCode.get('KDDI')).toEqual({ code: 'KDDI', name: 'KDDI Corporation (au)', country: 'JP' });
  });

  it('has single-country plans that cover only home, on the operator network', () => {
    const docomo = plans.filter((p) => p.providerCode === 'DOCOMO' && p.coverages.length === 1);
    expect(docomo.length).toBeGreaterThan(0);
    for (const p of docomo) {
      expect(p.coverages.map((c) => c.code)).toEqual(['JP']);
      expect(p.coverages[0]?.networks.map((n) => n.name)).toEqual(['NTT Docomo']);
    }
  });

  it('has regional plans, e.g. Europe from Vodafone UK across the EU, CH and GB', () => {
    const europe = plans.filter((p) => p.providerCode === 'VODAFONE_UK' && p.planName.startsWith('Europe '));
    expect(europe.length).toBeGreaterThan(0);
    for (const p of europe) {
      const codes = p.coverages.map((c) => c.code);
      for (const code of ['GB', 'DE', 'FR', 'ES', 'IT', 'CH']) expect(codes).toContain(code);
      expect(p.ipCountry).toEqual(['GB']);
    }
  });
});

describe('formatCents', () => {
  it('formats integer cents without floating-point surprises', () => {
    expect(formatCents(1299)).toBe('12.99');
    expect(formatCents(5)).toBe('0.05');
    expect(formatCents(100)).toBe('1.00');
    expect(formatCents(1999)).toBe('19.99');
    expect(() => formatCents(12.5)).toThrow();
    expect(() => formatCents(-1)).toThrow();
  });
});
