/**
 * Hand-curated facts behind the shipped plan catalogue: countries with their real
 * mobile networks, the real operators that act as eSIM providers, and the travel
 * regions their roaming plans cover.
 *
 * Sources: public knowledge (operators' own consumer sites, national regulators'
 * licence lists and press coverage of 5G launches up to 2025). Only facts that are
 * widely published are used: operator names, the brand each network is sold under,
 * and whether that network runs a commercial 5G service. Where a 5G launch was
 * recent or unclear, the network is listed as 4G only, on purpose: understating is
 * safer than claiming coverage that may not exist.
 *
 * Nothing here is priced or generated; scripts/build-catalog.ts turns these facts
 * into plans.
 */

/** Radio access technology a network offers to eSIM roamers and subscribers. */
export type RadioType = '4G' | '5G';

/** A mobile network as a subscriber sees it: the brand name shown on the phone. */
export interface Network {
  /** Brand name, e.g. "NTT Docomo", "EE", "T-Mobile". Unique within its country. */
  readonly name: string;
  /** Radio types with a commercial service, always in the order ["4G", "5G"]. */
  readonly types: readonly RadioType[];
}

/** A country (or territory) that plans can cover. */
export interface Country {
  /** English short name, used in plan names ("Japan 3GB 15 Days"). */
  readonly name: string;
  /** International calling code with a leading "+", e.g. "+81". */
  readonly dialingCode: string;
  /**
   * Relative local price level in percent (100 = Japan / Western Europe baseline),
   * applied to a plan's retail price when this is the provider's home country.
   */
  readonly priceIndex: number;
  /** The country's mobile networks, largest first. */
  readonly networks: readonly Network[];
}

const LTE: readonly RadioType[] = ['4G'];
const NR: readonly RadioType[] = ['4G', '5G'];

/** Shorthand for a network with a 5G service. */
function nr(name: string): Network {
  return { name, types: NR };
}

/** Shorthand for a network with 4G only (no commercial 5G, or too recent to claim). */
function lte(name: string): Network {
  return { name, types: LTE };
}

/**
 * Every country a plan may cover, keyed by ISO 3166-1 alpha-2 code.
 * Countries without an operator in {@link OPERATORS} appear only as roaming
 * destinations of regional plans.
 */
export const COUNTRIES: Readonly<Record<string, Country>> = {
  // East Asia
  JP: {
    name: 'Japan',
    dialingCode: '+81',
    priceIndex: 100,
    networks: [nr('NTT Docomo'), nr('au'), nr('SoftBank'), nr('Rakuten Mobile')],
  },
  KR: { name: 'South Korea', dialingCode: '+82', priceIndex: 100, networks: [nr('SK Telecom'), nr('KT'), nr('LG U+')] },
  CN: {
    name: 'China',
    dialingCode: '+86',
    priceIndex: 110,
    networks: [nr('China Mobile'), nr('China Unicom'), nr('China Telecom')],
  },
  HK: {
    name: 'Hong Kong',
    dialingCode: '+852',
    priceIndex: 95,
    networks: [nr('csl'), nr('CMHK'), nr('SmarTone'), nr('3')],
  },
  MO: {
    name: 'Macau',
    dialingCode: '+853',
    priceIndex: 100,
    networks: [nr('CTM'), nr('3 Macau'), nr('China Telecom Macau')],
  },
  TW: {
    name: 'Taiwan',
    dialingCode: '+886',
    priceIndex: 90,
    networks: [nr('Chunghwa Telecom'), nr('Taiwan Mobile'), nr('FarEasTone')],
  },
  // South-East and South Asia
  TH: { name: 'Thailand', dialingCode: '+66', priceIndex: 80, networks: [nr('AIS'), nr('TrueMove H'), nr('dtac')] },
  SG: { name: 'Singapore', dialingCode: '+65', priceIndex: 95, networks: [nr('Singtel'), nr('StarHub'), nr('M1')] },
  MY: {
    name: 'Malaysia',
    dialingCode: '+60',
    priceIndex: 80,
    networks: [nr('Maxis'), nr('CelcomDigi'), nr('U Mobile')],
  },
  ID: { name: 'Indonesia', dialingCode: '+62', priceIndex: 75, networks: [nr('Telkomsel'), nr('Indosat'), nr('XL')] },
  PH: { name: 'Philippines', dialingCode: '+63', priceIndex: 80, networks: [nr('Smart'), nr('Globe'), nr('DITO')] },
  VN: {
    name: 'Vietnam',
    dialingCode: '+84',
    priceIndex: 70,
    networks: [nr('Viettel'), nr('VinaPhone'), nr('MobiFone')],
  },
  KH: {
    name: 'Cambodia',
    dialingCode: '+855',
    priceIndex: 75,
    networks: [lte('Cellcard'), lte('Smart'), lte('Metfone')],
  },
  LA: { name: 'Laos', dialingCode: '+856', priceIndex: 75, networks: [lte('Unitel'), lte('Lao Telecom'), lte('ETL')] },
  IN: { name: 'India', dialingCode: '+91', priceIndex: 65, networks: [nr('Jio'), nr('Airtel'), nr('Vi')] },
  // Oceania
  AU: {
    name: 'Australia',
    dialingCode: '+61',
    priceIndex: 110,
    networks: [nr('Telstra'), nr('Optus'), nr('Vodafone')],
  },
  NZ: {
    name: 'New Zealand',
    dialingCode: '+64',
    priceIndex: 115,
    networks: [nr('Spark'), nr('One NZ'), nr('2degrees')],
  },
  // North America
  US: {
    name: 'United States',
    dialingCode: '+1',
    priceIndex: 130,
    networks: [nr('Verizon'), nr('T-Mobile'), nr('AT&T')],
  },
  CA: { name: 'Canada', dialingCode: '+1', priceIndex: 140, networks: [nr('Rogers'), nr('Bell'), nr('Telus')] },
  MX: { name: 'Mexico', dialingCode: '+52', priceIndex: 100, networks: [nr('Telcel'), nr('AT&T'), lte('Movistar')] },
  // Latin America
  BR: { name: 'Brazil', dialingCode: '+55', priceIndex: 100, networks: [nr('Vivo'), nr('Claro'), nr('TIM')] },
  AR: {
    name: 'Argentina',
    dialingCode: '+54',
    priceIndex: 105,
    networks: [nr('Personal'), nr('Claro'), nr('Movistar')],
  },
  CL: {
    name: 'Chile',
    dialingCode: '+56',
    priceIndex: 100,
    networks: [nr('Entel'), nr('Movistar'), nr('Claro'), nr('WOM')],
  },
  CO: { name: 'Colombia', dialingCode: '+57', priceIndex: 95, networks: [nr('Claro'), nr('Movistar'), nr('Tigo')] },
  PE: {
    name: 'Peru',
    dialingCode: '+51',
    priceIndex: 95,
    networks: [nr('Claro'), nr('Movistar'), nr('Entel'), lte('Bitel')],
  },
  // Europe
  GB: {
    name: 'United Kingdom',
    dialingCode: '+44',
    priceIndex: 100,
    networks: [nr('EE'), nr('Vodafone'), nr('O2'), nr('Three')],
  },
  IE: { name: 'Ireland', dialingCode: '+353', priceIndex: 105, networks: [nr('Vodafone'), nr('Three'), nr('eir')] },
  FR: {
    name: 'France',
    dialingCode: '+33',
    priceIndex: 100,
    networks: [nr('Orange'), nr('SFR'), nr('Bouygues Telecom'), nr('Free')],
  },
  DE: { name: 'Germany', dialingCode: '+49', priceIndex: 105, networks: [nr('Telekom'), nr('Vodafone'), nr('O2')] },
  ES: { name: 'Spain', dialingCode: '+34', priceIndex: 95, networks: [nr('Movistar'), nr('Orange'), nr('Vodafone')] },
  IT: {
    name: 'Italy',
    dialingCode: '+39',
    priceIndex: 95,
    networks: [nr('TIM'), nr('Vodafone'), nr('WINDTRE'), nr('Iliad')],
  },
  PT: { name: 'Portugal', dialingCode: '+351', priceIndex: 95, networks: [nr('MEO'), nr('NOS'), nr('Vodafone')] },
  CH: {
    name: 'Switzerland',
    dialingCode: '+41',
    priceIndex: 135,
    networks: [nr('Swisscom'), nr('Sunrise'), nr('Salt')],
  },
  AT: { name: 'Austria', dialingCode: '+43', priceIndex: 100, networks: [nr('A1'), nr('Magenta'), nr('Drei')] },
  NL: { name: 'Netherlands', dialingCode: '+31', priceIndex: 105, networks: [nr('KPN'), nr('Vodafone'), nr('Odido')] },
  BE: { name: 'Belgium', dialingCode: '+32', priceIndex: 105, networks: [nr('Proximus'), nr('Orange'), nr('BASE')] },
  LU: { name: 'Luxembourg', dialingCode: '+352', priceIndex: 110, networks: [nr('POST'), nr('Tango'), nr('Orange')] },
  DK: {
    name: 'Denmark',
    dialingCode: '+45',
    priceIndex: 110,
    networks: [nr('TDC'), nr('Telenor'), nr('Telia'), nr('3')],
  },
  SE: {
    name: 'Sweden',
    dialingCode: '+46',
    priceIndex: 105,
    networks: [nr('Telia'), nr('Tele2'), nr('Telenor'), nr('Tre')],
  },
  NO: { name: 'Norway', dialingCode: '+47', priceIndex: 120, networks: [nr('Telenor'), nr('Telia'), nr('Ice')] },
  FI: { name: 'Finland', dialingCode: '+358', priceIndex: 100, networks: [nr('Elisa'), nr('Telia'), nr('DNA')] },
  PL: {
    name: 'Poland',
    dialingCode: '+48',
    priceIndex: 85,
    networks: [nr('Orange'), nr('Play'), nr('Plus'), nr('T-Mobile')],
  },
  CZ: { name: 'Czechia', dialingCode: '+420', priceIndex: 95, networks: [nr('O2'), nr('T-Mobile'), nr('Vodafone')] },
  HU: { name: 'Hungary', dialingCode: '+36', priceIndex: 90, networks: [nr('Telekom'), nr('Yettel'), nr('One')] },
  RO: { name: 'Romania', dialingCode: '+40', priceIndex: 85, networks: [nr('Orange'), nr('Vodafone'), nr('Digi')] },
  HR: {
    name: 'Croatia',
    dialingCode: '+385',
    priceIndex: 90,
    networks: [nr('Hrvatski Telekom'), nr('A1'), nr('Telemach')],
  },
  GR: { name: 'Greece', dialingCode: '+30', priceIndex: 100, networks: [nr('Cosmote'), nr('Vodafone'), nr('Nova')] },
  // Turkey's 5G auction closed in late 2025; services were not yet broadly live.
  TR: {
    name: 'Turkey',
    dialingCode: '+90',
    priceIndex: 90,
    networks: [lte('Turkcell'), lte('Vodafone'), lte('Türk Telekom')],
  },
  // Middle East
  AE: { name: 'United Arab Emirates', dialingCode: '+971', priceIndex: 125, networks: [nr('e&'), nr('du')] },
  SA: { name: 'Saudi Arabia', dialingCode: '+966', priceIndex: 115, networks: [nr('stc'), nr('Mobily'), nr('Zain')] },
  QA: { name: 'Qatar', dialingCode: '+974', priceIndex: 120, networks: [nr('Ooredoo'), nr('Vodafone')] },
  KW: { name: 'Kuwait', dialingCode: '+965', priceIndex: 115, networks: [nr('Zain'), nr('Ooredoo'), nr('stc')] },
  BH: { name: 'Bahrain', dialingCode: '+973', priceIndex: 115, networks: [nr('Batelco'), nr('Zain'), nr('stc')] },
  OM: { name: 'Oman', dialingCode: '+968', priceIndex: 110, networks: [nr('Omantel'), nr('Ooredoo')] },
  IL: {
    name: 'Israel',
    dialingCode: '+972',
    priceIndex: 110,
    networks: [nr('Partner'), nr('Cellcom'), nr('Pelephone'), nr('HOT mobile')],
  },
  // Africa
  EG: {
    name: 'Egypt',
    dialingCode: '+20',
    priceIndex: 85,
    networks: [nr('Vodafone'), nr('Orange'), nr('e&'), nr('WE')],
  },
  MA: {
    name: 'Morocco',
    dialingCode: '+212',
    priceIndex: 90,
    networks: [lte('Maroc Telecom'), lte('Orange'), lte('inwi')],
  },
  ZA: {
    name: 'South Africa',
    dialingCode: '+27',
    priceIndex: 110,
    networks: [nr('Vodacom'), nr('MTN'), nr('Telkom'), lte('Cell C')],
  },
  KE: { name: 'Kenya', dialingCode: '+254', priceIndex: 90, networks: [nr('Safaricom'), lte('Airtel')] },
  NG: { name: 'Nigeria', dialingCode: '+234', priceIndex: 90, networks: [nr('MTN'), nr('Airtel'), lte('Glo')] },
  TZ: { name: 'Tanzania', dialingCode: '+255', priceIndex: 90, networks: [nr('Vodacom'), nr('Airtel')] },
  GH: { name: 'Ghana', dialingCode: '+233', priceIndex: 90, networks: [lte('MTN'), lte('Telecel'), lte('AT')] },
};

/**
 * Countries where the law requires prepaid subscribers to be registered with an
 * identity document, so a plan that issues a callable local number needs eKYC.
 * Deliberately limited to well-documented cases; countries without such a rule
 * (e.g. US, CA, GB, NL, NZ) or where it is unclear are left out.
 */
export const SIM_REGISTRATION_COUNTRIES: ReadonlySet<string> = new Set([
  'JP',
  'KR',
  'CN',
  'HK',
  'MO',
  'TW',
  'TH',
  'SG',
  'MY',
  'ID',
  'PH',
  'VN',
  'IN',
  'AU',
  'MX',
  'BR',
  'AR',
  'CO',
  'PE',
  'FR',
  'DE',
  'ES',
  'IT',
  'CH',
  'BE',
  'AT',
  'PL',
  'GR',
  'SE',
  'NO',
  'TR',
  'AE',
  'SA',
  'QA',
  'ZA',
  'KE',
  'NG',
  'MA',
  'EG',
]);

/** Identifier of a travel region; see {@link REGIONS}. */
export type RegionId =
  | 'ASIA'
  | 'JAPAN_KOREA'
  | 'CHINA_HK_MACAU'
  | 'SOUTHEAST_ASIA'
  | 'ASIA_PACIFIC'
  | 'AUS_NZ'
  | 'NORTH_AMERICA'
  | 'LATIN_AMERICA'
  | 'EUROPE'
  | 'GULF'
  | 'AFRICA'
  | 'GLOBAL';

/** A travel region sold as one multi-country plan. */
export interface Region {
  /** Name used at the start of the plan name ("Europe 20GB 30 Days"). */
  readonly name: string;
  /** ISO alpha-2 codes of the countries covered (the provider's home is added if missing). */
  readonly countries: readonly string[];
  /** Price multiplier in percent over a single-country plan of the same volume. */
  readonly priceFactor: number;
}

/** The travel regions offered by operators, with the countries each covers. */
export const REGIONS: Readonly<Record<RegionId, Region>> = {
  ASIA: {
    name: 'Asia',
    priceFactor: 125,
    countries: ['JP', 'KR', 'CN', 'HK', 'MO', 'TW', 'TH', 'SG', 'MY', 'ID', 'PH', 'VN'],
  },
  JAPAN_KOREA: { name: 'Japan & Korea', priceFactor: 110, countries: ['JP', 'KR'] },
  CHINA_HK_MACAU: { name: 'China, Hong Kong & Macau', priceFactor: 115, countries: ['CN', 'HK', 'MO'] },
  SOUTHEAST_ASIA: {
    name: 'Southeast Asia',
    priceFactor: 115,
    countries: ['TH', 'SG', 'MY', 'ID', 'PH', 'VN', 'KH', 'LA'],
  },
  ASIA_PACIFIC: {
    name: 'Asia Pacific',
    priceFactor: 135,
    countries: ['JP', 'KR', 'CN', 'HK', 'MO', 'TW', 'TH', 'SG', 'MY', 'ID', 'PH', 'VN', 'IN', 'AU', 'NZ'],
  },
  AUS_NZ: { name: 'Australia & New Zealand', priceFactor: 110, countries: ['AU', 'NZ'] },
  NORTH_AMERICA: { name: 'North America', priceFactor: 120, countries: ['US', 'CA', 'MX'] },
  LATIN_AMERICA: { name: 'Latin America', priceFactor: 130, countries: ['MX', 'BR', 'AR', 'CL', 'CO', 'PE'] },
  EUROPE: {
    name: 'Europe',
    priceFactor: 115,
    countries: [
      'AT',
      'BE',
      'CH',
      'CZ',
      'DE',
      'DK',
      'ES',
      'FI',
      'FR',
      'GB',
      'GR',
      'HR',
      'HU',
      'IE',
      'IT',
      'LU',
      'NL',
      'NO',
      'PL',
      'PT',
      'RO',
      'SE',
    ],
  },
  GULF: { name: 'Gulf States', priceFactor: 130, countries: ['AE', 'SA', 'QA', 'KW', 'BH', 'OM'] },
  AFRICA: { name: 'Africa', priceFactor: 140, countries: ['ZA', 'KE', 'NG', 'TZ', 'GH', 'EG', 'MA'] },
  GLOBAL: {
    name: 'Global',
    priceFactor: 170,
    countries: [
      'JP',
      'KR',
      'CN',
      'HK',
      'TW',
      'TH',
      'SG',
      'MY',
      'ID',
      'PH',
      'VN',
      'IN',
      'AU',
      'NZ',
      'US',
      'CA',
      'MX',
      'BR',
      'GB',
      'FR',
      'DE',
      'ES',
      'IT',
      'CH',
      'NL',
      'AT',
      'SE',
      'TR',
      'AE',
      'SA',
      'IL',
      'ZA',
      'EG',
    ],
  },
};

/** A real mobile operator acting as an eSIM provider in the catalogue. */
export interface Operator {
  /** Provider code, ^[A-Z0-9_-]{1,32}$, e.g. "KDDI", "VODAFONE_UK". */
  readonly code: string;
  /** Legal or commonly used company name, with the consumer brand where it differs. */
  readonly name: string;
  /** Home country, ISO alpha-2; must be a key of {@link COUNTRIES}. */
  readonly country: string;
  /** Two uppercase letters that start every plan code of this provider ("KD" -> KD0001). */
  readonly prefix: string;
  /** The operator's own network brand in its home country; must be listed there. */
  readonly network: string;
  /** Large operators carry a broader single-country line-up. */
  readonly flagship: boolean;
  /** Travel regions the operator sells roaming plans for (home-routed). */
  readonly regions: readonly RegionId[];
}

/** Shorthand constructor keeping the table below one line per operator. */
function op(
  code: string,
  prefix: string,
  country: string,
  network: string,
  name: string,
  regions: readonly RegionId[] = [],
  flagship = false,
): Operator {
  return { code, name, country, prefix, network, flagship, regions };
}

/** The providers of the catalogue; order is irrelevant (output is sorted). */
export const OPERATORS: readonly Operator[] = [
  // Japan
  op('KDDI', 'KD', 'JP', 'au', 'KDDI Corporation (au)', ['ASIA', 'JAPAN_KOREA', 'GLOBAL'], true),
  op('DOCOMO', 'DC', 'JP', 'NTT Docomo', 'NTT Docomo, Inc.', ['ASIA', 'ASIA_PACIFIC'], true),
  op('SOFTBANK', 'SB', 'JP', 'SoftBank', 'SoftBank Corp.', ['JAPAN_KOREA', 'GLOBAL'], true),
  op('RAKUTEN', 'RK', 'JP', 'Rakuten Mobile', 'Rakuten Mobile, Inc.', ['ASIA']),
  // Korea
  op('SKT', 'SK', 'KR', 'SK Telecom', 'SK Telecom Co., Ltd.', ['JAPAN_KOREA', 'ASIA'], true),
  op('KT', 'KT', 'KR', 'KT', 'KT Corporation', ['ASIA'], true),
  op('LGUPLUS', 'LG', 'KR', 'LG U+', 'LG Uplus Corp.', ['JAPAN_KOREA']),
  // Greater China
  op('CHINA_UNICOM', 'CU', 'CN', 'China Unicom', 'China United Network Communications (China Unicom)', [
    'CHINA_HK_MACAU',
  ]),
  op('CMHK', 'CM', 'HK', 'CMHK', 'China Mobile Hong Kong Company Limited', ['CHINA_HK_MACAU', 'ASIA'], true),
  op('CSL', 'CS', 'HK', 'csl', 'HKT Limited (csl)', ['CHINA_HK_MACAU', 'ASIA_PACIFIC']),
  op('CTM', 'CT', 'MO', 'CTM', 'Companhia de Telecomunicações de Macau (CTM)', ['CHINA_HK_MACAU']),
  op('CHT', 'CH', 'TW', 'Chunghwa Telecom', 'Chunghwa Telecom Co., Ltd.', ['ASIA'], true),
  op('TWM', 'TW', 'TW', 'Taiwan Mobile', 'Taiwan Mobile Co., Ltd.'),
  // South-East and South Asia
  op('AIS', 'AI', 'TH', 'AIS', 'Advanced Info Service PLC (AIS)', ['SOUTHEAST_ASIA', 'ASIA'], true),
  op('TRUE', 'TR', 'TH', 'TrueMove H', 'True Corporation PLC (TrueMove H)', ['SOUTHEAST_ASIA']),
  op(
    'SINGTEL',
    'ST',
    'SG',
    'Singtel',
    'Singapore Telecommunications Limited (Singtel)',
    ['SOUTHEAST_ASIA', 'ASIA_PACIFIC', 'GLOBAL'],
    true,
  ),
  op('STARHUB', 'SH', 'SG', 'StarHub', 'StarHub Ltd'),
  op('MAXIS', 'MX', 'MY', 'Maxis', 'Maxis Berhad', ['SOUTHEAST_ASIA']),
  op('TELKOMSEL', 'TS', 'ID', 'Telkomsel', 'PT Telekomunikasi Selular (Telkomsel)', ['SOUTHEAST_ASIA']),
  op('GLOBE', 'GL', 'PH', 'Globe', 'Globe Telecom, Inc.', ['ASIA']),
  op('SMART', 'SM', 'PH', 'Smart', 'Smart Communications, Inc.'),
  op('VIETTEL', 'VT', 'VN', 'Viettel', 'Viettel Telecom'),
  op('AIRTEL_IN', 'AR', 'IN', 'Airtel', 'Bharti Airtel Limited'),
  // Oceania
  op('TELSTRA', 'TL', 'AU', 'Telstra', 'Telstra Group Limited', ['AUS_NZ', 'ASIA_PACIFIC'], true),
  op('OPTUS', 'OP', 'AU', 'Optus', 'Singtel Optus Pty Limited', ['AUS_NZ']),
  op('SPARK_NZ', 'SP', 'NZ', 'Spark', 'Spark New Zealand Limited', ['AUS_NZ']),
  // North America
  op('ATT', 'AT', 'US', 'AT&T', 'AT&T Mobility LLC', ['NORTH_AMERICA'], true),
  op('TMOBILE_US', 'TM', 'US', 'T-Mobile', 'T-Mobile US, Inc.', ['NORTH_AMERICA', 'GLOBAL'], true),
  op('VERIZON', 'VZ', 'US', 'Verizon', 'Verizon Wireless'),
  op('ROGERS', 'RG', 'CA', 'Rogers', 'Rogers Communications Inc.', ['NORTH_AMERICA']),
  op('BELL', 'BL', 'CA', 'Bell', 'Bell Mobility Inc.'),
  op('TELCEL', 'TC', 'MX', 'Telcel', 'Radiomóvil Dipsa, S.A. de C.V. (Telcel)', ['NORTH_AMERICA', 'LATIN_AMERICA']),
  // Latin America
  op('CLARO_BR', 'CL', 'BR', 'Claro', 'Claro S.A. (Brazil)', ['LATIN_AMERICA']),
  op('PERSONAL_AR', 'PA', 'AR', 'Personal', 'Telecom Argentina S.A. (Personal)'),
  op('ENTEL_CL', 'EN', 'CL', 'Entel', 'Entel Chile S.A.', ['LATIN_AMERICA']),
  op('CLARO_CO', 'CC', 'CO', 'Claro', 'Comunicación Celular S.A. (Claro Colombia)'),
  // Europe
  op('VODAFONE_UK', 'VU', 'GB', 'Vodafone', 'Vodafone Limited (UK)', ['EUROPE', 'GLOBAL'], true),
  op('EE', 'EE', 'GB', 'EE', 'EE Limited', ['EUROPE']),
  op('ORANGE_FR', 'OF', 'FR', 'Orange', 'Orange S.A.', ['EUROPE'], true),
  op('TELEKOM_DE', 'DT', 'DE', 'Telekom', 'Telekom Deutschland GmbH', ['EUROPE'], true),
  op('MOVISTAR_ES', 'MV', 'ES', 'Movistar', 'Telefónica España (Movistar)', ['EUROPE']),
  op('TIM', 'TI', 'IT', 'TIM', 'Telecom Italia S.p.A. (TIM)', ['EUROPE']),
  op('MEO', 'ME', 'PT', 'MEO', 'MEO - Serviços de Comunicações e Multimédia, S.A.'),
  op('SWISSCOM', 'SW', 'CH', 'Swisscom', 'Swisscom (Schweiz) AG', ['EUROPE']),
  op('A1_AT', 'AA', 'AT', 'A1', 'A1 Telekom Austria AG'),
  op('KPN', 'KP', 'NL', 'KPN', 'Koninklijke KPN N.V.', ['EUROPE']),
  op('PROXIMUS', 'PX', 'BE', 'Proximus', 'Proximus SA'),
  op('TELIA_SE', 'TE', 'SE', 'Telia', 'Telia Sverige AB', ['EUROPE']),
  op('TELENOR_NO', 'TN', 'NO', 'Telenor', 'Telenor Norge AS'),
  op('ELISA', 'EL', 'FI', 'Elisa', 'Elisa Oyj'),
  op('PLAY', 'PL', 'PL', 'Play', 'P4 Sp. z o.o. (Play)'),
  op('COSMOTE', 'CO', 'GR', 'Cosmote', 'COSMOTE Mobile Telecommunications S.A.'),
  op('TURKCELL', 'TK', 'TR', 'Turkcell', 'Turkcell İletişim Hizmetleri A.Ş.', ['EUROPE']),
  // Middle East
  op('ETISALAT', 'ET', 'AE', 'e&', 'Emirates Telecommunications Group (e&)', ['GULF', 'GLOBAL']),
  op('STC', 'SC', 'SA', 'stc', 'Saudi Telecom Company (stc)', ['GULF']),
  op('OOREDOO_QA', 'OQ', 'QA', 'Ooredoo', 'Ooredoo Q.P.S.C.', ['GULF']),
  op('PARTNER', 'PT', 'IL', 'Partner', 'Partner Communications Company Ltd.'),
  // Africa
  op('VODACOM', 'VC', 'ZA', 'Vodacom', 'Vodacom Group Limited', ['AFRICA']),
  op('SAFARICOM', 'SF', 'KE', 'Safaricom', 'Safaricom PLC', ['AFRICA']),
  op('MTN_NG', 'MN', 'NG', 'MTN', 'MTN Nigeria Communications PLC', ['AFRICA']),
  op('MAROC_TELECOM', 'MT', 'MA', 'Maroc Telecom', 'Itissalat Al-Maghrib (Maroc Telecom)'),
];
