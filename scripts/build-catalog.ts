/**
 * Builds the shipped data-plan catalogue, src/catalog/plans.json, from the operator
 * facts in ./catalog/operators.ts and the plan templates below.
 *
 * Run: `npx tsx scripts/build-catalog.ts` (or `npm run catalog:build`).
 *
 * The build is a pure function of the tables in this repository: no randomness, no
 * clock, no I/O except writing the file when run as a script. Running it twice gives
 * byte-identical output, and test/unit/catalog.test.ts checks that the committed
 * file equals what {@link buildCatalog} returns.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  COUNTRIES,
  OPERATORS,
  REGIONS,
  SIM_REGISTRATION_COUNTRIES,
  type Country,
  type Network,
  type Operator,
  type RadioType,
  type RegionId,
} from './catalog/operators.js';

// ---------------------------------------------------------------------------
// Output shapes (the API reference's DataPlanResponseDto, in its key order)
// ---------------------------------------------------------------------------

/** FIXED: data stops at the cap. UNLIMITED: never cut off, throttled after the cap. */
export type PlanType = 'FIXED' | 'UNLIMITED';
/** Unit of {@link DataPlan.dataCap}: 1 GB = 1024 MB = 1048576 KB. */
export type DataUnit = 'MB' | 'GB';
/** DAY: the cap resets every day at midnight Japan time (UTC+9). PLAN: one cap for the whole validity. */
export type DataCapPer = 'DAY' | 'PLAN';

/** One network of a covered country: brand name and radio types ("4G" before "5G"). */
export interface CoverageNetwork {
  name: string;
  types: RadioType[];
}

/** A covered country (ISO alpha-2 `code`) and the networks the plan can attach to there. */
export interface Coverage {
  code: string;
  networks: CoverageNetwork[];
}

/** Inbound / outbound availability of one service (voice or SMS). */
export interface Direction {
  inbound: boolean;
  outbound: boolean;
}

/** Telephony of a plan; `dialingCode` is the home country's calling code ("+81"). */
export interface Telephony {
  dialingCode: string;
  voice: Direction;
  sms: Direction;
}

/**
 * A data plan exactly as served by `GET /v1/plans`.
 * Speeds are kbps, prices are USD decimal strings with two decimals ("9.99"),
 * `validityDays` and `unusedTerminationDays` are days.
 */
export interface DataPlan {
  planCode: string;
  planName: string;
  planType: PlanType;
  providerCode: string;
  coverages: Coverage[];
  ipCountry: string[];
  dataCap: number;
  dataUnit: DataUnit;
  dataCapPer: DataCapPer;
  maxSpeed: number;
  reducedSpeed: number;
  tethering: boolean;
  validityDays: number;
  validityInfo: string;
  activationInfo: string;
  unusedTerminationDays: number;
  netPrice: string;
  suggestedRetailPrice: string;
  telephony: Telephony;
  topUpSupported: boolean;
  eKYC: boolean;
  serviceRestrictions: string;
}

/** A provider (eSIM issuer); `country` is its home country, ISO alpha-2. */
export interface Provider {
  code: string;
  name: string;
  country: string;
}

/** The whole file: providers sorted by code, plans sorted by planCode. */
export interface Catalog {
  version: 1;
  currency: 'USD';
  providers: Provider[];
  plans: DataPlan[];
}

// ---------------------------------------------------------------------------
// Plan templates
// ---------------------------------------------------------------------------

/** Which services a plan includes besides data. */
type TelephonyProfile = 'DATA_ONLY' | 'SMS_IN' | 'VOICE_SMS_IN' | 'VOICE_SMS_FULL';

/** When the validity clock starts. */
type ActivationRule = 'FIRST_CONNECT' | 'INSTALL' | 'COVERED_CONNECT';

/** The commercial shape of a plan, independent of who sells it and where. */
interface PlanTemplate {
  type: PlanType;
  cap: number;
  unit: DataUnit;
  per: DataCapPer;
  days: number;
  /** kbps */
  maxSpeed: number;
  /** kbps; 0 for FIXED */
  reducedSpeed: number;
  tethering: boolean;
  telephony: TelephonyProfile;
  topUp: boolean;
  unusedTerminationDays: number;
  activation: ActivationRule;
  /** Budget tiers are sold on the LTE layer only, even where the network has 5G. */
  lteOnly?: boolean;
  /** Roaming partners are offered with 5G; otherwise roaming is 4G only (most roaming deals). */
  roaming5G?: boolean;
}

/** Fields fixed by hand instead of derived (used for the API reference's example plan). */
interface PlanOverrides {
  name?: string;
  /** integer cents */
  netCents?: number;
  /** integer cents */
  retailCents?: number;
  restrictions?: string;
}

/** Where a plan works: the provider's home country only, or a travel region. */
type Area = { kind: 'home' } | { kind: 'region'; region: RegionId };

/** One plan to materialise for one operator. */
interface PlanSpec {
  template: PlanTemplate;
  area: Area;
  overrides?: PlanOverrides;
}

/** Template constructor with the defaults most plans share. */
function tpl(
  fields: Pick<PlanTemplate, 'type' | 'cap' | 'unit' | 'per' | 'days' | 'maxSpeed'> & Partial<PlanTemplate>,
): PlanTemplate {
  return {
    reducedSpeed: 0,
    tethering: true,
    telephony: 'DATA_ONLY',
    topUp: fields.type === 'FIXED' && fields.per === 'PLAN',
    unusedTerminationDays: 180,
    activation: 'FIRST_CONNECT',
    ...fields,
  };
}

/**
 * The API reference's own example (KD0001), pinned field by field. Two fixes over the
 * reference: KDDI's network is "au" (the reference says "NTT Docomo", a competitor),
 * and the validity text says 7 days to match validityDays (the reference says 30).
 */
const SEED_PLAN: PlanSpec = {
  area: { kind: 'home' },
  template: tpl({
    type: 'UNLIMITED',
    cap: 1,
    unit: 'GB',
    per: 'DAY',
    days: 7,
    maxSpeed: 10000,
    reducedSpeed: 128,
    telephony: 'VOICE_SMS_IN',
    topUp: false,
  }),
  overrides: {
    name: '1GB 7 Days Plan',
    netCents: 999,
    retailCents: 1299,
    restrictions: 'Unlimited on-device data. Tethering up to 3 GB total.',
  },
};

/** Plans pinned at the start of an operator's line-up, so their codes are stable. */
const PINNED: Readonly<Record<string, readonly PlanSpec[]>> = { KDDI: [SEED_PLAN] };

/** Single-country plans every operator sells. */
const CORE_TEMPLATES: readonly PlanTemplate[] = [
  tpl({ type: 'FIXED', cap: 1, unit: 'GB', per: 'PLAN', days: 7, maxSpeed: 50000 }),
  tpl({ type: 'UNLIMITED', cap: 2, unit: 'GB', per: 'DAY', days: 5, maxSpeed: 150000, reducedSpeed: 512 }),
];

/** Further single-country plans; each operator takes a few, chosen by index. */
const EXTRA_TEMPLATES: readonly PlanTemplate[] = [
  tpl({
    type: 'FIXED',
    cap: 500,
    unit: 'MB',
    per: 'PLAN',
    days: 1,
    maxSpeed: 20000,
    tethering: false,
    topUp: false,
    unusedTerminationDays: 90,
    lteOnly: true,
  }),
  tpl({ type: 'FIXED', cap: 3, unit: 'GB', per: 'PLAN', days: 15, maxSpeed: 50000 }),
  tpl({ type: 'FIXED', cap: 10, unit: 'GB', per: 'PLAN', days: 30, maxSpeed: 150000, telephony: 'SMS_IN' }),
  tpl({ type: 'FIXED', cap: 20, unit: 'GB', per: 'PLAN', days: 30, maxSpeed: 150000 }),
  tpl({ type: 'FIXED', cap: 50, unit: 'GB', per: 'PLAN', days: 30, maxSpeed: 300000 }),
  tpl({ type: 'FIXED', cap: 1, unit: 'GB', per: 'DAY', days: 30, maxSpeed: 20000 }),
  tpl({
    type: 'UNLIMITED',
    cap: 500,
    unit: 'MB',
    per: 'DAY',
    days: 30,
    maxSpeed: 10000,
    reducedSpeed: 128,
    tethering: false,
    lteOnly: true,
  }),
  tpl({ type: 'UNLIMITED', cap: 3, unit: 'GB', per: 'DAY', days: 10, maxSpeed: 150000, reducedSpeed: 1000 }),
  tpl({ type: 'UNLIMITED', cap: 30, unit: 'GB', per: 'PLAN', days: 15, maxSpeed: 150000, reducedSpeed: 1000 }),
  tpl({
    type: 'UNLIMITED',
    cap: 50,
    unit: 'GB',
    per: 'PLAN',
    days: 30,
    maxSpeed: 300000,
    reducedSpeed: 512,
    activation: 'INSTALL',
  }),
  tpl({
    type: 'FIXED',
    cap: 10,
    unit: 'GB',
    per: 'PLAN',
    days: 30,
    maxSpeed: 150000,
    telephony: 'VOICE_SMS_FULL',
    unusedTerminationDays: 30,
  }),
  tpl({
    type: 'FIXED',
    cap: 20,
    unit: 'GB',
    per: 'PLAN',
    days: 180,
    maxSpeed: 150000,
    telephony: 'SMS_IN',
    unusedTerminationDays: 365,
    activation: 'INSTALL',
  }),
  tpl({
    type: 'FIXED',
    cap: 50,
    unit: 'GB',
    per: 'PLAN',
    days: 365,
    maxSpeed: 150000,
    unusedTerminationDays: 365,
    activation: 'INSTALL',
  }),
  tpl({
    type: 'UNLIMITED',
    cap: 1,
    unit: 'GB',
    per: 'DAY',
    days: 15,
    maxSpeed: 50000,
    reducedSpeed: 256,
    telephony: 'VOICE_SMS_IN',
  }),
  tpl({ type: 'UNLIMITED', cap: 5, unit: 'GB', per: 'DAY', days: 3, maxSpeed: 300000, reducedSpeed: 1000 }),
  tpl({ type: 'FIXED', cap: 100, unit: 'GB', per: 'PLAN', days: 90, maxSpeed: 300000, unusedTerminationDays: 365 }),
];

/** Multi-country plans; each region an operator sells gets two of these, chosen by index. */
const REGION_TEMPLATES: readonly PlanTemplate[] = [
  tpl({ type: 'FIXED', cap: 5, unit: 'GB', per: 'PLAN', days: 15, maxSpeed: 50000, activation: 'COVERED_CONNECT' }),
  tpl({
    type: 'FIXED',
    cap: 20,
    unit: 'GB',
    per: 'PLAN',
    days: 30,
    maxSpeed: 150000,
    activation: 'COVERED_CONNECT',
    roaming5G: true,
  }),
  tpl({
    type: 'UNLIMITED',
    cap: 2,
    unit: 'GB',
    per: 'DAY',
    days: 7,
    maxSpeed: 50000,
    reducedSpeed: 384,
    activation: 'COVERED_CONNECT',
  }),
  tpl({
    type: 'UNLIMITED',
    cap: 10,
    unit: 'GB',
    per: 'PLAN',
    days: 10,
    maxSpeed: 150000,
    reducedSpeed: 512,
    activation: 'COVERED_CONNECT',
    roaming5G: true,
  }),
  tpl({
    type: 'FIXED',
    cap: 10,
    unit: 'GB',
    per: 'PLAN',
    days: 90,
    maxSpeed: 50000,
    telephony: 'SMS_IN',
    unusedTerminationDays: 365,
  }),
];

/** How many extra single-country templates an operator sells. */
function extraCount(operator: Operator, operatorIndex: number): number {
  if (operator.flagship) return 4;
  return operatorIndex % 2 === 0 ? 2 : 1;
}

/**
 * Picks `count` distinct templates from `pool`, starting at a per-operator offset.
 * The stride is coprime with the pool sizes used, so picks never repeat.
 */
function pick<T>(pool: readonly T[], start: number, count: number, stride: number): T[] {
  const picked: T[] = [];
  for (let i = 0; i < count; i++) {
    const item = pool[(start + i * stride) % pool.length];
    if (item !== undefined) picked.push(item);
  }
  return picked;
}

/** The ordered list of plans an operator sells; the order fixes the plan codes. */
function lineup(operator: Operator, operatorIndex: number): PlanSpec[] {
  const home: Area = { kind: 'home' };
  const specs: PlanSpec[] = [...(PINNED[operator.code] ?? [])];
  for (const template of CORE_TEMPLATES) specs.push({ template, area: home });
  for (const template of pick(EXTRA_TEMPLATES, operatorIndex * 5, extraCount(operator, operatorIndex), 3)) {
    specs.push({ template, area: home });
  }
  operator.regions.forEach((region, regionIndex) => {
    for (const template of pick(REGION_TEMPLATES, operatorIndex + regionIndex * 2, 2, 2)) {
      specs.push({ template, area: { kind: 'region', region } });
    }
  });
  return specs;
}

// ---------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------

/** The country entry for an ISO code; throws on a typo in the tables. */
function country(code: string): Country {
  const found = COUNTRIES[code];
  if (!found) throw new Error(`unknown country ${code}`);
  return found;
}

/** The operator's own network in its home country; throws if the tables disagree. */
function ownNetwork(operator: Operator): Network {
  const found = country(operator.country).networks.find((n) => n.name === operator.network);
  if (!found) throw new Error(`${operator.code}: network ${operator.network} not listed in ${operator.country}`);
  return found;
}

// ---------------------------------------------------------------------------
// Coverage
// ---------------------------------------------------------------------------

/** Radio types offered on a network under a template's restrictions. */
function offeredTypes(network: Network, allow5G: boolean): RadioType[] {
  return network.types.filter((t) => t === '4G' || allow5G);
}

/**
 * Roaming partners in one country: a same-brand affiliate first (Vodafone roams on
 * Vodafone), then the others rotated by operator so partners spread across networks.
 */
function partners(code: string, operator: Operator, operatorIndex: number, count: number): Network[] {
  const networks = country(code).networks;
  const affiliates = networks.filter((n) => n.name === operator.network);
  const others = networks.filter((n) => n.name !== operator.network);
  const offset = others.length === 0 ? 0 : operatorIndex % others.length;
  const rotated = [...others.slice(offset), ...others.slice(0, offset)];
  return [...affiliates, ...rotated].slice(0, count);
}

/** Covered countries of a spec, sorted, always including the operator's home. */
function coveredCountries(operator: Operator, area: Area): string[] {
  if (area.kind === 'home') return [operator.country];
  const codes = new Set([...REGIONS[area.region].countries, operator.country]);
  return [...codes].sort();
}

/** Coverage list: own network at home, roaming partners elsewhere (fewer for big regions). */
function coverages(operator: Operator, operatorIndex: number, spec: PlanSpec): Coverage[] {
  const codes = coveredCountries(operator, spec.area);
  const partnersPerCountry = codes.length >= 10 ? 1 : 2;
  const t = spec.template;
  return codes.map((code) => {
    if (code === operator.country) {
      const own = ownNetwork(operator);
      return { code, networks: [{ name: own.name, types: offeredTypes(own, !t.lteOnly) }] };
    }
    const roaming = partners(code, operator, operatorIndex, partnersPerCountry);
    return { code, networks: roaming.map((n) => ({ name: n.name, types: offeredTypes(n, t.roaming5G === true) })) };
  });
}

// ---------------------------------------------------------------------------
// Telephony and eKYC
// ---------------------------------------------------------------------------

/** Telephony object for a profile, with the home country's calling code. */
function telephony(profile: TelephonyProfile, home: string): Telephony {
  const voiceIn = profile === 'VOICE_SMS_IN' || profile === 'VOICE_SMS_FULL';
  const smsIn = profile !== 'DATA_ONLY';
  const full = profile === 'VOICE_SMS_FULL';
  return {
    dialingCode: country(home).dialingCode,
    voice: { inbound: voiceIn, outbound: full },
    sms: { inbound: smsIn, outbound: full },
  };
}

/**
 * Identity verification is needed where a callable local number is issued in a
 * country with mandatory SIM registration, and for any Chinese mainland number
 * (real-name registration applies even to SMS-only numbers).
 */
function needsEkyc(profile: TelephonyProfile, home: string): boolean {
  if (home === 'CN') return profile !== 'DATA_ONLY';
  return profile === 'VOICE_SMS_FULL' && SIM_REGISTRATION_COUNTRIES.has(home);
}

// ---------------------------------------------------------------------------
// Texts
// ---------------------------------------------------------------------------

/** "1 Day" / "7 Days". */
function daysText(days: number): string {
  return days === 1 ? '1 Day' : `${days} Days`;
}

/** Speed for humans: 128 -> "128 kbps", 1000 -> "1 Mbps". */
function speedText(kbps: number): string {
  return kbps % 1000 === 0 ? `${kbps / 1000} Mbps` : `${kbps} kbps`;
}

/** Plan name, unique per operator because the templates differ in type, cap or days. */
function planName(area: string, t: PlanTemplate): string {
  const vol = `${t.cap}${t.unit}`;
  if (t.telephony === 'VOICE_SMS_FULL') return `${area} Voice + ${vol} ${daysText(t.days)}`;
  if (t.type === 'UNLIMITED') {
    return t.per === 'DAY'
      ? `${area} Unlimited ${daysText(t.days)} (${vol}/day)`
      : `${area} Unlimited ${daysText(t.days)} (${vol} high speed)`;
  }
  return t.per === 'DAY' ? `${area} ${vol}/Day ${daysText(t.days)}` : `${area} ${vol} ${daysText(t.days)}`;
}

/** Human validity text; always contains the number of days. */
function validityInfo(t: PlanTemplate): string {
  const span = t.days === 1 ? '1 day (24 hours)' : `${t.days} days`;
  switch (t.activation) {
    case 'FIRST_CONNECT':
      return `Valid for ${span} from first use`;
    case 'INSTALL':
      return `Valid for ${span} from installation`;
    case 'COVERED_CONNECT':
      return `Valid for ${span} from first use in a covered country`;
  }
}

/** Human activation text matching the activation rule. */
function activationInfo(rule: ActivationRule): string {
  switch (rule) {
    case 'FIRST_CONNECT':
      return 'Validity starts when the eSIM first connects to a network';
    case 'INSTALL':
      return 'Validity starts when the eSIM profile is installed on a device';
    case 'COVERED_CONNECT':
      return 'Validity starts when the eSIM first connects to a network in a covered country';
  }
}

/** Sentence on what besides data is included. */
function telephonySentence(profile: TelephonyProfile): string {
  switch (profile) {
    case 'DATA_ONLY':
      return 'Data only. No voice or SMS.';
    case 'SMS_IN':
      return 'Inbound SMS only (e.g. verification codes). No voice.';
    case 'VOICE_SMS_IN':
      return 'Inbound calls and SMS only.';
    case 'VOICE_SMS_FULL':
      return 'Local number with calls and SMS.';
  }
}

/** Sentence on what happens at the data cap. */
function capSentence(t: PlanTemplate): string {
  const vol = `${t.cap} ${t.unit}`;
  if (t.type === 'UNLIMITED') {
    return t.per === 'DAY'
      ? `Fair use: speed reduced to ${speedText(t.reducedSpeed)} after ${vol} per day (Japan time).`
      : `Speed reduced to ${speedText(t.reducedSpeed)} after ${vol} in total; never cut off.`;
  }
  if (t.per === 'DAY') return `Data stops after ${vol} in a day and resumes at midnight Japan time.`;
  return t.topUp
    ? `Data stops when the ${vol} allowance is used up; top up to continue.`
    : `Data stops when the ${vol} allowance is used up.`;
}

/** The plan's restrictions, assembled from telephony, cap, tethering and roaming facts. */
function serviceRestrictions(t: PlanTemplate, ekyc: boolean, operator: Operator, covered: number): string {
  const parts = [telephonySentence(t.telephony)];
  if (ekyc) parts.push('Identity verification (eKYC) required before activation.');
  parts.push(capSentence(t));
  if (!t.tethering) parts.push('No tethering or hotspot.');
  if (t.lteOnly) parts.push('4G only.');
  if (covered > 1) parts.push(`Roams in ${covered} countries; IP address in ${country(operator.country).name}.`);
  return parts.join(' ');
}

// ---------------------------------------------------------------------------
// Pricing (integer cents throughout)
// ---------------------------------------------------------------------------

/** Retail price curve for a volume used at home: [MB, cents], piecewise linear, concave. */
const VOLUME_CURVE: readonly (readonly [number, number])[] = [
  [0, 200],
  [512, 350],
  [1024, 450],
  [3072, 750],
  [5120, 950],
  [10240, 1500],
  [20480, 2400],
  [30720, 3100],
  [51200, 4300],
  [102400, 6500],
  [1048576, 25000],
];

/** Interpolates {@link VOLUME_CURVE}; result in whole cents. */
function volumeCents(mb: number): number {
  for (let i = 1; i < VOLUME_CURVE.length; i++) {
    const lo = VOLUME_CURVE[i - 1];
    const hi = VOLUME_CURVE[i];
    if (lo && hi && mb <= hi[0]) return Math.round(lo[1] + ((hi[1] - lo[1]) * (mb - lo[0])) / (hi[0] - lo[0]));
  }
  throw new Error(`volume ${mb} MB beyond price curve`);
}

/** Extra cents per day of validity: long validity is worth something even at equal volume. */
const CENTS_PER_DAY = 5;
/** Extra cents for telephony, by profile. */
const TELEPHONY_CENTS: Readonly<Record<TelephonyProfile, number>> = {
  DATA_ONLY: 0,
  SMS_IN: 50,
  VOICE_SMS_IN: 150,
  VOICE_SMS_FULL: 550,
};

/**
 * Pricing rule: volume price (a daily cap counts as 60% of cap x days, the usual
 * average use) + 5 cents per day + telephony; UNLIMITED adds 5/10/15% by throttled
 * speed (<384, <1000, >=1000 kbps); times the home country's price index and the
 * region factor; snapped to a .49/.99 retail price (minimum 1.99).
 */
function retailCents(t: PlanTemplate, home: string, area: Area): number {
  const capMb = t.unit === 'GB' ? t.cap * 1024 : t.cap;
  const usedMb = t.per === 'PLAN' ? capMb : Math.round((capMb * t.days * 3) / 5);
  let cents = volumeCents(usedMb) + CENTS_PER_DAY * t.days + TELEPHONY_CENTS[t.telephony];
  if (t.type === 'UNLIMITED') {
    const premium = t.reducedSpeed >= 1000 ? 115 : t.reducedSpeed >= 384 ? 110 : 105;
    cents = (cents * premium) / 100;
  }
  cents = (cents * country(home).priceIndex) / 100;
  if (area.kind === 'region') cents = (cents * REGIONS[area.region].priceFactor) / 100;
  return Math.max(199, Math.round(cents / 50) * 50 - 1);
}

/**
 * Net (wholesale) price: 71..84% of retail, varied by operator and plan index, floored
 * to cents; flooring keeps the result within 70..85% for any retail price of 1.99 or more.
 */
function netCents(retail: number, operatorIndex: number, seq: number): number {
  const percent = 71 + ((operatorIndex * 7 + seq * 5) % 14);
  return Math.floor((retail * percent) / 100);
}

/** Cents to a two-decimal string without floating point: 1299 -> "12.99". */
export function formatCents(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new Error(`bad cents ${cents}`);
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------
// Assembly
// ---------------------------------------------------------------------------

/** Plan code: provider prefix + 4-digit sequence, e.g. ("KD", 1) -> "KD0001". */
function planCode(prefix: string, seq: number): string {
  return `${prefix}${String(seq).padStart(4, '0')}`;
}

/** Materialises one spec into a DataPlan (key order = the API reference's). */
function buildPlan(operator: Operator, operatorIndex: number, spec: PlanSpec, seq: number): DataPlan {
  const t = spec.template;
  const o = spec.overrides ?? {};
  const home = operator.country;
  const cov = coverages(operator, operatorIndex, spec);
  const areaName = spec.area.kind === 'home' ? country(home).name : REGIONS[spec.area.region].name;
  const ekyc = needsEkyc(t.telephony, home);
  const retail = o.retailCents ?? retailCents(t, home, spec.area);
  const net = o.netCents ?? netCents(retail, operatorIndex, seq);
  return {
    planCode: planCode(operator.prefix, seq),
    planName: o.name ?? planName(areaName, t),
    planType: t.type,
    providerCode: operator.code,
    coverages: cov,
    // Roaming is home-routed: the IP breakout stays in the provider's country.
    ipCountry: [home],
    dataCap: t.cap,
    dataUnit: t.unit,
    dataCapPer: t.per,
    maxSpeed: t.maxSpeed,
    reducedSpeed: t.reducedSpeed,
    tethering: t.tethering,
    validityDays: t.days,
    validityInfo: validityInfo(t),
    activationInfo: activationInfo(t.activation),
    unusedTerminationDays: t.unusedTerminationDays,
    netPrice: formatCents(net),
    suggestedRetailPrice: formatCents(retail),
    telephony: telephony(t.telephony, home),
    topUpSupported: t.topUp,
    eKYC: ekyc,
    serviceRestrictions: o.restrictions ?? serviceRestrictions(t, ekyc, operator, cov.length),
  };
}

/** Throws if a key repeats; the tables are hand-edited, so guard against copy-paste slips. */
function assertUnique(values: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw new Error(`duplicate ${what}: ${v}`);
    seen.add(v);
  }
}

/**
 * Builds the whole catalogue in memory. Pure and deterministic: same tables, same
 * object, whatever the time, machine or run.
 * Returns `{ version: 1, currency: "USD", providers: Provider[], plans: DataPlan[] }`,
 * providers sorted by code, plans by planCode.
 */
export function buildCatalog(): Catalog {
  assertUnique(
    OPERATORS.map((o) => o.code),
    'provider code',
  );
  assertUnique(
    OPERATORS.map((o) => o.prefix),
    'plan code prefix',
  );
  const plans = OPERATORS.flatMap((operator, operatorIndex) => {
    const built = lineup(operator, operatorIndex).map((spec, i) => buildPlan(operator, operatorIndex, spec, i + 1));
    assertUnique(
      built.map((p) => p.planName),
      `plan name of ${operator.code}`,
    );
    return built;
  });
  const providers = OPERATORS.map(({ code, name, country: home }) => ({ code, name, country: home }));
  return {
    version: 1,
    currency: 'USD',
    providers: providers.sort((a, b) => compare(a.code, b.code)),
    plans: plans.sort((a, b) => compare(a.planCode, b.planCode)),
  };
}

/** Code-point comparison, independent of the machine's locale (unlike localeCompare). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The exact file content: 2-space JSON with a trailing newline. */
export function serializeCatalog(catalog: Catalog): string {
  return `${JSON.stringify(catalog, null, 2)}\n`;
}

/** Where the generated file lives, relative to this script. */
export const CATALOG_FILE = new URL('../src/catalog/plans.json', import.meta.url);

const runDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (runDirectly) {
  const catalog = buildCatalog();
  writeFileSync(CATALOG_FILE, serializeCatalog(catalog));
  console.log(
    `wrote ${catalog.plans.length} plans from ${catalog.providers.length} providers to ${CATALOG_FILE.pathname}`,
  );
}
